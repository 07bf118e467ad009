"""What a channel is: the ``Channel`` protocol every channel package implements, and the
``Runtime`` the composition root hands a channel's ``serve``.

A channel (the terminal, Slack, Telegram, the next one) is one package that turns its platform's
payloads into the neutral core's inputs and the core's outputs into platform calls:

- ``caller(payload)`` — who the person is (a ``Caller``: the person, the channel's name, how
  commands are typed there), or ``None`` for a payload no person sent;
- ``inbox_key(payload)`` — the event id the payload's turn records (exactly once), or ``None``
  when it runs no turn;
- ``incoming(payload)`` — the payload as an engine event or a command ``Invocation``;
- ``deliver(outputs, target)`` / ``show(replies, target)`` — command outputs and engine replies as
  platform calls (the channel's templates, overriding only what differs: ``renderers/``);
- ``notifier`` — how a coordinator's reminder is sent on this channel (``bot.coordinator.notifiers``).

Everything else — parsing commands, roles, exactly-once, the dialog — is the core's
(``bot.core.router``); composition is ``bot.wiring``'s. ``docs/channels.md`` walks through adding
one; ``tests/channel_kit.py`` is a complete small channel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.core.commands import Caller, Output
from bot.core.router import Invocation, Router
from bot.service import DialogService
from dialogs.events import Event
from dialogs.replies import Reply

Payload = TypeVar("Payload", contravariant=True)


class Channel(Protocol[Payload]):
    """One chat platform's adapter around the command layer."""

    name: str
    prefix: str

    def caller(self, payload: Payload) -> Caller | None: ...

    def inbox_key(self, payload: Payload) -> str | None: ...

    def incoming(self, payload: Payload) -> Event | Invocation | None: ...

    def deliver(self, outputs: Sequence[Output], target: Any = None) -> Any: ...

    def show(self, replies: Sequence[Reply], target: Any = None) -> Any: ...


@dataclass(frozen=True)
class Runtime:
    """What ``bot.wiring`` gives a channel's ``serve``, so no channel imports the composition root:
    the service on a database, the router on a service, and the scheduled nudge (``start_nudges(
    service, job_queue)`` → something to ``shutdown()``, or ``None``)."""

    open_service: Callable[[str | None], DialogService]
    router_for: Callable[[DialogService], Router]
    start_nudges: Callable[[DialogService, Any], Any]
