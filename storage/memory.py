"""An in-memory store with the same behaviour as the SQLite one (tests, dry runs).

Owns nothing durable: one lock serialises every operation so a turn is atomic, as in SQLite.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import storage.base as base
from storage.base import (
    HistoryEntry,
    Lab,
    LinkLocked,
    Person,
    Snapshot,
    StoredDraft,
    TurnWrite,
    diff_history,
    new_link_code,
    normalize_link_code,
)

T = TypeVar("T")


class MemoryStore:
    """A ``Store`` in process memory."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._labs: dict[str, Lab] = {}
        self._people: dict[int, Person] = {}
        self._identities: dict[tuple[str, str], int] = {}
        self._drafts: dict[int, StoredDraft] = {}
        self._cursors: dict[tuple[int, int], dict[str, Any]] = {}
        self._recent: dict[int, int] = {}
        self._history: list[tuple[int, HistoryEntry]] = []
        self._events: set[tuple[str, str]] = set()
        self._bindings: dict[tuple[str, str], int] = {}
        self._codes: dict[str, tuple[int, datetime, bool]] = {}
        self._inbox: dict[tuple[str, str], dict[str, Any]] = {}
        self._link_failures: dict[tuple[str, str], list[datetime]] = {}
        #: code → (lab id, inviter, expires, used)
        self._invites: dict[str, tuple[int, int, datetime, bool]] = {}

    def find_lab(self, name: str) -> Lab | None:
        with self._lock:
            return self._labs.get(name)

    def lab(self, name: str) -> Lab:
        with self._lock:
            if name not in self._labs:
                self._labs[name] = Lab(len(self._labs) + 1, name)
            return self._labs[name]

    def labs(self) -> list[Lab]:
        with self._lock:
            return sorted(self._labs.values(), key=lambda lab: lab.name)

    def rename_lab(self, lab_id: int, name: str) -> Lab | None:
        with self._lock:
            old = next((lab for lab in self._labs.values() if lab.id == lab_id), None)
            if old is None or (name in self._labs and self._labs[name].id != lab_id):
                return None
            del self._labs[old.name]
            self._labs[name] = Lab(lab_id, name)
            return self._labs[name]

    def find_person(self, *, channel: str, external_id: str) -> Person | None:
        with self._lock:
            person_id = self._identities.get((channel, external_id))
            return self._people[person_id] if person_id is not None else None

    def rename_person(self, person_id: int, name: str) -> Person:
        with self._lock:
            self._people[person_id] = Person(person_id, name)
            return self._people[person_id]

    def person(self, name: str, *, channel: str, external_id: str | None = None) -> Person:
        key = (channel, external_id if external_id is not None else name)
        with self._lock:
            if key not in self._identities:
                person = Person(len(self._people) + 1, name)
                self._people[person.id] = person
                self._identities[key] = person.id
            return self._people[self._identities[key]]

    def draft(self, lab_id: int) -> StoredDraft:
        with self._lock:
            return copy.deepcopy(self._drafts.get(lab_id, StoredDraft()))

    def cursor(self, lab_id: int, person_id: int) -> Mapping[str, Any] | None:
        with self._lock:
            found = self._cursors.get((lab_id, person_id))
            return copy.deepcopy(found) if found is not None else None

    def _apply(
        self, lab_id: int, new: StoredDraft, *, person_id: int, channel: str, action: str | None
    ) -> None:
        old = self._drafts.get(lab_id, StoredDraft())
        rows = diff_history(old, new)
        if not rows:
            return
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        name = self._people[person_id].name if person_id in self._people else ""
        for f, a, v in rows:
            entry = HistoryEntry(len(self._history) + 1, f, action or a, copy.deepcopy(v), name, channel, at)
            self._history.append((lab_id, entry))
        self._drafts[lab_id] = StoredDraft(
            answers=copy.deepcopy(dict(new.answers)),
            skipped=new.skipped,
            review=new.review,
            authors=dict(new.authors),
            version=old.version + 1,
            updated_at=at,
        )

    def turn(
        self,
        lab_id: int,
        person_id: int,
        compute: Callable[[Snapshot], tuple[TurnWrite, T]],
        *,
        channel: str,
        event_id: str | None = None,
    ) -> tuple[bool, T | None]:
        with self._lock:
            if event_id is not None and (channel, event_id) in self._events:
                return False, None
            write, result = compute(Snapshot(self.draft(lab_id), self.cursor(lab_id, person_id)))
            if event_id is not None:
                self._events.add((channel, event_id))
            self._apply(lab_id, write.draft, person_id=person_id, channel=channel, action=None)
            self._cursors[(lab_id, person_id)] = copy.deepcopy(dict(write.cursor))
            self._recent[person_id] = lab_id
            return True, result

    def replace_draft(self, lab_id: int, answers: Mapping[str, Any], *, person_id: int, channel: str) -> None:
        with self._lock:
            old = self._drafts.get(lab_id, StoredDraft())
            merged = dict(old.answers)
            merged.update(answers)
            new = StoredDraft(
                answers=merged,
                skipped=old.skipped - set(answers),
                review=old.review - set(answers),
                authors=dict(old.authors),
                version=old.version,
            )
            self._apply(lab_id, new, person_id=person_id, channel=channel, action="import")

    def history(self, lab_id: int, field: str | None = None) -> list[HistoryEntry]:
        with self._lock:
            return [e for lid, e in self._history if lid == lab_id and (field is None or e.field == field)]

    def seen_event(self, channel: str, event_id: str) -> bool:
        with self._lock:
            return (channel, event_id) in self._events

    def inbox_put(self, channel: str, event_id: str, payload: Mapping[str, Any]) -> bool:
        with self._lock:
            if (channel, event_id) in self._inbox:
                return False
            self._inbox[(channel, event_id)] = copy.deepcopy(dict(payload))
            return True

    def inbox_pending(self, channel: str) -> list[tuple[str, dict[str, Any]]]:
        with self._lock:
            return [
                (eid, copy.deepcopy(p))
                for (ch, eid), p in self._inbox.items()
                if ch == channel and (ch, eid) not in self._events
            ]

    def inbox_prune(self, channel: str) -> int:
        with self._lock:
            done = [k for k in self._inbox if k[0] == channel and k in self._events]
            for key in done:
                del self._inbox[key]
            return len(done)

    def inbox_drop(self, channel: str, event_id: str) -> None:
        with self._lock:
            self._inbox.pop((channel, event_id), None)

    def bind(self, channel: str, external_id: str, lab_id: int) -> None:
        with self._lock:
            self._bindings[(channel, external_id)] = lab_id

    def bound_lab(self, channel: str, external_id: str) -> Lab | None:
        with self._lock:
            lab_id = self._bindings.get((channel, external_id))
            return next((lab for lab in self._labs.values() if lab.id == lab_id), None)

    def last_lab(self, person_id: int) -> Lab | None:
        with self._lock:
            lab_id = self._recent.get(person_id)
            return next((lab for lab in self._labs.values() if lab.id == lab_id), None)

    def create_link_code(self, person_id: int, *, ttl_seconds: int = 900) -> str:
        with self._lock:
            code = new_link_code()
            while code in self._codes:
                code = new_link_code()
            self._codes[code] = (person_id, datetime.now(UTC) + timedelta(seconds=ttl_seconds), False)
            return code

    def _recent_failures(self, channel: str, external_id: str, moment: datetime) -> list[datetime]:
        """This identity's wrong codes within the pause; ``LinkLocked`` when there are too many."""
        since = moment - timedelta(seconds=base.LINK_PAUSE_SECONDS)
        failures = [t for t in self._link_failures.get((channel, external_id), []) if t > since]
        if len(failures) >= base.LINK_MAX_FAILURES:
            raise LinkLocked(f"{channel}:{external_id}")
        return failures

    def redeem_link_code(self, code: str, *, channel: str, external_id: str) -> Person | None:
        key = normalize_link_code(code)
        with self._lock:
            moment = datetime.now(UTC)
            failures = self._recent_failures(channel, external_id, moment)
            found = self._codes.get(key)
            if found is None or found[2] or found[1] <= moment:
                self._link_failures[(channel, external_id)] = [*failures, moment]
                return None
            self._codes[key] = (found[0], found[1], True)
            self._identities[(channel, external_id)] = found[0]
            return self._people[found[0]]

    def create_invite_code(
        self, lab_id: int, *, by_person_id: int, ttl_seconds: int = base.INVITE_TTL_SECONDS
    ) -> str:
        with self._lock:
            code = new_link_code()
            while code in self._invites:
                code = new_link_code()
            expires = datetime.now(UTC) + timedelta(seconds=ttl_seconds)
            self._invites[code] = (lab_id, by_person_id, expires, False)
            return code

    def redeem_invite_code(self, code: str, *, channel: str, external_id: str, person_id: int) -> Lab | None:
        key = normalize_link_code(code)
        with self._lock:
            moment = datetime.now(UTC)
            failures = self._recent_failures(channel, external_id, moment)
            found = self._invites.get(key)
            lab = None if found is None else next((x for x in self._labs.values() if x.id == found[0]), None)
            if found is None or found[3] or found[2] <= moment or lab is None:
                self._link_failures[(channel, external_id)] = [*failures, moment]
                return None
            self._invites[key] = (found[0], found[1], found[2], True)
            self._bindings[(channel, external_id)] = lab.id
            return lab

    def invite_code_inviter(self, code: str) -> int | None:
        with self._lock:
            found = self._invites.get(normalize_link_code(code))
            return None if found is None else found[1]

    def close(self) -> None:
        """Nothing to release."""
