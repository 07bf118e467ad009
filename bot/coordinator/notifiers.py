"""Where reminders go: the ``Notifier`` protocol, and the terminal's notifier (a dry run).

Owns the ``Notifier`` protocol, the ``Outgoing`` reminder and ``DeliveryError``. Each chat channel
implements its notifier in its own package (``bot.slack.notifier``, ``bot.telegram.notifier``):
a reminder's body is plain text kept in the database; each notifier escapes it for its channel and
adds the way to continue. ``send`` returns on success and raises ``DeliveryError`` otherwise.
``idempotent`` says whether sending the same reminder twice is harmless (only the terminal).
``bot.wiring.notifiers_from_env`` picks the channels whose tokens are set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol, TextIO

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


MISSING_ENV = {SLACK: "SLACK_BOT_TOKEN", TELEGRAM: "TELEGRAM_BOT_TOKEN"}
