"""The toy channel: a chat platform that posts JSON payloads and reads back plain text.

A payload is ``{"id": "m1", "user": "u1", "name": "山田", "text": "..."}``, or a button press
``{"id": "m2", "user": "u1", "button": {"step": "transition", "value": "no"}}``. Everything a
channel must do is here — who the person is, the inbox key, payload → event or command,
outputs and replies → platform output, reminders — and nothing else: parsing commands, roles,
exactly-once and the dialog are the core's (``bot.core``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.coordinator.notifiers import Outgoing
from bot.core.commands import Caller, ChoicesOut, FileOut, Output, TextOut, TurnRequest
from bot.core.router import Invocation, Router
from bot.roles import register_channel
from bot.service import DialogService, Session
from dialogs.events import Act, Event, Pick, Text
from dialogs.replies import Reply
from renderers.text import render_with

NAME = "toy"
TEMPLATES = Path(__file__).parent / "templates"  # overrides: only what differs from renderers/templates/text

Payload = Mapping[str, Any]
register_channel(NAME)  # identities such as DXLAB_ADMINS=toy:u1 may name this channel


class ToyChannel:
    """Implements ``bot.core.channel.Channel`` for toy payloads."""

    name = NAME
    prefix = "/"

    def __init__(self, *, service: DialogService, router: Router) -> None:
        self.service = service
        self.router = router
        self.files: dict[str, bytes] = {}

    # --- who, which event, which key ----------------------------------------------------------

    def caller(self, payload: Payload) -> Caller | None:
        if not payload.get("user"):
            return None
        person = self.service.store.person(
            str(payload.get("name") or payload["user"]), channel=NAME, external_id=str(payload["user"])
        )
        return Caller(person, NAME, self.prefix)

    def session(self, caller: Caller, payload: Payload) -> Session:
        """The person's lab: the one bound to them, else a lab of their own."""
        store = self.service.store
        lab = store.bound_lab(NAME, str(payload["user"]))
        if lab is None:
            lab = store.lab(f"{NAME}:{payload['user']}")
            store.bind(NAME, str(payload["user"]), lab.id)
        return Session(lab=lab, person=caller.person, channel=NAME)

    def incoming(self, payload: Payload) -> Event | Invocation | None:
        button = payload.get("button")
        if isinstance(button, Mapping):
            if button.get("action"):
                return Act(str(button["step"]), str(button["action"]), str(button.get("value") or ""))
            return Pick(str(button["step"]), str(button.get("value") or ""))
        text = str(payload.get("text") or "")
        invocation = self.router.parse(text)
        if invocation is not None:
            return invocation
        return Text(text)

    def inbox_key(self, payload: Payload) -> str | None:
        """Every payload that may run a turn is kept under its id (a command that only answers is not)."""
        incoming = self.incoming(payload)
        if isinstance(incoming, Invocation) and not incoming.command.turn:
            return None
        return f"{NAME}:{payload['id']}"

    # --- what the person reads ----------------------------------------------------------------

    def show(self, replies: Sequence[Reply], target: Any = None) -> list[str]:
        return [text for text in (render_with(r, overrides=TEMPLATES) for r in replies) if text]

    def deliver(self, outputs: Sequence[Output], target: Any = None) -> list[str]:
        shown: list[str] = []
        for out in outputs:
            if isinstance(out, FileOut):
                self.files[out.filename] = out.content
                shown.append(out.comment)
            elif isinstance(out, ChoicesOut):
                shown.append(out.text + "\n" + " / ".join(f"[{c.label}]" for c in out.choices))
            elif isinstance(out, TextOut):
                shown.append(out.text)
        return shown

    # --- one payload, start to end ------------------------------------------------------------

    def handle(self, payload: Payload) -> list[str] | None:
        """What the person reads for ``payload``; ``None`` for a redelivered one (already applied)."""
        caller = self.caller(payload)
        if caller is None:
            return []
        key = self.inbox_key(payload)
        if key is not None:
            self.service.store.inbox_put(NAME, key, dict(payload))  # before the platform is told "ok"
        incoming = self.incoming(payload)
        if isinstance(incoming, Invocation):
            outputs = self.router.run(caller, incoming)
            events = [o.event for o in outputs if isinstance(o, TurnRequest)]
            if not events:
                return self.deliver(outputs)
            incoming = events[0]
        assert incoming is not None
        outcome = self.router.turn(self.session(caller, payload), incoming, event_id=key)
        if outcome.refusal is not None:
            return [outcome.refusal]
        return None if outcome.replies is None else self.show(outcome.replies)

    def replay(self) -> int:
        """Apply the kept payloads a crash left unapplied (at start-up)."""
        pending = self.service.store.inbox_pending(NAME)
        for _, payload in pending:
            self.handle(payload)
        self.service.store.inbox_prune(NAME)
        return len(pending)


class ToyNotifier:
    """Reminders on the toy channel: kept in a list (a real one would post them)."""

    channel = NAME
    idempotent = False

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def send(self, item: Outgoing) -> None:
        self.sent.append(item)
