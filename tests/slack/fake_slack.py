"""A fake Slack Web API on 127.0.0.1 that answers like Slack and rejects what Slack rejects.

Implements what dxlab calls (auth.test, chat.postMessage/update, conversations.open, users.info,
views.open/publish/update, files.getUploadURLExternal + the upload URL + files.completeUploadExternal,
and for files people send the app: files.info + the private download URL, which wants the token),
records every call, checks the token, and enforces Block Kit limits (``invalid_blocks``,
``msg_too_long``). ``rate_limit_once`` answers one call of a method with HTTP 429 + Retry-After.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"  # Socket Mode: apps.connections.open takes the app-level token
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


def _plain_ok(obj: Any, limit: int) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("text"), str) and 0 < len(obj["text"]) <= limit


def _element_error(el: dict[str, Any]) -> str | None:
    kind = el.get("type")
    if "action_id" in el and len(str(el["action_id"])) > 255:
        return "action_id too long"
    if kind == "button":
        if not _plain_ok(el.get("text"), 75) or el["text"].get("type") != "plain_text":
            return "button text"
        if len(str(el.get("value", ""))) > 2000:
            return "button value"
    elif kind in ("static_select", "radio_buttons", "checkboxes"):
        options = el.get("options") or []
        most = {"static_select": 100, "radio_buttons": 10, "checkboxes": 10}[kind]
        if not options or len(options) > most:
            return f"{kind} options count"
        for o in options:
            if not _plain_ok(o.get("text"), 75) or len(str(o.get("value", ""))) > 150:
                return "option text/value"
        if kind == "static_select" and not _plain_ok(el.get("placeholder"), 150):
            return "placeholder"
    elif kind in ("plain_text_input", "number_input"):
        if len(str(el.get("initial_value", ""))) > 3000:
            return "initial_value"
    else:
        return f"unknown element {kind}"
    return None


def block_errors(blocks: Any, most: int) -> str | None:
    """Why Slack would answer ``invalid_blocks`` (None when the blocks are valid)."""
    if not isinstance(blocks, list) or len(blocks) > most:
        return f"more than {most} blocks"
    block_ids: set[str] = set()
    for b in blocks:
        bid = b.get("block_id")
        if bid is not None:
            if len(bid) > 255 or bid in block_ids:
                return "block_id"
            block_ids.add(bid)
        kind = b.get("type")
        if kind == "section":
            text = b.get("text") or {}
            if not (0 < len(text.get("text", "")) <= 3000):
                return "section text"
        elif kind == "header":
            if not _plain_ok(b.get("text"), 150):
                return "header text"
        elif kind == "context":
            els = b.get("elements") or []
            if not els or len(els) > 10 or any(len(e.get("text", "")) > 3000 for e in els):
                return "context"
        elif kind == "actions":
            els = b.get("elements") or []
            if not els or len(els) > 25:
                return "actions count"
            ids = [e.get("action_id") for e in els if e.get("action_id")]
            if len(ids) != len(set(ids)):
                return "duplicate action_id"
            for e in els:
                if err := _element_error(e):
                    return err
        elif kind == "input":
            if not _plain_ok(b.get("label"), 2000) or ("hint" in b and not _plain_ok(b["hint"], 2000)):
                return "input label/hint"
            if err := _element_error(b.get("element") or {}):
                return err
        elif kind != "divider":
            return f"unknown block {kind}"
    return None


def view_errors(view: Any, *, home: bool) -> str | None:
    if not isinstance(view, dict) or view.get("type") != ("home" if home else "modal"):
        return "view type"
    if not home:
        if not _plain_ok(view.get("title"), 24):
            return "title"
        for key in ("submit", "close"):
            if key in view and not _plain_ok(view[key], 24):
                return key
        if any(b.get("type") == "input" for b in view.get("blocks", [])) and "submit" not in view:
            return "submit required"
    if len(str(view.get("private_metadata", ""))) > 3000 or len(str(view.get("callback_id", ""))) > 255:
        return "metadata"
    return block_errors(view.get("blocks"), 100)


class _Server(ThreadingHTTPServer):
    """A listen backlog of 128 (the default 5 drops connections under 50 concurrent posts, and the
    client then stalls for a second or more on TCP retries)."""

    request_queue_size = 128


class FakeSlack:
    """The fake API; ``url`` is the Web API base (``http://127.0.0.1:PORT/api/``)."""

    def __init__(self, *, token: str = TOKEN, names: dict[str, str] | None = None) -> None:
        self.token = token
        self.names = names or {}
        self.calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        self.user_files: dict[str, dict[str, Any]] = {}
        self.rejections: list[tuple[str, str]] = []
        self.rate_limit_once: set[str] = set()
        self.socket_url = ""  # what apps.connections.open answers (a websocket on 127.0.0.1)
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self.server = _Server(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def url(self) -> str:
        return self.base + "/api/"

    def start(self) -> FakeSlack:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- recorded calls ----------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The calls of ``method`` once there are at least ``count`` (fails after ``timeout``)."""
        self.wait_until(lambda: len(self.of(method)) >= count, timeout, what=f"{count}x {method}")
        return self.of(method)

    def wait_until(self, check: Callable[[], Any], timeout: float = 5.0, *, what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = check()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"fake Slack: timed out waiting for {what}; calls: {self.summary()}")
                self._cond.wait(left)

    def summary(self) -> list[str]:
        return [c.method for c in self.calls]

    def posted_texts(self, channel: str | None = None) -> list[str]:
        """The mrkdwn/plain text of every block posted (to ``channel``), in order."""
        texts: list[str] = []
        for c in self.of("chat.postMessage"):
            if channel and c.args.get("channel") != channel:
                continue
            for b in c.args.get("blocks") or []:
                if isinstance(b.get("text"), dict):
                    texts.append(b["text"]["text"])
                for e in b.get("elements") or []:
                    if e.get("type") == "mrkdwn":
                        texts.append(e["text"])
        return texts

    def _record(self, method: str, args: dict[str, Any]) -> None:
        with self._cond:
            self.calls.append(Call(method, args))
            self._cond.notify_all()

    # --- the API -----------------------------------------------------------------------------

    def answer(self, method: str, args: dict[str, Any], token: str | None) -> tuple[int, dict[str, Any]]:
        if method == "apps.connections.open":
            if token != APP_TOKEN or not self.socket_url:
                return 200, {"ok": False, "error": "invalid_auth"}
            return 200, {"ok": True, "url": self.socket_url}
        if token != self.token:
            return 200, {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "api_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = handler(args)
        if not result.get("ok"):
            self.rejections.append((method, str(result.get("error"))))
        return 200, result

    def api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "dxlab",
                "team_id": "T0001", "user_id": BOT_USER, "bot_id": "BBOT", "app_id": "A0001"}  # fmt: skip

    def _message(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
            args["blocks"] = blocks
        text = args.get("text") or ""
        if len(text) > 40_000:
            return {"ok": False, "error": "msg_too_long"}
        if blocks is not None:
            error = block_errors(blocks, 50)
            if error:
                return {"ok": False, "error": "invalid_blocks", "errors": [error]}
        elif not text:
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "channel": args["channel"], "ts": f"{time.time():.6f}", "message": {"text": text}}

    def api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._message(args)

    def api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._message(args) if args.get("ts") else {"ok": False, "error": "message_not_found"}

    def api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users") or "")
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}

    def api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user") or "")
        name = self.names.get(user, "")
        return {"ok": True, "user": {"id": user, "name": user.lower(), "real_name": name,
                                     "profile": {"display_name": name}}}  # fmt: skip

    def _view(self, args: dict[str, Any], *, home: bool) -> dict[str, Any]:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
            args["view"] = view
        error = view_errors(view, home=home)
        if error:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [error]}}
        return {"ok": True, "view": {**view, "id": f"V{next(self._ids):06d}", "hash": "h"}}

    def api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view(args, home=False)

    def api_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._view(args, home=False)

    def api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(args, home=True)

    def api_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length") or "").isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):06d}"
        return {"ok": True, "upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def api_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = json.loads(args.get("files") or "[]")
        if not files or any(f.get("id") not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        done = [{"id": f["id"], "title": f.get("title"), "size": len(self.uploads[f["id"]])} for f in files]
        return {"ok": True, "files": done}

    # --- files people send the app (uploads into the DM) ------------------------------------

    def add_user_file(self, name: str, data: bytes, *, size: int | None = None) -> dict[str, Any]:
        """Keep a file as if a person uploaded it; returns the ``files`` entry of its event.

        ``size`` is what ``files.info`` declares (default: the real size), to test size limits.
        """
        file_id = f"F{next(self._ids):06d}"
        self.user_files[file_id] = {"name": name, "data": data, "size": len(data) if size is None else size}
        return {"id": file_id, "name": name, "mode": "hosted"}

    def api_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = str(args.get("file") or "")
        found = self.user_files.get(file_id)
        if found is None:
            return {"ok": False, "error": "file_not_found"}
        url = f"{self.base}/files-pri/T0001-{file_id}/download/{quote(found['name'])}"
        return {
            "ok": True,
            "file": {"id": file_id, "name": found["name"], "title": found["name"], "size": found["size"],
                     "url_private": url, "url_private_download": url},
        }  # fmt: skip

    def download(self, path: str, token: str | None) -> tuple[int, bytes]:
        file_id = path.split("/")[2].removeprefix("T0001-")
        found = self.user_files.get(file_id)
        if token != self.token:
            return 403, b"not authorised"
        if found is None:
            return 404, b"not found"
        return 200, found["data"]

    # --- HTTP ----------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(
                self, status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None
            ) -> None:
                data = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/_stats":  # for benchmarks running the fake in another process
                    with fake._cond:
                        counts: dict[str, int] = {}
                        for c in fake.calls:
                            counts[c.method] = counts.get(c.method, 0) + 1
                    self._send(200, {"calls": counts, "rejections": fake.rejections})
                    return
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None
                path = self.path.split("?", 1)[0]
                if path.startswith("/files-pri/"):
                    status, data = fake.download(path, token)
                    fake._record("download", {"path": path, "status": status})
                    self.send_response(status)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if path.startswith("/api/"):  # slack_sdk calls some methods (files.info) with GET
                    method = path.removeprefix("/api/")
                    args = dict(parse_qsl(self.path.split("?", 1)[1])) if "?" in self.path else {}
                    status, result = fake.answer(method, args, token or args.get("token"))
                    recorded = args if result.get("ok") else {**args, "_error": result.get("error")}
                    fake._record(method, recorded)
                    self._send(status, result)
                    return
                self._send(404, {"ok": False, "error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path = self.path.split("?", 1)[0]
                if path.startswith("/upload/"):
                    file_id = path.rsplit("/", 1)[1]
                    fake.uploads[file_id] = raw
                    fake._record("upload", {"file_id": file_id, "size": len(raw)})
                    self._send(200, f"OK - {len(raw)}")
                    return
                if not path.startswith("/api/"):
                    self._send(404, {"ok": False, "error": "not_found"})
                    return
                method = path.removeprefix("/api/")
                ctype = self.headers.get("Content-Type", "")
                args: dict[str, Any] = {}
                if "json" in ctype and raw:
                    args = json.loads(raw)
                elif raw:
                    args = dict(parse_qsl(raw.decode(), keep_blank_values=True))
                if "?" in self.path:
                    args.update(parse_qsl(self.path.split("?", 1)[1]))
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
                if method in fake.rate_limit_once:
                    fake.rate_limit_once.discard(method)
                    fake._record("429:" + method, args)
                    self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
                    return
                status, result = fake.answer(method, args, token)
                fake._record(method, args if result.get("ok") else {**args, "_error": result.get("error")})
                self._send(status, result)

        return Handler
