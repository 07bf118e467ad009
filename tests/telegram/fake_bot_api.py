"""A fake Telegram Bot API on 127.0.0.1 that answers like Telegram and rejects what Telegram rejects.

Implements what the bot uses: getMe, getUpdates (long polling with offset confirmation), sendMessage
(text length counted in UTF-16 units after entity parsing, HTML checked like Telegram, callback_data
of at most 64 bytes), editMessageReplyMarkup, editMessageText, answerCallbackQuery, setMyCommands,
sendDocument (multipart), setWebhook/deleteWebhook, and for documents people send the bot: getFile
and the file download URL (``/file/bot<token>/<file_path>``). A 429 with ``retry_after`` can be injected per
method. Tests push updates with ``message``/``command``/``press`` and read what the bot did.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "dxlab_test_bot"
JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "commands",
    "entities",
    "scope",
    "allowed_updates",
    "link_preview_options",
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_HTML_TOKEN = re.compile(r"<(/?)([^\s<>/]*)([^<>]*)>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[<>&]")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The plain text of Telegram HTML, raising ``ApiError`` where Telegram would."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _HTML_TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        offset = len(text[: m.start()].encode("utf-8"))
        token = m.group(0)
        if token in "<>&" and len(token) == 1:
            if token == ">":
                out.append(">")
                continue
            raise ApiError(
                400, f"Bad Request: can't parse entities: Unsupported start tag at byte offset {offset}"
            )
        if m.group(4) is not None:
            entity = m.group(4)
            if not entity.startswith("#") and entity not in ("lt", "gt", "amp", "quot"):
                raise ApiError(
                    400, f"Bad Request: can't parse entities: Unsupported HTML entity at byte offset {offset}"
                )
            out.append(html.unescape(token))
            continue
        closing, name = m.group(1), m.group(2).lower()
        if name not in ALLOWED_TAGS:
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "{name}" at byte offset {offset}',
            )
        if closing:
            if not stack or stack[-1] != name:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: Unmatched end tag at byte offset {offset}"
                )
            stack.pop()
        else:
            stack.append(name)
    out.append(text[pos:])
    if stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: "
            f'Can\'t find end tag corresponding to start tag "{stack[-1]}"',
        )
    return "".join(out)


@dataclass
class Sent:
    """A message the bot sent (and its later edits)."""

    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    reply_to: int | None = None
    edits: list[str] = field(default_factory=list)

    def buttons(self) -> list[dict[str, Any]]:
        if not self.reply_markup:
            return []
        return [b for row in self.reply_markup.get("inline_keyboard", []) for b in row]

    def button(self, label_part: str) -> dict[str, Any]:
        for b in self.buttons():
            if label_part in b["text"]:
                return b
        raise AssertionError(f"no button {label_part!r} in {[b['text'] for b in self.buttons()]}")


@dataclass
class Document:
    chat_id: int
    filename: str
    data: bytes
    caption: str | None


class FakeBotApi:
    """The server; ``async with FakeBotApi() as api`` starts it on a free port of 127.0.0.1."""

    def __init__(self, *, token: str = "123456:TEST-token", latency: float = 0.0) -> None:
        self.token = token
        self.latency = latency  # seconds added to every call but getUpdates (Telegram is far away)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1000
        self._next_message = 1
        self._new_update = asyncio.Condition()
        self._changed = asyncio.Condition()
        self.sent: list[Sent] = []
        self.by_id: dict[int, Sent] = {}
        self.documents: list[Document] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []  # the default scope
        self.chat_commands: dict[int, list[dict[str, Any]]] = {}  # BotCommandScopeChat, by chat
        self.webhook: dict[str, Any] | None = None
        self.calls: list[str] = []
        self.rejected: list[tuple[str, str]] = []
        self.confirmed_offset = 0
        self._fail: dict[str, list[int]] = {}
        self.user_files: dict[str, bytes] = {}
        self.downloads: list[str] = []

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeBotApi:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        app.router.add_post("/_control/updates", self._control_updates)
        app.router.add_get("/_control/stats", self._control_stats)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- test controls -----------------------------------------------------------------------

    def fail_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 Too Many Requests."""
        self._fail.setdefault(method.lower(), []).extend([retry_after] * times)

    async def push(self, update: dict[str, Any]) -> int:
        update_id = update.get("update_id") or self._next_update
        self._next_update = max(self._next_update, update_id) + 1
        update["update_id"] = update_id
        self._updates.append(update)
        async with self._new_update:
            self._new_update.notify_all()
        return update_id

    def redeliver(self, update: dict[str, Any]) -> None:
        """Put an update back as if its confirmation never reached Telegram."""
        self._updates.append(update)
        self._updates.sort(key=lambda u: u["update_id"])
        self.confirmed_offset = min(self.confirmed_offset, update["update_id"])

    @staticmethod
    def user(user_id: int = 5001, first: str = "花子", last: str = "山田") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first, "last_name": last, "language_code": "ja"}

    @staticmethod
    def chat(chat_id: int, *, group: bool = False, user: dict[str, Any] | None = None) -> dict[str, Any]:
        if group:
            return {"id": chat_id, "type": "supergroup", "title": "みなと市DXラボ"}
        user = user or {}
        return {"id": chat_id, "type": "private", "first_name": user.get("first_name", "")}

    def message_update(
        self,
        text: str,
        *,
        user: dict[str, Any] | None = None,
        chat_id: int | None = None,
        group: bool = False,
        reply_to: Sent | None = None,
    ) -> dict[str, Any]:
        user = user or self.user()
        chat = self.chat(chat_id if chat_id is not None else user["id"], group=group, user=user)
        msg: dict[str, Any] = {
            "message_id": self._take_message_id(),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            head = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(head)}]
        if reply_to is not None:
            msg["reply_to_message"] = self._message_json(reply_to)
        return {"message": msg}

    def document_update(
        self,
        name: str,
        data: bytes,
        *,
        caption: str = "",
        declared_size: int | None = None,
        user: dict[str, Any] | None = None,
        group: bool = False,
    ) -> dict[str, Any]:
        """A message carrying a document the person sends (kept for ``getFile`` and download)."""
        user = user or self.user()
        file_id = f"BQAC{len(self.user_files) + 1:04d}"
        self.user_files[file_id] = data
        size = len(data) if declared_size is None else declared_size
        msg: dict[str, Any] = {
            "message_id": self._take_message_id(),
            "date": int(time.time()),
            "chat": self.chat(-100123 if group else user["id"], group=group, user=user),
            "from": user,
            "document": {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                         "mime_type": "application/octet-stream", "file_size": size},
        }  # fmt: skip
        if caption:
            msg["caption"] = caption
        return {"message": msg}

    async def api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.user_files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.user_files[file_id])
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size,
                "file_path": f"documents/{file_id}.docx"}  # fmt: skip

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401, text="Unauthorized")
        path = request.match_info["path"]
        self.downloads.append(path)
        file_id = path.removeprefix("documents/").removesuffix(".docx")
        if file_id not in self.user_files:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=self.user_files[file_id], content_type="application/octet-stream")

    async def message(self, text: str, **kwargs: Any) -> int:
        return await self.push(self.message_update(text, **kwargs))

    def press_update(
        self, sent: Sent, label_part: str, *, user: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        button = sent.button(label_part)
        return {
            "callback_query": {
                "id": f"cq{self._take_message_id()}",
                "from": user or self.user(),
                "message": self._message_json(sent),
                "chat_instance": "ci-1",
                "data": button["callback_data"],
            },
        }

    async def press(self, sent: Sent, label_part: str, **kwargs: Any) -> int:
        return await self.push(self.press_update(sent, label_part, **kwargs))

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (checked after every call the bot makes)."""
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    raise AssertionError(f"timed out; last messages: {[s.text[:80] for s in self.sent[-3:]]}")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)

    async def drained(self, timeout: float = 10.0) -> None:
        """Wait until the bot has fetched and confirmed every pushed update."""
        await self.wait_for(
            lambda: not self._updates or self.confirmed_offset > self._updates[-1]["update_id"], timeout
        )

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [s.text for s in self.sent if chat_id is None or s.chat_id == chat_id]

    def last(self, chat_id: int | None = None) -> Sent:
        sent = [s for s in self.sent if chat_id is None or s.chat_id == chat_id]
        return sent[-1]

    async def _control_updates(self, request: web.Request) -> web.Response:
        """Push updates from another process (the benchmark runs the server apart from the bot)."""
        for update in await request.json():
            await self.push(update)
        return web.json_response({"ok": True})

    async def _control_stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"sent": len(self.sent), "rejected": self.rejected, "calls": len(self.calls)}
        )

    # --- the API -----------------------------------------------------------------------------

    def _take_message_id(self) -> int:
        self._next_message += 1
        return self._next_message

    def _message_json(self, sent: Sent) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": "private" if sent.chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "dxlab", "username": BOT_USERNAME},
            "text": sent.edits[-1] if sent.edits else sent.text,
        }
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            data["reply_markup"] = sent.reply_markup
        return data

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body or {})
            return params
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if part.filename:  # type: ignore[union-attr]
                    params[part.name] = (part.filename, await part.read())  # type: ignore[union-attr]
                else:
                    params[part.name] = await part.text()  # type: ignore[union-attr]
        else:
            params.update(await request.post())
        for key in JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                params[key] = json.loads(params[key])
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append(method)
        if self.latency and method != "getUpdates":
            await asyncio.sleep(self.latency)
        try:
            pending = self._fail.get(method.lower())
            if pending:
                retry = pending.pop(0)
                raise ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
            handler = getattr(self, "api_" + method.lower(), None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params)
        except ApiError as exc:
            if exc.code != 429:
                self.rejected.append((method, exc.description))
            body: dict[str, Any] = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            response = web.json_response(body, status=exc.code)
        else:
            response = web.json_response({"ok": True, "result": result})
        async with self._changed:
            self._changed.notify_all()
        return response

    async def api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "dxlab",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 1.0)  # may answer early, as Telegram may
        limit = int(params.get("limit") or 100)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.confirmed_offset = max(self.confirmed_offset, offset)
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._new_update:
            while not self._updates:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    await asyncio.wait_for(self._new_update.wait(), left)
                except TimeoutError:
                    break
        return self._updates[:limit]

    def _check_markup(self, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _check_text(self, text: str, parse_mode: str | None, limit: int = 4096) -> None:
        plain = parse_html(text) if (parse_mode or "").upper() == "HTML" else text
        if not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain) > limit:
            raise ApiError(400, "Bad Request: message is too long")

    async def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = params.get("reply_markup")
        self._check_markup(markup)
        reply = (params.get("reply_parameters") or {}).get("message_id")
        sent = Sent(
            self._take_message_id(),
            int(params["chat_id"]),
            text,
            params.get("parse_mode"),
            markup or None,
            reply,
        )
        self.sent.append(sent)
        self.by_id[sent.message_id] = sent
        return self._message_json(sent)

    def _find(self, params: dict[str, Any]) -> Sent:
        sent = self.by_id.get(int(params.get("message_id") or 0))
        if sent is None or sent.chat_id != int(params["chat_id"]):
            raise ApiError(400, "Bad Request: message to edit not found")
        return sent

    async def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._find(params)
        markup = params.get("reply_markup") or None
        if markup is not None and not markup.get("inline_keyboard"):
            markup = None
        self._check_markup(markup)
        if markup == sent.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        sent.reply_markup = markup
        return self._message_json(sent)

    async def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._find(params)
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = params.get("reply_markup")
        self._check_markup(markup)
        sent.edits.append(text)
        sent.reply_markup = markup
        return self._message_json(sent)

    async def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        if utf16_len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers.append(params)
        return True

    async def api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands") or []
        for c in commands:
            if not _COMMAND.fullmatch(c.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= utf16_len(c.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope")
        if isinstance(scope, str):
            scope = json.loads(scope)
        if not scope or scope.get("type") == "default":
            self.commands = commands
        elif scope.get("type") == "chat" and "chat_id" in scope:
            self.chat_commands[int(scope["chat_id"])] = commands
        else:
            raise ApiError(400, "Bad Request: unsupported scope in this fake")
        return True

    async def api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        document = params.get("document")
        if not isinstance(document, tuple):
            raise ApiError(400, "Bad Request: there is no document in the request")
        filename, data = document
        caption = params.get("caption")
        if caption is not None and utf16_len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        self.documents.append(Document(int(params["chat_id"]), filename, data, caption))
        return {
            "message_id": self._take_message_id(),
            "date": int(time.time()),
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "document": {"file_id": "doc1", "file_unique_id": "u1", "file_name": filename},
        }

    async def api_setwebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    async def api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }
