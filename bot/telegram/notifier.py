"""Reminders on Telegram: Bot API ``sendMessage`` with the body escaped as HTML."""

from __future__ import annotations

import asyncio

from bot.coordinator.notifiers import TELEGRAM, DeliveryError, Outgoing


class TelegramNotifier:
    """Bot API ``sendMessage`` through python-telegram-bot's ``Bot``; ``TELEGRAM_API_BASE_URL`` as base.

    ``send`` is synchronous: it runs its own event loop, so call it from a worker thread when an
    event loop is already running (the scheduler does).
    """

    channel = TELEGRAM
    idempotent = False

    def __init__(self, *, token: str, base_url: str | None = None) -> None:
        self.token = token
        self.base_url = base_url

    async def _send(self, item: Outgoing) -> None:
        from telegram import Bot
        from telegram.constants import ParseMode

        from bot.telegram.api import api_urls
        from renderers.telegram.html import escape_html, split_html

        api, files = api_urls(self.base_url)
        async with Bot(self.token, base_url=api, base_file_url=files) as bot:
            for piece in split_html(escape_html(item.body)):
                await bot.send_message(item.target, piece, parse_mode=ParseMode.HTML)

    def send(self, item: Outgoing) -> None:
        from telegram.error import TelegramError

        try:
            asyncio.run(self._send(item))
        except TelegramError as exc:
            raise DeliveryError(f"telegram: {exc}") from exc
        except OSError as exc:
            raise DeliveryError(f"telegram: {exc}") from exc
