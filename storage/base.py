"""The storage interface: what the bot needs to keep drafts, people, cursors and events.

Owns the neutral records (``StoredDraft``, ``HistoryEntry`` …) and the ``Store`` protocol that
every backend (SQLite, in-memory) implements and one shared test class checks. Storage knows
nothing of the dialog: drafts are answers keyed by field path, cursors are opaque JSON.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class StorageError(Exception):
    """The database cannot be used: ``kind`` is ``unwritable``, ``corrupt`` or ``locked``."""

    def __init__(self, kind: str, path: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {path}: {detail}")
        self.kind = kind
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class Lab:
    id: int
    name: str


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class StoredDraft:
    """A lab's shared draft: answers by field path, skipped and 要再確認 fields, last authors."""

    answers: Mapping[str, Any] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()
    review: frozenset[str] = frozenset()
    authors: Mapping[str, str] = field(default_factory=dict)
    version: int = 0
    updated_at: str = ""  # when it last changed (UTC ISO 8601), as read from the store


@dataclass(frozen=True)
class Snapshot:
    """What a turn reads, inside its write transaction."""

    draft: StoredDraft
    cursor: Mapping[str, Any] | None


@dataclass(frozen=True)
class TurnWrite:
    """What a turn writes: the new draft and cursor (history rows are derived by the store)."""

    draft: StoredDraft
    cursor: Mapping[str, Any]


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a draft's append-only answer history."""

    id: int
    field: str
    action: str
    value: Any
    person: str
    channel: str
    at: str


#: How long an invitation code may be used: a week (a colleague may read it days later).
INVITE_TTL_SECONDS = 7 * 24 * 3600


class SQLDatabase(Protocol):
    """The public transaction API of an SQL store, for the feature tables kept beside the drafts
    (roles, the coordinators' registry): one ``BEGIN IMMEDIATE`` write transaction, and reads."""

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back when it raises."""
        ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read (database errors become ``StorageError``)."""
        ...


class Store(Protocol):
    """A place to keep everything; every method is atomic."""

    def lab(self, name: str) -> Lab:
        """The lab named ``name``, created when new."""
        ...

    def find_lab(self, name: str) -> Lab | None: ...

    def labs(self) -> list[Lab]: ...

    def rename_lab(self, lab_id: int, name: str) -> Lab | None:
        """Give a lab a new name (its draft, history, cursors and bindings stay with it);
        ``None`` when another lab already has that name."""
        ...

    def find_person(self, *, channel: str, external_id: str) -> Person | None:
        """The person known on ``channel`` as ``external_id``, without creating one."""
        ...

    def rename_person(self, person_id: int, name: str) -> Person:
        """Set the name a person is shown by (their identities stay as they are)."""
        ...

    def person(self, name: str, *, channel: str, external_id: str | None = None) -> Person:
        """The person known on ``channel`` as ``external_id`` (default: the name), created when new."""
        ...

    def draft(self, lab_id: int) -> StoredDraft: ...

    def cursor(self, lab_id: int, person_id: int) -> Mapping[str, Any] | None: ...

    def turn(
        self,
        lab_id: int,
        person_id: int,
        compute: Callable[[Snapshot], tuple[TurnWrite, T]],
        *,
        channel: str,
        event_id: str | None = None,
    ) -> tuple[bool, T | None]:
        """Run ``compute`` on a fresh snapshot and write its result, all in one transaction.

        Returns ``(False, None)`` without calling ``compute`` when ``event_id`` was already
        processed on ``channel``; otherwise ``(True, result)``. The event id, the draft, the
        history rows and the cursor are committed together or not at all.
        """
        ...

    def replace_draft(self, lab_id: int, answers: Mapping[str, Any], *, person_id: int, channel: str) -> None:
        """Import: set every given answer (history keeps the old ones)."""
        ...

    def history(self, lab_id: int, field: str | None = None) -> list[HistoryEntry]: ...

    def seen_event(self, channel: str, event_id: str) -> bool: ...

    def inbox_put(self, channel: str, event_id: str, payload: Mapping[str, Any]) -> bool:
        """Keep an inbound event before acknowledging it; ``False`` if it was already kept."""
        ...

    def inbox_pending(self, channel: str) -> list[tuple[str, dict[str, Any]]]:
        """Kept events whose effect was never committed (oldest first): replay them at start."""
        ...

    def inbox_prune(self, channel: str) -> int:
        """Forget kept events that were processed; returns how many."""
        ...

    def inbox_drop(self, channel: str, event_id: str) -> None:
        """Forget one kept event that will never be applied (refused, say): no replay for it."""
        ...

    def bind(self, channel: str, external_id: str, lab_id: int) -> None:
        """Bind a platform user, channel or chat to a lab (replacing an earlier binding)."""
        ...

    def bound_lab(self, channel: str, external_id: str) -> Lab | None: ...

    def last_lab(self, person_id: int) -> Lab | None:
        """The lab this person worked on most recently (on any channel)."""
        ...

    def create_link_code(self, person_id: int, *, ttl_seconds: int = 900) -> str:
        """A fresh one-time code (8 characters, no look-alike letters) that links to this person."""
        ...

    def redeem_link_code(self, code: str, *, channel: str, external_id: str) -> Person | None:
        """Make ``external_id`` on ``channel`` the code's person; ``None`` if unknown, used or expired.

        A wrong code counts against that identity: after ``LINK_MAX_FAILURES`` within
        ``LINK_PAUSE_SECONDS`` every try (even a right code) raises ``LinkLocked`` until the pause
        has passed."""
        ...

    def create_invite_code(
        self, lab_id: int, *, by_person_id: int, ttl_seconds: int = INVITE_TTL_SECONDS
    ) -> str:
        """A fresh one-time code (like a link code) that makes whoever redeems it staff of ``lab_id``;
        ``by_person_id`` is the one who invited."""
        ...

    def redeem_invite_code(self, code: str, *, channel: str, external_id: str, person_id: int) -> Lab | None:
        """Use ``code`` for ``person_id`` (known on ``channel`` as ``external_id``, now bound to the
        lab there); the code's lab, or ``None`` if unknown, used or expired.

        A wrong code counts toward the same lockout as wrong link codes (``LinkLocked``)."""
        ...

    def invite_code_inviter(self, code: str) -> int | None:
        """Who issued ``code`` (used or not); ``None`` for an unknown code."""
        ...

    def close(self) -> None: ...


#: Wrong link codes one identity may try within ``LINK_PAUSE_SECONDS``; then it waits.
LINK_MAX_FAILURES = 5
LINK_PAUSE_SECONDS = 900


class LinkLocked(Exception):
    """Too many wrong link codes from one identity: it must wait ``LINK_PAUSE_SECONDS``."""


LINK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_link_code() -> str:
    """Eight random characters from an alphabet without 0/O and 1/I look-alikes."""
    import secrets

    return "".join(secrets.choice(LINK_ALPHABET) for _ in range(8))


def normalize_link_code(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and hyphens, and full-width forms."""
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())


def diff_history(old: StoredDraft, new: StoredDraft) -> list[tuple[str, str, Any]]:
    """The history rows ``(field, action, value)`` that take ``old`` to ``new``."""
    rows: list[tuple[str, str, Any]] = []
    for key, value in new.answers.items():
        if key not in old.answers or old.answers[key] != value:
            rows.append((key, "set", value))
    for key in sorted(new.skipped - old.skipped):
        rows.append((key, "skip", None))
    for key in sorted(new.review - old.review):
        rows.append((key, "flag", None))
    for key in sorted(old.review - new.review):
        rows.append((key, "unflag", None))
    return rows
