"""A document a person sends the bot in a private chat: a 実施計画書 (.docx) or an application file.

Owns the Telegram side of an upload: only private chats; the declared size checked before
``getFile`` and again on what ``getFile`` reports (never more than ``MAX_INPUT_BYTES``); the
file downloaded from the Bot API's file URL (the same server as the API, so a local Bot API
server works too); the person's role checked like a turn's; the bytes handed to
``bot.plan_import.from_chat``; then a 進捗 turn (scorecard and the first empty or weak question) under
the message's ``update_id``, so a redelivered update does not import twice. The message's
caption answers the diff question (「上書き」/「空欄だけ」). ``handlers`` is not changed: the
Application routes documents here, and only ``TelegramDialog``'s identity, service and turn
(``_dialog``) are used.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.plan_import import PlanError
from bot.plan_import.from_chat import import_upload, is_plan_name
from bot.plan_import.limits import check_size
from bot.roles import PermissionDenied
from bot.telegram.handlers import Context, TelegramDialog, sender_of
from bot.telegram.identity import CHANNEL
from dialogs.events import Command
from renderers.messages import message
from renderers.telegram.html import escape_html, split_html

log = logging.getLogger(__name__)


class TelegramUploads:
    """The document handler; ``dialog`` runs the 進捗 turn after an import."""

    def __init__(self, *, dialog: TelegramDialog) -> None:
        self.dialog = dialog

    async def on_document(self, update: Update, context: Context) -> None:
        msg, sender = update.effective_message, sender_of(update)
        if msg is None or msg.document is None or sender is None or not sender.private:
            return
        store = self.dialog.service.store
        event_id = str(update.update_id)
        if store.seen_event(CHANNEL, event_id):
            return  # a redelivered update: imported already

        async def send(html: str) -> None:
            for piece in split_html(html):
                await context.bot.send_message(
                    sender.chat_id,
                    piece,
                    parse_mode=ParseMode.HTML,
                    reply_parameters=ReplyParameters(msg.message_id, allow_sending_without_reply=True),
                )

        async def say(text: str) -> None:
            await send(escape_html(text))

        document = msg.document
        name = document.file_name or "document"
        if not is_plan_name(name):
            await say(message("plan_import.chat_not_a_plan", name=name))
            return
        identity = self.dialog.identity
        session = identity.session(sender)
        try:
            identity.policy().enter_lab(session.person.id, session.lab)
        except PermissionDenied as exc:
            await send(message("telegram.session_denied", reason=exc.message, escape=escape_html))
            return
        try:
            data = await self.download(context, document, name)
        except PlanError as exc:
            await say(exc.message)
            return
        except (TelegramError, OSError):
            log.warning("download of %s failed", name, exc_info=True)
            await say(message("plan_import.chat_download_failed", name=name))
            return
        result = import_upload(
            store,
            lab_id=session.lab.id,
            person_id=session.person.id,
            data=data,
            name=name,
            caption=msg.caption or "",
            channel=CHANNEL,
        )
        await say("\n".join(result.lines))
        if result.imported:
            await self.dialog._dialog(update, context, Command("status"), event_id=event_id)

    async def download(self, context: Context, document: Any, name: str) -> bytes:
        """The document's bytes through ``getFile``; ``PlanError`` when it is too large."""
        check_size(int(document.file_size or 0), name=name)
        file = await context.bot.get_file(document.file_id)
        check_size(int(file.file_size or 0), name=name)
        data = bytes(await file.download_as_bytearray())
        check_size(len(data), name=name)
        return data
