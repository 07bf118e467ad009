"""The dialog service: one place where a person's event meets the engine and the store.

Owns the translation between stored drafts (storage) and engine state (dialogs), and runs each
turn inside one store transaction, so that the event id, the answers, their history and the
person's cursor are committed together. Every adapter (terminal, Slack, Telegram) calls this.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.roles import Policy
from criteria.application import Application
from criteria.report import CheckReport
from dialogs.engine import Engine
from dialogs.events import Event
from dialogs.replies import Reply
from dialogs.state import Cursor, DialogState, Draft, build_application
from storage.base import Lab, Person, Snapshot, Store, StoredDraft, TurnWrite

log = logging.getLogger(__name__)


def to_engine_draft(stored: StoredDraft) -> Draft:
    return Draft(
        answers=dict(stored.answers),
        skipped=stored.skipped,
        review=stored.review,
        authors=dict(stored.authors),
    )


def to_stored_draft(draft: Draft, version: int) -> StoredDraft:
    return StoredDraft(
        answers=dict(draft.answers),
        skipped=draft.skipped,
        review=draft.review,
        authors=dict(draft.authors),
        version=version,
    )


@dataclass(frozen=True)
class Session:
    """Who is talking about which lab, through which channel."""

    lab: Lab
    person: Person
    channel: str


class DialogService:
    """Runs engine turns against a store; ``policy`` is the roles policy on the same database."""

    def __init__(self, *, store: Store, engine: Engine | None = None, policy: Policy | None = None) -> None:
        self.store = store
        self.engine = engine or Engine()
        self.policy = policy if policy is not None else Policy(store)  # type: ignore[arg-type]

    def session(
        self, *, lab: str, person: str, channel: str = "console", external_id: str | None = None
    ) -> Session:
        """Open (creating when new) the lab and the person."""
        return Session(
            lab=self.store.lab(lab),
            person=self.store.person(person, channel=channel, external_id=external_id),
            channel=channel,
        )

    def handle(self, session: Session, event: Event, *, event_id: str | None = None) -> list[Reply] | None:
        """Apply one event; ``None`` when ``event_id`` was already processed (a duplicate)."""

        def compute(snapshot: Snapshot) -> tuple[TurnWrite, list[Reply]]:
            state = DialogState(
                draft=to_engine_draft(snapshot.draft),
                cursor=Cursor.from_json(snapshot.cursor),
                person=session.person.name,
            )
            new_state, replies = self.engine.handle(state, event)
            write = TurnWrite(
                draft=to_stored_draft(new_state.draft, snapshot.draft.version),
                cursor=new_state.cursor.to_json(),
            )
            return write, replies

        fresh, replies = self.store.turn(
            session.lab.id, session.person.id, compute, channel=session.channel, event_id=event_id
        )
        if not fresh:
            log.info("duplicate event %s on %s ignored", event_id, session.channel)
            return None
        return replies

    def application(self, lab: Lab) -> Application:
        """The lab's current draft as an Application."""
        return build_application(self.store.draft(lab.id).answers)

    def report(self, lab: Lab) -> CheckReport:
        return self.engine.checker(self.application(lab))
