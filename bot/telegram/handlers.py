"""Telegram updates → engine events: commands, typed answers, button presses, ``/link``.

Owns the translation and the exactly-once rule. Every dialog turn runs on the event loop's thread
(the one SQLite writer) with an event id recorded in the same transaction as the answer: the
``update_id`` for messages, and ``cb:<chat>:<message>`` for a button, so a keyboard answers once
however often it is pressed or its update is redelivered.

Commands come from the one command layer (``bot.core``): the router parses ``/cmd@bot``, checks the
role and runs the command; a drafting command becomes a turn, which the router runs exactly once
after the roles policy let the person edit the chat's lab (members of a bound group are staff of
it); an export also needs ``export_draft``. A command's buttons carry ``c|<action>|<value>``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, Conflict
from telegram.ext import ContextTypes

from bot.core.commands import Caller, ChoicesOut, FileOut, Output, TextOut, TurnRequest
from bot.core.router import Router, split_command
from bot.errors import UserError
from bot.exporter import file_stem, write_export
from bot.roles import Action, PermissionDenied
from bot.service import DialogService, Session
from bot.telegram.identity import CHANNEL, Identity, Sender
from bot.telegram.menu import Menus
from bot.telegram.sender import Delivery, ExportFailure, ExportFile, Target
from dialogs.events import Act, Command, Event, Pick, Start, Text
from dialogs.replies import ExportRequest, Reply
from dialogs.steps import picked_values
from dialogs.words import COMMAND_NAMES, CommandName
from renderers.messages import message
from renderers.telegram.callbacks import ActData, CommandData, EditData, PickData, ToggleData, decode
from renderers.telegram.html import escape_html, split_html
from renderers.telegram.keyboards import multichoice_keyboard
from storage.base import LinkLocked

log = logging.getLogger(__name__)
T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE

PREFIX = "/"
ACTION_PREFIX = "c|"  # a command's button: c|<action>|<value>


def action_data(action: str, value: str) -> str:
    """The ``callback_data`` of a command's button (an action id and its value)."""
    return f"{ACTION_PREFIX}{action}|{value}"


def drafting_name(name: str) -> CommandName:
    """The engine command of a command button (``help`` for one this version does not know)."""
    return next((known for known in COMMAND_NAMES if known == name), "help")


def read_action(data: str) -> tuple[str, str] | None:
    if not data.startswith(ACTION_PREFIX):
        return None
    action, sep, value = data[len(ACTION_PREFIX) :].partition("|")
    return (action, value) if sep else None


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
    parts = split_command(text, bot_username=bot.username or "")
    return None if parts is None else parts[0]


_LATIN = re.compile(r"[A-Za-z]")


def person_name(first: str, last: str | None) -> str:
    """A Telegram user's name as people write it: 「山田 花子」 for a Japanese name (Telegram's
    ``full_name`` puts the given name first: 「花子 山田」), ``first last`` for a Latin one."""
    if not last:
        return first
    if _LATIN.search(first + last):
        return f"{first} {last}"
    return f"{last} {first}"


def sender_of(update: Update) -> Sender | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    name = person_name(user.first_name, user.last_name)
    return Sender(user_id=user.id, full_name=name, chat_id=chat.id, private=chat.type == "private")


