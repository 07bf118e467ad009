"""Engine replies → Telegram calls: HTML messages with keyboards, documents, keyboard clean-up.

Owns how a turn's replies become messages: consecutive replies are joined into one message, a
reply with buttons ends its message (the keyboard goes on its last piece), long text is split
under 4,096 UTF-16 units. In a group, a question without buttons asks for a reply (ForceReply),
so people can answer it with the bot's privacy mode on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, ForceReply, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest

from dialogs.replies import ExportRequest, Question, RecordFieldQuestion, Reply
from renderers.messages import message
from renderers.telegram.html import MAX_MESSAGE, escape_html, render_html, split_html, utf16_len
from renderers.telegram.keyboards import keyboard_for

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ForceReply | None


@dataclass(frozen=True)
class ExportFile:
    """A written export, ready to send."""

    filename: str
    data: bytes
    fallback: bool = False


@dataclass(frozen=True)
class ExportFailure:
    reason: str


@dataclass(frozen=True)
class Target:
    """Where replies go: the chat, the message they answer, and whether it is a group."""

    chat_id: int
    reply_to: int | None = None
    group: bool = False


class Delivery:
    """Sends what the engine said."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_text(self, target: Target, text: str, markup: Markup = None) -> int | None:
        """Send HTML ``text`` (split when long); returns the id of the last message sent."""
        pieces = split_html(text)
        last_id = None
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            sent = await self.bot.send_message(
                target.chat_id,
                piece,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
                reply_parameters=(
                    ReplyParameters(target.reply_to, allow_sending_without_reply=True)
                    if target.group and target.reply_to and i == 0
                    else None
                ),
            )
            last_id = sent.message_id
        return last_id

    async def send_replies(
        self, target: Target, replies: Sequence[Reply], exports: Sequence[ExportFile | ExportFailure] = ()
    ) -> int | None:
        """Send a turn's replies; returns the id of the message carrying a keyboard, if any."""
        keyboard_message = None
        pending = list(exports)
        texts: list[str] = []
        for reply in replies:
            if isinstance(reply, ExportRequest):
                await self._flush(target, texts, None)
                texts = []
                if pending:
                    await self.send_export(target, pending.pop(0))
                continue
            text = render_html(reply)
            if text:
                texts.append(text)
            keyboard = keyboard_for(reply, group=target.group)
            if keyboard is not None:
                keyboard_message = await self._flush(target, texts, keyboard)
                texts = []
            elif target.group and isinstance(reply, Question | RecordFieldQuestion):
                await self._flush(target, texts, ForceReply(selective=True))
                texts = []
        await self._flush(target, texts, None)
        return keyboard_message

    async def _flush(self, target: Target, texts: list[str], markup: Markup) -> int | None:
        if not texts:
            return None
        return await self.send_text(target, "\n\n".join(texts), markup)

    async def send_export(self, target: Target, export: ExportFile | ExportFailure) -> None:
        if isinstance(export, ExportFailure):
            await self.send_text(
                target, message("telegram.export_failed", reason=export.reason, escape=escape_html)
            )
            return
        caption = message(
            "telegram.export_fallback_caption" if export.fallback else "telegram.export_caption"
        )
        await self.bot.send_document(
            target.chat_id, document=export.data, filename=export.filename, caption=caption
        )

    async def mark_chosen(self, pressed: Message, label: str) -> None:
        """Show under a pressed message what was chosen, and remove its keyboard, so it no longer
        looks live (a message too long or too old for that only loses its keyboard)."""
        text = (
            (pressed.text_html or "") + "\n\n" + message("telegram.chosen", label=label, escape=escape_html)
        )
        try:
            if utf16_len(text) > MAX_MESSAGE:
                raise BadRequest("message too long to mark")
            await self.bot.edit_message_text(
                text, chat_id=pressed.chat.id, message_id=pressed.message_id, parse_mode=ParseMode.HTML
            )
        except BadRequest as exc:
            log.debug("message %s not marked: %s", pressed.message_id, exc)
            await self.drop_keyboard(pressed.chat.id, pressed.message_id)

    async def drop_keyboard(self, chat_id: int, message_id: int) -> None:
        """Remove the inline keyboard of a message (already gone or too old is fine)."""
        try:
            await self.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        except BadRequest as exc:
            log.debug("keyboard of %s/%s not removed: %s", chat_id, message_id, exc)
