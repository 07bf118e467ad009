"""The SQLite store (through sqlite-utils): WAL, ``BEGIN IMMEDIATE`` writes, a busy timeout.

Owns the database file: one connection per thread, the schema (``storage.schema`` migrations),
and the atomic turn: event id, draft, history rows and cursor committed together. Values are
kept as JSON with ASCII escapes, so any Python string — lone surrogates included — is stored
verbatim.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from storage.base import (
    HistoryEntry,
    Lab,
    Person,
    Snapshot,
    StorageError,
    StoredDraft,
    TurnWrite,
    diff_history,
    new_link_code,
    normalize_link_code,
)
from storage.schema import migrate

T = TypeVar("T")
BUSY_TIMEOUT_MS = 10_000
OPTIMISTIC_ATTEMPTS = 8


class _Conflict(Exception):
    """The draft or the cursor changed between a turn's snapshot and its write."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class SQLiteStore:
    """A ``Store`` on one SQLite file (``:memory:`` is not supported: use ``MemoryStore``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("unwritable", str(self.path), exc.strerror or str(exc)) from exc
        if self.path.is_dir():
            raise StorageError("unwritable", str(self.path), "is a directory")
        with self._errors():
            conn = self._conn()
            migrate(sqlite_utils.Database(conn))

    # --- connections -----------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "not a database" in text or "malformed" in text:
                raise StorageError("corrupt", str(self.path), text) from exc
            if "locked" in text or "busy" in text:
                raise StorageError("locked", str(self.path), text) from exc
            if "readonly" in text or "unable to open" in text or "disk I/O" in text:
                raise StorageError("unwritable", str(self.path), text) from exc
            raise

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction. Writers of this process queue on a lock first: SQLite's own
        busy handler sleeps in growing steps and is not woken when the lock frees, which under
        many concurrent writers (50 Slack acknowledgements) costs hundreds of milliseconds."""
        conn = self._conn()
        with self._writer, self._errors():
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()

    # --- labs and people ---------------------------------------------------------------------

    def find_lab(self, name: str) -> Lab | None:
        with self._errors():
            row = self._conn().execute("SELECT id, name FROM labs WHERE name = ?", (name,)).fetchone()
        return Lab(row[0], row[1]) if row else None

    def lab(self, name: str) -> Lab:
        found = self.find_lab(name)
        if found is not None:
            return found
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO labs (name, created_at) VALUES (?, ?)", (name, _now()))
            row = conn.execute("SELECT id, name FROM labs WHERE name = ?", (name,)).fetchone()
        return Lab(row[0], row[1])

    def labs(self) -> list[Lab]:
        with self._errors():
            rows = self._conn().execute("SELECT id, name FROM labs ORDER BY name").fetchall()
        return [Lab(r[0], r[1]) for r in rows]

    def person(self, name: str, *, channel: str = "console", external_id: str | None = None) -> Person:
        key = external_id if external_id is not None else name
        sql = (
            "SELECT p.id, p.name FROM identities i JOIN people p ON p.id = i.person_id "
            "WHERE i.channel = ? AND i.external_id = ?"
        )
        with self._errors():
            row = self._conn().execute(sql, (channel, key)).fetchone()
        if row:
            return Person(row[0], row[1])
        with self._write() as conn:
            row = conn.execute(sql, (channel, key)).fetchone()
            if row is None:
                cur = conn.execute("INSERT INTO people (name, created_at) VALUES (?, ?)", (name, _now()))
                conn.execute(
                    "INSERT INTO identities (channel, external_id, person_id) VALUES (?, ?, ?)",
                    (channel, key, cur.lastrowid),
                )
                row = (cur.lastrowid, name)
        return Person(int(row[0]), row[1])

    # --- drafts ------------------------------------------------------------------------------

    def _read_draft(self, conn: sqlite3.Connection, lab_id: int) -> StoredDraft:
        row = conn.execute(
            "SELECT answers, skipped, review, authors, version FROM drafts WHERE lab_id = ?", (lab_id,)
        ).fetchone()
        if row is None:
            return StoredDraft()
        return StoredDraft(
            answers=_load(row[0]) or {},
            skipped=frozenset(_load(row[1]) or []),
            review=frozenset(_load(row[2]) or []),
            authors=_load(row[3]) or {},
            version=int(row[4]),
        )

    def _write_draft(
        self,
        conn: sqlite3.Connection,
        lab_id: int,
        old: StoredDraft,
        new: StoredDraft,
        *,
        person_id: int,
        channel: str,
        action: str | None = None,
    ) -> None:
        rows = diff_history(old, new)
        if not rows:
            return
        at = _now()
        conn.executemany(
            "INSERT INTO answers (lab_id, field, action, value, person_id, channel, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(lab_id, f, action or a, _dump(v), person_id, channel, at) for f, a, v in rows],
        )
        conn.execute(
            "INSERT INTO drafts (lab_id, answers, skipped, review, authors, version, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(lab_id) DO UPDATE SET answers = excluded.answers, "
            "skipped = excluded.skipped, review = excluded.review, authors = excluded.authors, "
            "version = drafts.version + 1, updated_at = excluded.updated_at",
            (
                lab_id,
                _dump(dict(new.answers)),
                _dump(sorted(new.skipped)),
                _dump(sorted(new.review)),
                _dump(dict(new.authors)),
                at,
            ),
        )

    def draft(self, lab_id: int) -> StoredDraft:
        with self._errors():
            return self._read_draft(self._conn(), lab_id)

    def cursor(self, lab_id: int, person_id: int) -> Mapping[str, Any] | None:
        with self._errors():
            row = (
                self._conn()
                .execute("SELECT state FROM cursors WHERE lab_id = ? AND person_id = ?", (lab_id, person_id))
                .fetchone()
            )
        return _load(row[0]) if row else None

    def turn(
        self,
        lab_id: int,
        person_id: int,
        compute: Callable[[Snapshot], tuple[TurnWrite, T]],
        *,
        channel: str,
        event_id: str | None = None,
    ) -> tuple[bool, T | None]:
        """Optimistic: read a snapshot, compute outside the write lock, then write only if neither
        the draft nor this person's cursor changed meanwhile (else compute again). The write lock
        is held for the writes alone, so acknowledgements and other people's turns never wait
        for a turn's checks. After ``OPTIMISTIC_ATTEMPTS`` conflicts the turn runs under the lock.
        """
        for _ in range(OPTIMISTIC_ATTEMPTS):
            with self._errors():
                snapshot = self._snapshot(self._conn(), lab_id, person_id, channel, event_id)
            if snapshot is None:
                return False, None
            old, cursor_text = snapshot
            write, result = compute(Snapshot(old, _load(cursor_text)))
            try:
                with self._write() as conn:
                    if event_id is not None and not self._claim_event(conn, channel, event_id):
                        return False, None
                    now = conn.execute(
                        "SELECT (SELECT version FROM drafts WHERE lab_id = ?), "
                        "(SELECT state FROM cursors WHERE lab_id = ? AND person_id = ?)",
                        (lab_id, lab_id, person_id),
                    ).fetchone()
                    if (now[0] or 0) != old.version or now[1] != cursor_text:
                        raise _Conflict
                    self._commit_turn(conn, lab_id, person_id, old, write, channel=channel)
            except _Conflict:
                continue
            return True, result
        with self._write() as conn:
            if event_id is not None and not self._claim_event(conn, channel, event_id):
                return False, None
            old = self._read_draft(conn, lab_id)
            cursor_text = self._cursor_text(conn, lab_id, person_id)
            write, result = compute(Snapshot(old, _load(cursor_text)))
            self._commit_turn(conn, lab_id, person_id, old, write, channel=channel)
        return True, result

    @staticmethod
    def _snapshot(
        conn: sqlite3.Connection, lab_id: int, person_id: int, channel: str, event_id: str | None
    ) -> tuple[StoredDraft, str | None] | None:
        """The draft and the cursor text as one statement sees them (a consistent snapshot), or
        ``None`` when ``event_id`` was already processed."""
        row = conn.execute(
            "SELECT d.answers, d.skipped, d.review, d.authors, d.version, "
            "(SELECT state FROM cursors WHERE lab_id = ? AND person_id = ?), "
            "EXISTS (SELECT 1 FROM processed_events WHERE channel = ? AND event_id = ?) "
            "FROM (SELECT 1) LEFT JOIN drafts d ON d.lab_id = ?",
            (lab_id, person_id, channel, event_id, lab_id),
        ).fetchone()
        if event_id is not None and row[6]:
            return None
        draft = StoredDraft()
        if row[4] is not None:
            draft = StoredDraft(
                answers=_load(row[0]) or {},
                skipped=frozenset(_load(row[1]) or []),
                review=frozenset(_load(row[2]) or []),
                authors=_load(row[3]) or {},
                version=int(row[4]),
            )
        return draft, row[5]

    @staticmethod
    def _claim_event(conn: sqlite3.Connection, channel: str, event_id: str) -> bool:
        cur = conn.execute(
            "INSERT OR IGNORE INTO processed_events (channel, event_id, at) VALUES (?, ?, ?)",
            (channel, event_id, _now()),
        )
        return cur.rowcount == 1

    @staticmethod
    def _cursor_text(conn: sqlite3.Connection, lab_id: int, person_id: int) -> str | None:
        row = conn.execute(
            "SELECT state FROM cursors WHERE lab_id = ? AND person_id = ?", (lab_id, person_id)
        ).fetchone()
        return None if row is None else str(row[0])

    def _commit_turn(
        self,
        conn: sqlite3.Connection,
        lab_id: int,
        person_id: int,
        old: StoredDraft,
        write: TurnWrite,
        *,
        channel: str,
    ) -> None:
        self._write_draft(conn, lab_id, old, write.draft, person_id=person_id, channel=channel)
        conn.execute(
            "INSERT INTO cursors (lab_id, person_id, state, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(lab_id, person_id) DO UPDATE SET state = excluded.state, "
            "updated_at = excluded.updated_at",
            (lab_id, person_id, _dump(dict(write.cursor)), _now()),
        )

    def replace_draft(self, lab_id: int, answers: Mapping[str, Any], *, person_id: int, channel: str) -> None:
        with self._write() as conn:
            old = self._read_draft(conn, lab_id)
            merged = dict(old.answers)
            merged.update(answers)
            authors = dict(old.authors)
            new = StoredDraft(
                answers=merged,
                skipped=old.skipped - set(answers),
                review=old.review - set(answers),
                authors=authors,
                version=old.version,
            )
            self._write_draft(conn, lab_id, old, new, person_id=person_id, channel=channel, action="import")

    def history(self, lab_id: int, field: str | None = None) -> list[HistoryEntry]:
        sql = (
            "SELECT a.id, a.field, a.action, a.value, COALESCE(p.name, ''), a.channel, a.at "
            "FROM answers a LEFT JOIN people p ON p.id = a.person_id WHERE a.lab_id = ?"
        )
        params: list[Any] = [lab_id]
        if field is not None:
            sql += " AND a.field = ?"
            params.append(field)
        with self._errors():
            rows = self._conn().execute(sql + " ORDER BY a.id", params).fetchall()
        return [HistoryEntry(r[0], r[1], r[2], _load(r[3]), r[4], r[5], r[6]) for r in rows]

    def seen_event(self, channel: str, event_id: str) -> bool:
        with self._errors():
            row = (
                self._conn()
                .execute(
                    "SELECT 1 FROM processed_events WHERE channel = ? AND event_id = ?", (channel, event_id)
                )
                .fetchone()
            )
        return row is not None

    def inbox_put(self, channel: str, event_id: str, payload: Mapping[str, Any]) -> bool:
        with self._write() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO inbox (channel, event_id, payload, received_at) VALUES (?, ?, ?, ?)",
                (channel, event_id, _dump(dict(payload)), _now()),
            )
        return cur.rowcount == 1

    def inbox_pending(self, channel: str) -> list[tuple[str, dict[str, Any]]]:
        with self._errors():
            rows = (
                self._conn()
                .execute(
                    "SELECT i.event_id, i.payload FROM inbox i WHERE i.channel = ? AND NOT EXISTS "
                    "(SELECT 1 FROM processed_events p "
                    "WHERE p.channel = i.channel AND p.event_id = i.event_id) "
                    "ORDER BY i.received_at, i.rowid",
                    (channel,),
                )
                .fetchall()
            )
        return [(r[0], _load(r[1])) for r in rows]

    def inbox_prune(self, channel: str) -> int:
        with self._write() as conn:
            cur = conn.execute(
                "DELETE FROM inbox WHERE channel = ? AND EXISTS (SELECT 1 FROM processed_events p "
                "WHERE p.channel = inbox.channel AND p.event_id = inbox.event_id)",
                (channel,),
            )
        return cur.rowcount

    def inbox_drop(self, channel: str, event_id: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM inbox WHERE channel = ? AND event_id = ?", (channel, event_id))

    def integrity_check(self) -> str:
        with self._errors():
            return str(self._conn().execute("PRAGMA integrity_check").fetchone()[0])

    # --- bindings and link codes -------------------------------------------------------------

    def bind(self, channel: str, external_id: str, lab_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO bindings (channel, external_id, lab_id, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(channel, external_id) DO UPDATE SET lab_id = excluded.lab_id",
                (channel, external_id, lab_id, _now()),
            )

    def bound_lab(self, channel: str, external_id: str) -> Lab | None:
        with self._errors():
            row = (
                self._conn()
                .execute(
                    "SELECT l.id, l.name FROM bindings b JOIN labs l ON l.id = b.lab_id "
                    "WHERE b.channel = ? AND b.external_id = ?",
                    (channel, external_id),
                )
                .fetchone()
            )
        return Lab(row[0], row[1]) if row else None

    def last_lab(self, person_id: int) -> Lab | None:
        with self._errors():
            row = (
                self._conn()
                .execute(
                    "SELECT l.id, l.name FROM cursors c JOIN labs l ON l.id = c.lab_id "
                    "WHERE c.person_id = ? ORDER BY c.updated_at DESC LIMIT 1",
                    (person_id,),
                )
                .fetchone()
            )
        return Lab(row[0], row[1]) if row else None

    def create_link_code(self, person_id: int, *, ttl_seconds: int = 900) -> str:
        now = datetime.now(UTC)
        with self._write() as conn:
            while True:
                code = new_link_code()
                cur = conn.execute(
                    "INSERT OR IGNORE INTO link_codes (code, person_id, created_at, expires_at) "
                    "VALUES (?, ?, ?, ?)",
                    (code, person_id, now.isoformat(), (now + timedelta(seconds=ttl_seconds)).isoformat()),
                )
                if cur.rowcount == 1:
                    return code

    def redeem_link_code(self, code: str, *, channel: str, external_id: str) -> Person | None:
        key = normalize_link_code(code)
        now = datetime.now(UTC).isoformat()
        with self._write() as conn:
            row = conn.execute(
                "SELECT c.person_id, p.name FROM link_codes c JOIN people p ON p.id = c.person_id "
                "WHERE c.code = ? AND c.used_at IS NULL AND c.expires_at > ?",
                (key, now),
            ).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE link_codes SET used_at = ? WHERE code = ?", (now, key))
            conn.execute(
                "INSERT INTO identities (channel, external_id, person_id) VALUES (?, ?, ?) "
                "ON CONFLICT(channel, external_id) DO UPDATE SET person_id = excluded.person_id",
                (channel, external_id, row[0]),
            )
        return Person(int(row[0]), row[1])