class TelegramDialog:
    """The handlers of one bot (``app.build_application`` registers them)."""

    def __init__(self, *, service: DialogService, router: Router) -> None:
        self.service = service
        self.router = router
        self.identity = Identity(store=service.store, policy=service.policy)
        self.menus = Menus(router)
        self.step_ids = tuple(s.id for s in service.engine.flow.steps)
        self._keyboards: dict[tuple[int, int], int] = {}
        #: update ids of the button presses already handled (a redelivery is answered once only)
        self._pressed_updates: OrderedDict[int, None] = OrderedDict()
        #: command keyboards (chat id, message id) already pressed: a second tap runs nothing
        self._pressed_commands: OrderedDict[tuple[int, int], None] = OrderedDict()
        self._told_conflict = False

    def first_delivery(self, update: Update) -> bool:
        """``False`` when this update id was handled already (Telegram or a restart sent it again)."""
        if update.update_id in self._pressed_updates:
            return False
        _remember(self._pressed_updates, update.update_id)
        return True

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
            if isinstance(data, PickData | EditData | ActData | CommandData) and query.message is not None:
                return callback_event_id(query.message.chat.id, query.message.message_id)
            return None
        if msg is None or msg.text is None or msg.from_user is None:
            return None
        entity = msg.entities[0] if msg.entities else None
        if entity is not None and entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            name = command_name(msg.text, bot)
            return str(update.update_id) if name in self.router.commands.turn_names() else None
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
        person = self.identity.person(sender)
        group_lab = self.identity.group_lab(sender)
        if group_lab is not None:  # a member of a bound group is a member of its lab
            self.service.policy.add_staff(person.id, group_lab, granted_by=None)
        session = self.identity.session(sender)
        outcome = self.router.turn(session, event, event_id=event_id)
        if outcome.refusal is not None:
            note = message("telegram.session_denied", reason=outcome.refusal, escape=escape_html)
            return TurnResult(session, [], [], [note])
        if bind_group:  # the router let the sender edit the lab: the group now works on it
            lab = self.identity.bind_group(sender)
            if lab is not None:
                notes.append(message("telegram.group_bound", lab=lab.name, escape=escape_html))
        return TurnResult(session, outcome.replies, [], notes)

    def _export(self, session: Session, request: ExportRequest) -> ExportFile | ExportFailure:
        try:
            self.service.policy.require(session.person.id, Action.EXPORT_DRAFT, session.lab)
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
        if sender.private:
            await self.menus.sync(context.bot, sender.chat_id, result.session.person.id)
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
        """Every registered command: drafting ones run a turn, the others answer through the router."""
        msg, sender = update.effective_message, sender_of(update)
        if msg is None or not msg.text or sender is None:
            return
        invocation = self.router.parse(msg.text, bot_username=context.bot.username or "")
        if invocation is None:
            return
        args = " ".join(context.args or [])
        if invocation.command.turn:
            caller = Caller(self.identity.person(sender), CHANNEL, PREFIX)
            for out in invocation.command.handler(caller, args):
                if isinstance(out, TurnRequest):
                    await self._dialog(
                        update,
                        context,
                        out.event,
                        event_id=str(update.update_id),
                        bind_group=isinstance(out.event, Start),
                    )
            return
        await self._answer(msg, sender, invocation.name, args)

    async def _answer(self, msg: Message, sender: Sender, name: str, args: str) -> None:
        """Run a command that answers (no turn) off the loop, and send what it returned."""
        invocation = self.router.invocation(name, args)
        if invocation is None:
            return

        def work() -> tuple[int, list[Output]]:
            caller = Caller(
                self.identity.person(sender),
                CHANNEL,
                PREFIX,
                external_id=str(sender.user_id),
                private=sender.private,
                lab_of=lambda: self.identity.lab(sender),
            )
            return caller.person.id, list(self.router.run(caller, invocation))

        person_id, outputs = await asyncio.to_thread(work)
        if sender.private:
            await self.menus.sync(msg.get_bot(), sender.chat_id, person_id)
        for out in outputs:
            await send_output(msg, out)

    async def on_action(self, update: Update, context: Context) -> None:
        """A command's button (``c|<action>|<value>``): the same as typing the command with the value."""
        query, sender = update.callback_query, sender_of(update)
        if query is None or not isinstance(query.message, Message) or sender is None:
            return
        if not self.first_delivery(update):
            return
        parsed = read_action(query.data or "")
        pressed = (query.message.chat.id, query.message.message_id)
        if parsed is not None and pressed in self._pressed_commands:  # a double tap: answered, quietly
            await answer(query)
            return
        await answer(query)
        if parsed is None:
            return
        _remember(self._pressed_commands, pressed)
        try:
            await query.edit_message_reply_markup(reply_markup=None)  # one tap per question
        except BadRequest as exc:  # already gone (a tap from another device): nothing to remove
            log.debug("keyboard of %s not removed: %s", pressed, exc)
        await self._answer(query.message, sender, *parsed)

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
        """A button: a choice (→ Pick), an action (→ Act), a multichoice toggle, or an edit-menu entry."""
        query = update.callback_query
        if query is None or query.message is None or not self.first_delivery(update):
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
        event: Event
        if isinstance(data, PickData):
            event = Pick(data.step_id, data.value)
        elif isinstance(data, ActData):
            event = Act(data.step_id, data.action, data.value)
        elif isinstance(data, CommandData):
            event = Command(drafting_name(data.name), step_id=data.step_id or None)
        else:
            event = Command("edit", str(data.number))
        result = await self._dialog(update, context, event, event_id=callback_event_id(chat_id, message_id))
        delivery = Delivery(context.bot)
        if result is not None and result.replies is None:
            await answer(query, message("telegram.already_answered"))
            await delivery.drop_keyboard(chat_id, message_id)
            return
        await answer(query)
        chosen = self.chosen_label(query, data)
        if chosen and isinstance(query.message, Message):
            await delivery.mark_chosen(query.message, chosen)
        else:
            await delivery.drop_keyboard(chat_id, message_id)

    def chosen_label(self, query: CallbackQuery, data: object) -> str:
        """What the pressed button chose: its label, or the ticked choices under 決定."""
        markup = query.message.reply_markup if isinstance(query.message, Message) else None
        rows = markup.inline_keyboard if markup is not None else ()
        label = next((b.text for row in rows for b in row if b.callback_data == query.data), "")
        flow = self.service.engine.flow
        if (
            isinstance(data, PickData)
            and label == message("telegram.multi_submit")
            and flow.has_step(data.step_id)
        ):
            choices = flow.step(data.step_id).choices
            picked = picked_values(data.value, choices) or []
            return "、".join(c.label for c in choices if c.value in picked)
        return label

    async def on_link(self, update: Update, context: Context) -> None:
        """/link: make a code for Slack or the terminal; /link CODE: become that code's person."""
        sender = sender_of(update)
        if sender is None:
            return
        delivery = Delivery(context.bot)
        target = Target(chat_id=sender.chat_id)
        code = " ".join(context.args or []).strip()
        if not sender.private:  # a code seen in a group is anyone's: only in the private chat
            await delivery.send_text(target, message("telegram.link_private"))
            return
        if not code:
            made = await self._on_store(self.identity.create_code, sender)
            await delivery.send_text(target, message("telegram.link_code", code=made, escape=escape_html))
            return
        event_id = str(update.update_id)
        redeemed = await self._on_store(self._redeem, sender, code, event_id)
        if redeemed is None:
            return
        note, linked = redeemed
        await delivery.send_text(target, note)
        if linked:
            await self._dialog(update, context, Start(), event_id=event_id)

    def _redeem(self, sender: Sender, code: str, event_id: str) -> tuple[str, bool] | None:
        """What to say and whether the user is now linked; ``None`` for a redelivered update.

        Wrong codes are limited per user (``storage.base.LINK_MAX_FAILURES``, then a pause)."""
        if self.service.store.seen_event(CHANNEL, event_id):
            return None
        try:
            person = self.identity.redeem(sender, code)
        except LinkLocked:
            return message("telegram.link_locked"), False
        if person is None:
            return message("telegram.link_invalid"), False
        lab = self.identity.lab(sender)
        return message("telegram.linked", person=person.name, lab=lab.name, escape=escape_html), True

    async def on_unknown_command(self, update: Update, context: Context) -> None:
        sender = sender_of(update)
        if sender is not None and sender.private:
            await Delivery(context.bot).send_text(
                Target(chat_id=sender.chat_id), message("telegram.unknown_command")
            )

    async def on_error(self, update: object, context: Context) -> None:
        if isinstance(context.error, Conflict):  # 409: another process polls with this token
            log.warning("telegram getUpdates conflict: %s", context.error)
            if not self._told_conflict:
                self._told_conflict = True
                sys.stderr.write(message("telegram.conflict") + "\n")
            return
        log.error("telegram update failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, message("telegram.error"))
            except Exception:  # the error report must never raise
                log.exception("could not report the error to the chat")


async def send_output(msg: Message, out: Output) -> None:
    """One output of a command, in reply to ``msg``: HTML text, a document, text with buttons."""
    if isinstance(out, FileOut):
        await msg.reply_document(document=out.content, filename=out.filename, caption=out.comment)
        return
    if isinstance(out, TurnRequest):
        return
    keyboard = None
    if isinstance(out, ChoicesOut):
        rows = [
            [InlineKeyboardButton(c.label, callback_data=action_data(c.action, c.value))] for c in out.choices
        ]
        keyboard = InlineKeyboardMarkup(rows)
    assert isinstance(out, TextOut | ChoicesOut)
    pieces = split_html(escape_html(out.text))
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        await msg.reply_text(piece, parse_mode="HTML", reply_markup=keyboard if last else None)


#: how many handled update ids and pressed keyboards are remembered (the oldest are forgotten)
REMEMBERED = 4096


def _remember(seen: OrderedDict[Any, None], key: Any) -> None:
    seen[key] = None
    while len(seen) > REMEMBERED:
        seen.popitem(last=False)


async def answer(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; a query too old to answer (a replayed update) is fine."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        log.debug("callback query %s not answered: %s", query.id, exc)
