"""The inbox: Slack requests that change a draft are kept before Slack is told they arrived.

Slack never redelivers a request it was sent a 200 for, so a request must be on disk before the
acknowledgement: a listener middleware (``Inbox.keep``, run by bolt synchronously, before the ack)
stores its body under the very id its turn records in ``processed_events`` (``inbound_id``). At
start-up ``Inbox.replay`` hands the kept requests that were never applied to the same handlers, in
the order they came, then forgets those applied. A request that changes no draft (App Home, ``bind``,
``link``, opening a modal, an invalid modal) is not kept: it records no turn.

The idempotency keys live here, so the handlers and the inbox cannot disagree on them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Literal

from bot.slack.identity import CHANNEL
from renderers.slack.elements import ACT, COMMAND, EDIT_PICK, MULTI_SUBMIT, PICK
from storage.base import Store

log = logging.getLogger(__name__)

Kind = Literal["message", "command", "action", "submission"]
KINDS: tuple[Kind, ...] = ("message", "command", "action", "submission")


def event_id(key: str) -> str:
    """The id a turn records in ``processed_events`` (channel ``slack``) for an idempotency key."""
    return f"{CHANNEL}:{key}"


def message_key(body: Mapping[str, Any]) -> str | None:
    """The key of a message a person typed in the DM with the app; ``None`` for any other message."""
    event = body.get("event") or {}
    if event.get("subtype") or event.get("bot_id") or event.get("channel_type") != "im":
        return None
    if not event.get("user"):
        return None
    return str(body.get("event_id") or f"msg:{event.get('channel')}:{event.get('ts')}")


def command_name(body: Mapping[str, Any]) -> str:
    return str(body.get("text") or "").strip().partition(" ")[0].lower()


def command_key(body: Mapping[str, Any]) -> str:
    return f"command:{body.get('trigger_id') or body.get('command_ts') or ''}"


def action_key(body: Mapping[str, Any]) -> str:
    action = (body.get("actions") or [{}])[0]
    return f"action:{body['user']['id']}:{action.get('action_ts') or body.get('trigger_id')}"


def view_key(body: Mapping[str, Any]) -> str:
    return f"view:{body['view']['id']}"


def runs_turn(action_id: str) -> bool:
    """Whether a button or select runs a dialog turn (not opening a modal, not ticking a box)."""
    return action_id == MULTI_SUBMIT or action_id.startswith((PICK, ACT + "_", COMMAND + "_", EDIT_PICK))


def inbound_id(kind: Kind, body: Mapping[str, Any], turn_commands: frozenset[str]) -> str | None:
    """The id the request's turn will record, or ``None`` when the request runs no turn
    (``turn_commands``: the ``/dxlab`` subcommands that run one, from the command layer)."""
    if kind == "message":
        key = message_key(body)
        return None if key is None else event_id(key)
    if kind == "command":
        return event_id(command_key(body)) if command_name(body) in turn_commands else None
    if kind == "action":
        action_id = str(((body.get("actions") or [{}])[0]).get("action_id") or "")
        return event_id(action_key(body)) if runs_turn(action_id) else None
    return event_id(view_key(body))


Handler = Callable[[Mapping[str, Any]], None]


class Inbox:
    """Keeps the requests of one app, and replays them through its handlers at start-up."""

    def __init__(
        self,
        *,
        store: Store,
        valid_submission: Callable[[Mapping[str, Any]], bool],
        turn_commands: frozenset[str],
    ) -> None:
        self.store = store
        self.valid_submission = valid_submission
        self.turn_commands = turn_commands

    def keep(self, kind: Kind, body: Mapping[str, Any]) -> None:
        """Store ``body`` if it runs a turn (a duplicate delivery is stored once)."""
        if kind == "submission" and not self.valid_submission(body):
            return  # answered with the form's errors: no turn
        eid = inbound_id(kind, body, self.turn_commands)
        if eid is not None:
            self.store.inbox_put(CHANNEL, eid, {"kind": kind, "body": dict(body)})

    def middleware(self, kind: Kind) -> Callable[..., None]:
        """A bolt listener middleware that keeps the request, then lets bolt acknowledge it."""

        def keep_before_ack(body: dict[str, Any], next: Callable[[], None]) -> None:
            self.keep(kind, body)  # an error here answers 500: Slack delivers the request again
            next()

        keep_before_ack.__name__ = f"keep_{kind}"
        return keep_before_ack

    def replay(self, handlers: Mapping[str, Handler]) -> int:
        """Apply the kept requests never applied (oldest first); returns how many were replayed."""
        pending = self.store.inbox_pending(CHANNEL)
        for eid, payload in pending:
            kind, body = payload.get("kind"), payload.get("body")
            handler = handlers.get(kind) if isinstance(kind, str) else None
            if handler is None or not isinstance(body, dict):
                log.warning("inbox: cannot replay %s (kind %r)", eid, kind)
                continue
            log.info("inbox: replaying %s", eid)
            try:
                handler(body)
            except Exception:
                log.exception("inbox: replaying %s failed; kept for the next start", eid)
        pruned = self.store.inbox_prune(CHANNEL)
        log.info("inbox: %d replayed, %d done", len(pending), pruned)
        return len(pending)
