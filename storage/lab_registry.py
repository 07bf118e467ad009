"""The coordinators' registry of labs and the reminders (nudges) sent to them, on the SQLite file.

Owns the ``registry``, ``contacts`` (schema v6: a lab's chat contacts as ``(channel, external id)``
rows, in order) and ``reminders`` tables, and the reading of ``roles`` + ``identities`` for
reminders to coordinators, through the store's public transaction API. Storage stays neutral:
channels, statuses, kinds and dates are the strings the caller gives (ISO dates, slugs); every
time is passed in, so tests inject a clock.

Reminder rows move ``pending → sending → sent``. ``claim`` turns a due ``pending`` row into
``sending`` with a lease (``next_attempt_at`` = lease end), one row at a time right before its
send, by a conditional update in ``BEGIN IMMEDIATE``: two runners (cron and a server) never send
the same row. A failed send goes back to
``pending`` with ``attempts + 1`` and a later ``next_attempt_at``; a ``sending`` row whose lease
ran out is what a crash left behind (see ``bot.coordinator.runner`` for what happens to it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.base import SQLDatabase

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
UNKNOWN = "unknown"
CANCELLED = "cancelled"
NO_CONTACT = "no_contact"
ACTIVE = (PENDING, SENDING)


def stamp(moment: datetime) -> str:
    """A timestamp as stored: ISO 8601, UTC offset included, sortable as text."""
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True, kw_only=True)
class RegistryEntry:
    """One lab of the registry (the lab's name comes from ``labs``)."""

    name: str
    kind: str
    status: str
    prefecture: str = ""
    municipality: str = ""
    iot_selected_on: str | None = None
    contacts: tuple[tuple[str, str], ...] = ()  # (channel, external id), the preferred first
    transition_deadline: str | None = None
    lab_id: int = 0
    has_draft: bool = False
    updated_at: str = ""


@dataclass(frozen=True, kw_only=True)
class NewReminder:
    key: str
    lab_id: int
    deadline: str
    stage: str
    channel: str
    target: str
    body: str
    status: str = PENDING
    lab_name: str = ""  # for reports; not stored (the name lives in ``labs``)


@dataclass(frozen=True, kw_only=True)
class Reminder:
    key: str
    lab_id: int
    lab_name: str
    deadline: str
    stage: str
    channel: str
    target: str
    status: str
    attempts: int
    body: str
    created_at: str
    sent_at: str | None
    next_attempt_at: str | None
    last_error: str | None


_ENTRY_SQL = (
    "SELECT l.id, l.name, r.prefecture, r.municipality, r.kind, r.iot_selected_on, r.status, "
    "(SELECT json_group_array(json_array(c.channel, c.external_id)) FROM "
    "(SELECT channel, external_id FROM contacts WHERE lab_id = l.id ORDER BY position) c), "
    "r.transition_deadline, r.updated_at, "
    "EXISTS (SELECT 1 FROM drafts d WHERE d.lab_id = l.id AND d.answers NOT IN ('{}', '')) "
    "FROM registry r JOIN labs l ON l.id = r.lab_id"
)
_REMINDER_SQL = (
    "SELECT m.key, m.lab_id, COALESCE(l.name, ''), m.deadline, m.stage, m.channel, m.target, m.status, "
    "m.attempts, m.body, m.created_at, m.sent_at, m.next_attempt_at, m.last_error "
    "FROM reminders m LEFT JOIN labs l ON l.id = m.lab_id"
)


def _entry(row: Sequence[Any]) -> RegistryEntry:
    return RegistryEntry(
        lab_id=int(row[0]),
        name=row[1],
        prefecture=row[2] or "",
        municipality=row[3] or "",
        kind=row[4],
        iot_selected_on=row[5] or None,
        status=row[6],
        contacts=tuple((str(c), str(x)) for c, x in json.loads(row[7] or "[]")),
        transition_deadline=row[8] or None,
        updated_at=row[9] or "",
        has_draft=bool(row[10]),
    )


def _reminder(row: Sequence[Any]) -> Reminder:
    return Reminder(
        key=row[0],
        lab_id=int(row[1]),
        lab_name=row[2],
        deadline=row[3],
        stage=row[4],
        channel=row[5],
        target=row[6],
        status=row[7],
        attempts=int(row[8] or 0),
        body=row[9],
        created_at=row[10],
        sent_at=row[11],
        next_attempt_at=row[12],
        last_error=row[13],
    )


class RegistryStore:
    """Registry and reminder persistence through a store's public transaction API (same file)."""

    def __init__(self, store: SQLDatabase) -> None:
        self.store = store

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return self.store.query(sql, tuple(params))

    # --- the registry --------------------------------------------------------------------------

    def save(self, entries: Sequence[RegistryEntry], *, at: datetime) -> int:
        """Insert or update every entry (creating their labs) in one transaction; returns the count."""
        now = stamp(at)
        with self.store.transaction() as conn:
            for e in entries:
                conn.execute("INSERT OR IGNORE INTO labs (name, created_at) VALUES (?, ?)", (e.name, now))
                lab_id = conn.execute("SELECT id FROM labs WHERE name = ?", (e.name,)).fetchone()[0]
                conn.execute(
                    "INSERT INTO registry (lab_id, prefecture, municipality, kind, iot_selected_on, status, "
                    "transition_deadline, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(lab_id) DO UPDATE SET "
                    "prefecture = excluded.prefecture, municipality = excluded.municipality, "
                    "kind = excluded.kind, iot_selected_on = excluded.iot_selected_on, "
                    "status = excluded.status, "
                    "transition_deadline = excluded.transition_deadline, updated_at = excluded.updated_at",
                    (
                        lab_id,
                        e.prefecture,
                        e.municipality,
                        e.kind,
                        e.iot_selected_on,
                        e.status,
                        e.transition_deadline,
                        now,
                    ),
                )
                conn.execute("DELETE FROM contacts WHERE lab_id = ?", (lab_id,))
                conn.executemany(
                    "INSERT OR IGNORE INTO contacts (lab_id, channel, external_id, position) "
                    "VALUES (?, ?, ?, ?)",
                    [(lab_id, c, x, i) for i, (c, x) in enumerate(e.contacts) if x],
                )
        return len(entries)

    def entries(self, *, status: str | None = None) -> list[RegistryEntry]:
        sql, params = _ENTRY_SQL, []
        if status is not None:
            sql += " WHERE r.status = ?"
            params.append(status)
        return [_entry(r) for r in self._read(sql + " ORDER BY l.name", params)]

    def entry(self, name: str) -> RegistryEntry | None:
        rows = self._read(_ENTRY_SQL + " WHERE l.name = ?", (name,))
        return _entry(rows[0]) if rows else None

    # --- reminders -----------------------------------------------------------------------------

    def record(self, reminders: Sequence[NewReminder], *, at: datetime) -> list[str]:
        """Record new reminders (one transaction); returns the keys that were not recorded before."""
        now = stamp(at)
        fresh: list[str] = []
        if not reminders:
            return fresh
        with self.store.transaction() as conn:
            for r in reminders:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO reminders (key, lab_id, deadline, stage, channel, target, status, "
                    "attempts, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                    (r.key, r.lab_id, r.deadline, r.stage, r.channel, r.target, r.status, r.body, now, now),
                )
                if cur.rowcount == 1:
                    fresh.append(r.key)
        return fresh

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self._read(f"SELECT key FROM reminders WHERE key IN ({marks})", chunk)}
        return found

    def due(self, *, now: datetime) -> list[Reminder]:
        """``pending`` rows whose (re)try time has come, oldest first."""
        rows = self._read(
            _REMINDER_SQL + " WHERE m.status = ? AND m.next_attempt_at <= ? ORDER BY m.created_at, m.key",
            (PENDING, stamp(now)),
        )
        return [_reminder(r) for r in rows]

    def claim(self, key: str, *, now: datetime, lease_until: datetime) -> bool:
        """Take one due ``pending`` row for sending (``sending``, leased); ``False`` if another runner did."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "UPDATE reminders SET status = ?, next_attempt_at = ? "
                "WHERE key = ? AND status = ? AND next_attempt_at <= ?",
                (SENDING, stamp(lease_until), key, PENDING, stamp(now)),
            )
        return cur.rowcount == 1

    def expired_sending(self, *, now: datetime) -> list[Reminder]:
        """``sending`` rows whose lease has run out: a crash between claim and outcome."""
        rows = self._read(
            _REMINDER_SQL + " WHERE m.status = ? AND m.next_attempt_at <= ? ORDER BY m.created_at, m.key",
            (SENDING, stamp(now)),
        )
        return [_reminder(r) for r in rows]

    def mark_sent(self, key: str, *, at: datetime) -> None:
        self._update(
            key, "status = ?, sent_at = ?, next_attempt_at = NULL, last_error = NULL", (SENT, stamp(at))
        )

    def mark_failed(self, key: str, *, error: str, retry_at: datetime) -> None:
        self._update(
            key,
            "status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?",
            (PENDING, stamp(retry_at), error[:1000]),
        )

    def mark(
        self, key: str, status: str, *, error: str | None = None, retry_at: datetime | None = None
    ) -> None:
        """Set a row's status (``pending`` again, ``unknown``, ``cancelled`` …)."""
        self._update(
            key,
            "status = ?, next_attempt_at = ?, last_error = COALESCE(?, last_error)",
            (status, stamp(retry_at) if retry_at else None, error),
        )

    def _update(self, key: str, assignments: str, params: tuple[Any, ...]) -> None:
        with self.store.transaction() as conn:
            conn.execute(f"UPDATE reminders SET {assignments} WHERE key = ?", (*params, key))

    def reminders(self, *, lab_id: int | None = None, statuses: Sequence[str] = ()) -> list[Reminder]:
        clauses: list[str] = []
        params: list[Any] = []
        if lab_id is not None:
            clauses.append("m.lab_id = ?")
            params.append(lab_id)
        if statuses:
            clauses.append(f"m.status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return [
            _reminder(r) for r in self._read(_REMINDER_SQL + where + " ORDER BY m.created_at, m.key", params)
        ]

    # --- roles (read-only: the roles table belongs to the roles feature) ------------------------

    def role_contacts(self, role: str, channels: Sequence[str]) -> list[tuple[str, str]]:
        """``(channel, external_id)`` of the identities on ``channels`` of the people holding ``role``."""
        if not channels:
            return []
        marks = ",".join("?" * len(channels))
        return [
            (r[0], r[1])
            for r in self._read(
                "SELECT DISTINCT i.channel, i.external_id FROM roles o JOIN identities i "
                f"ON i.person_id = o.person_id WHERE o.role = ? AND i.channel IN ({marks}) "
                "ORDER BY i.channel, i.external_id",
                (role, *channels),
            )
        ]
