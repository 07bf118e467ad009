"""Where reminders go: a ``Notifier`` per channel — terminal (dry run), Slack, Telegram.

Owns the ``Notifier`` protocol and its implementations. A reminder's body is plain text kept in
the database; each notifier escapes it for its channel (Slack mrkdwn, Telegram HTML) with the
channel renderers' own helpers and adds the way to continue (Slack: the 「続きに答える」 button the
Slack app already handles). ``send`` returns on success and raises ``DeliveryError`` otherwise.
``idempotent`` says whether sending the same reminder twice is harmless (only the terminal).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from renderers.messages import message

log = logging.getLogger(__name__)

CONSOLE = "console"
SLACK = "slack"
TELEGRAM = "telegram"


class DeliveryError(Exception):
    """The channel did not accept the message (``reason`` is shown to coordinators)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class Outgoing:
    """One reminder to send."""

    key: str
    channel: str
    target: str
    lab: str
    stage: str
    body: str
    button: bool = False


class Notifier(Protocol):
    """Sends one reminder on one channel."""

    channel: str
    idempotent: bool

    def send(self, item: Outgoing) -> None: ...


class TerminalNotifier:
    """Prints the reminder (``dxlab nudge --dry-run``, or reminders with no chat contact)."""

    channel = CONSOLE
    idempotent = True

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def send(self, item: Outgoing) -> None:
        head = message(
            "coordinator.nudge_planned_item",
            lab=item.lab,
            stage=item.stage,
            channel=item.channel,
            target=item.target,
        )
        self.out.write(f"{head}\n{item.body}\n\n")
        self.out.flush()


class SlackNotifier:
    """``chat.postMessage`` to a user (a DM from the bot) or a channel; ``SLACK_API_URL`` as base."""

    channel = SLACK
    idempotent = False

    def __init__(self, *, token: str, base_url: str | None = None, client: Any = None) -> None:
        from slack_sdk import WebClient

        self.client = client or WebClient(token=token, base_url=base_url or WebClient.BASE_URL, timeout=15)

    def send(self, item: Outgoing) -> None:
        from slack_sdk.errors import SlackApiError, SlackClientError

        from renderers.slack.blocks import command_button
        from renderers.slack.elements import actions, sections
        from renderers.slack.limits import FALLBACK_TEXT, mrkdwn_escape, shorten

        text = mrkdwn_escape(item.body)
        blocks = sections(text)
        if item.button:
            blocks += actions([command_button("start", style="primary")])
        try:
            self.client.chat_postMessage(
                channel=item.target, text=shorten(text, FALLBACK_TEXT), blocks=blocks, unfurl_links=False
            )
        except SlackApiError as exc:
            raise DeliveryError(f"slack: {exc.response.get('error', exc)}") from exc
        except (SlackClientError, OSError) as exc:
            raise DeliveryError(f"slack: {exc}") from exc


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

        from bot.telegram.app import api_urls
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


def notifiers_from_env(out: TextIO) -> dict[str, Notifier]:
    """The terminal, plus Slack and Telegram when their tokens are set (``SLACK_BOT_TOKEN`` …)."""
    found: dict[str, Notifier] = {CONSOLE: TerminalNotifier(out)}
    slack_token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if slack_token:
        found[SLACK] = SlackNotifier(token=slack_token, base_url=os.environ.get("SLACK_API_URL") or None)
    telegram_token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if telegram_token:
        found[TELEGRAM] = TelegramNotifier(
            token=telegram_token, base_url=os.environ.get("TELEGRAM_API_BASE_URL") or None
        )
    return found


MISSING_ENV = {SLACK: "SLACK_BOT_TOKEN", TELEGRAM: "TELEGRAM_BOT_TOKEN"}
