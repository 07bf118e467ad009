"""Telegram updates → engine events: commands, typed answers, button presses, ``/link``.

Owns the translation and the exactly-once rule. Every dialog turn runs on the event loop's thread
(the one SQLite writer) with an event id recorded in the same transaction as the answer: the
``update_id`` for messages, and ``cb:<chat>:<message>`` for a button, so a keyboard answers once
however often it is pressed or its update is redelivered.

Every turn first asks the roles policy: only staff of the chat's lab (members of a bound group
are) and admins work on its draft, and an export needs ``export_draft``.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from telegram import Bot, CallbackQuery, MessageEntity, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.errors import UserError
from bot.exporter import file_stem, write_export
from bot.roles import Action, PermissionDenied
from bot.service import DialogService, Session
from bot.telegram.delivery import Delivery, ExportFailure, ExportFile, Target
from bot.telegram.identity import CHANNEL, Identity, Sender
from dialogs.events import Command, Event, Pick, Start, Text
from dialogs.replies import ExportRequest, Reply
from dialogs.words import CommandName
from renderers.messages import message
from renderers.telegram.callbacks import EditData, PickData, ToggleData, decode
from renderers.telegram.html import escape_html
from renderers.telegram.keyboards import multichoice_keyboard

log = logging.getLogger(__name__)
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE

# Telegram command → engine command.
COMMANDS: dict[str, CommandName] = {
    "start": "start",
    "apply": "start",
    "status": "status",
    "review": "review",
    "export": "export",
    "back": "back",
    "skip": "skip",
    "edit": "edit",
    "help": "help",
    "cancel": "quit",
}


@dataclass(frozen=True)
class TurnResult:
    session: Session
    replies: list[Reply] | None
    exports: list[ExportFile | ExportFailure]
    notes: list[str]


def callback_event_id(chat_id: int, message_id: int) -> str:
    """The event id of a button: one per keyboard message, however often it is pressed."""
    return f"cb:{chat_id}:{message_id}"


def command_name(text: str, bot: Bot) -> str | None:
    """``start`` for ``/start`` or ``/start@our_bot``; ``None`` when addressed to another bot."""
    head, _, addressee = text.split()[0].lstrip("/").partition("@")
    if addressee and addressee.lower() != (bot.username or "").lower():
        return None
    return head.lower()


def sender_of(update: Update) -> Sender | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Sender(user_id=user.id, full_name=user.full_name, chat_id=chat.id, private=chat.type == "private")


class TelegramDialog:
    """The handlers of one bot (``app.build_application`` registers them)."""

    def __init__(self, *, service: DialogService) -> None:
        self.service = service
        self.identity = Identity(store=service.store)
        self.step_ids = tuple(s.id for s in service.engine.flow.steps)
        self._keyboards: dict[tuple[int, int], int] = {}

    def close(self) -> None:
        """Nothing to release (kept for the Application's shutdown hook)."""

    def event_id(self, update: Update, bot: Bot) -> str | None:
        """The event id the turn of ``update`` records; ``None`` when no handler commits a turn.

        Mirrors the handlers below: the inbox (``bot.telegram.inbox``) keeps an update under this
        id, and it is done once the id is in ``processed_events``. ``/link`` is left out (a wrong
        code commits nothing), and so are ``/faq`` and the other commands that only answer."""
        query, msg = update.callback_query, update.message
        if query is not None:
            data = decode(query.data or "", self.step_ids) if query.message is not None else None
            if isinstance(data, PickData | EditData) and query.message is not None:
                return callback_event_id(query.message.chat.id, query.message.message_id)
            return None
        if msg is None or msg.text is None or msg.from_user is None:
            return None
        entity = msg.entities[0] if msg.entities else None
        if entity is not None and entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            return str(update.update_id) if command_name(msg.text, bot) in COMMANDS else None
        if msg.chat.type != "private":
            replied = msg.reply_to_message
            if replied is None or replied.from_user is None or replied.from_user.id != bot.id:
                return None
        return str(update.update_id)

    async def _on_store(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store call on the event loop's thread, the one writer (turns take ~1 ms).

        A worker thread was measured slower: the engine holds the GIL, and the loop waits for it
        after every socket call. Turns stay in order per chat (``ordering``)."""
        return fn(*args)

    # --- the turn (on the writer) -----------------------------------------------------------

    def _turn(self, sender: Sender, event: Event, event_id: str, bind_group: bool) -> TurnResult:
        notes = []
        policy = self.identity.policy()
        person = self.identity.person(sender)
        group_lab = self.identity.group_lab(sender)
        if group_lab is not None:  # a member of a bound group is a member of its lab
            policy.add_staff(person.id, group_lab, granted_by=None)
        session = self.identity.session(sender)
        try:
            policy.enter_lab(person.id, session.lab)
        except PermissionDenied as exc:
            self.service.store.inbox_drop("telegram", event_id)  # refused: never to be replayed
            return TurnResult(
                session, [], [], [message("telegram.session_denied", reason=exc.message, escape=escape_html)]
            )
        if bind_group:
            lab = self.identity.bind_group(sender)
            if lab is not None:
                notes.append(message("telegram.group_bound", lab=lab.name, escape=escape_html))
        replies = self.service.handle(session, event, event_id=event_id)
        return TurnResult(session, replies, [], notes)

    def _export(self, session: Session, request: ExportRequest) -> ExportFile | ExportFailure:
        try:
            self.identity.policy().require(session.person.id, Action.EXPORT_DRAFT, session.lab)
        except PermissionDenied as exc:
            return ExportFailure(exc.message)
        app = self.service.application(session.lab)
        stem = file_stem(app, session.lab.name)
        with tempfile.TemporaryDirectory(prefix="dxlab-tg-") as folder:
            fmt, fallback = request.format, False
            try:
                try:
                    path = write_export(app, Path(folder) / f"{stem}.{fmt}", fmt)
                except ImportError:
                    log.warning("docx writer unavailable; sending JSON")
                    fmt, fallback = "json", True
                    path = write_export(app, Path(folder) / f"{stem}.{fmt}", fmt)
            except UserError as exc:
                return ExportFailure(exc.message)
            return ExportFile(f"{stem}.{fmt}", path.read_bytes(), fallback)

    # --- running a turn and answering ------------------------------------------------------

    async def _dialog(
        self, update: Update, context: Context, event: Event, *, event_id: str, bind_group: bool = False
    ) -> TurnResult | None:
        sender = sender_of(update)
        if sender is None:
            return None
        result = await self._on_store(self._turn, sender, event, event_id, bind_group)
        replies = result.replies
        if replies is None:
            return result
        requests = [r for r in replies if isinstance(r, ExportRequest)]
        if requests:  # python-docx takes a while: off the loop
            exports = [await asyncio.to_thread(self._export, result.session, r) for r in requests]
            result = replace(result, exports=exports)
        delivery = Delivery(context.bot)
        message_id = update.effective_message.message_id if update.effective_message else None
        target = Target(
            chat_id=sender.chat_id,
            reply_to=message_id if update.callback_query is None else None,
            group=not sender.private,
        )
        key = (sender.chat_id, sender.user_id)
        previous = self._keyboards.pop(key, None)
        pressed = (
            update.callback_query.message.message_id
            if update.callback_query and update.callback_query.message
            else None
        )
        stale = None
        if previous is not None and previous != pressed:
            # an older keyboard must not answer a later question; removed while we reply
            stale = asyncio.create_task(delivery.drop_keyboard(sender.chat_id, previous))
        try:
            for note in result.notes:
                await delivery.send_text(target, note)
            keyboard_message = await delivery.send_replies(target, replies, result.exports)
        finally:
            if stale is not None:
                await stale
        if keyboard_message is not None:
            self._keyboards[key] = keyboard_message
        return result

    # --- handlers --------------------------------------------------------------------------

    async def on_command(self, update: Update, context: Context) -> None:
        """/start, /status … : the engine's commands (with their argument)."""
        msg = update.effective_message
        if msg is None or not msg.text:
            return
        name = msg.text.split()[0].lstrip("/").split("@")[0].lower()
        command = COMMANDS.get(name)
        if command is None:
            return
        argument = " ".join(context.args or [])
        event: Event = Start() if command == "start" else Command(command, argument)
        await self._dialog(
            update, context, event, event_id=str(update.update_id), bind_group=command == "start"
        )

    async def on_text(self, update: Update, context: Context) -> None:
        """A typed answer: any text in a private chat; in a group, only replies to the bot."""
        msg = update.effective_message
        sender = sender_of(update)
        if msg is None or msg.text is None or sender is None:
            return
        if not sender.private:
            replied = msg.reply_to_message
            if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
                return
        await self._dialog(update, context, Text(msg.text), event_id=str(update.update_id))

    async def on_callback(self, update: Update, context: Context) -> None:
        """A button: a choice (→ Pick), a multichoice toggle, or an edit-menu entry."""
        query = update.callback_query
        if query is None or query.message is None:
            return
        data = decode(query.data or "", self.step_ids)
        chat_id, message_id = query.message.chat.id, query.message.message_id
        if data is None:
            await answer(query, message("telegram.stale_keyboard"))
            return
        if isinstance(data, ToggleData):
            step = self.service.engine.flow.step(data.step_id)
            await answer(query)
            await query.edit_message_reply_markup(multichoice_keyboard(step.id, step.choices, data.mask))
            return
        event: Event = (
            Pick(data.step_id, data.value)
            if isinstance(data, PickData)
            else Command("edit", str(data.number))
        )
        assert isinstance(data, PickData | EditData)
        result = await self._dialog(update, context, event, event_id=callback_event_id(chat_id, message_id))
        delivery = Delivery(context.bot)
        if result is not None and result.replies is None:
            await answer(query, message("telegram.already_answered"))
        else:
            await answer(query)
        await delivery.drop_keyboard(chat_id, message_id)

    async def on_link(self, update: Update, context: Context) -> None:
        """/link: make a code for Slack or the terminal; /link CODE: become that code's person."""
        sender = sender_of(update)
        if sender is None:
            return
        delivery = Delivery(context.bot)
        target = Target(chat_id=sender.chat_id)
        code = " ".join(context.args or []).strip()
        if not code:
            made = await self._on_store(self.identity.create_code, sender)
            await delivery.send_text(target, message("telegram.link_code", code=made, escape=escape_html))
            return
        event_id = str(update.update_id)
        note = await self._on_store(self._redeem, sender, code, event_id)
        if note is None:
            return
        if not note:
            await delivery.send_text(target, message("telegram.link_invalid"))
            return
        await delivery.send_text(target, note)
        await self._dialog(update, context, Start(), event_id=event_id)

    def _redeem(self, sender: Sender, code: str, event_id: str) -> str | None:
        """The confirmation to show; empty for a bad code, ``None`` for a redelivered update."""
        if self.service.store.seen_event(CHANNEL, event_id):
            return None
        person = self.identity.redeem(sender, code)
        if person is None:
            return ""
        lab = self.identity.lab(sender)
        return message("telegram.linked", person=person.name, lab=lab.name, escape=escape_html)

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        if sender is not None and sender.private:
            await Delivery(context.bot).send_text(
                Target(chat_id=sender.chat_id), message("telegram.unknown_command")
            )

    async def on_error(self, update: object, context: Context) -> None:
        log.error("telegram update failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, message("telegram.error"))
            except Exception:  # the error report must never raise
                log.exception("could not report the error to the chat")


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; a query too old to answer (a replayed update) is fine."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        log.debug("callback query %s not answered: %s", query.id, exc)
