"""The SQLite store (through sqlite-utils): WAL, ``BEGIN IMMEDIATE`` writes, a busy timeout.

Owns the database file: one connection per thread, the schema (``storage.schema`` migrations),
the writers' queue (``<file>.lock``) and the atomic turn: event id, draft, history rows and cursor
committed together. Values are kept as UTF-8 JSON (``storage.codec``), so any Python string —
lone surrogates included — is stored verbatim.

Writers queue before ``BEGIN IMMEDIATE``: threads of one process on a lock, processes on an
exclusive ``flock`` of the lock file beside the database. SQLite's own busy handler sleeps in
growing steps (up to 100 ms) and is not woken when the lock frees, so two or four ``dxlab chat``
processes on one file saw reply-gap p99 of 20 and 57 ms against 5 ms alone; the kernel wakes a
process waiting on ``flock`` as soon as the holder releases it. The lock only ever surrounds one
write transaction and is taken before SQLite's, so it cannot deadlock with it; the kernel drops it
when a process dies. Where the lock file cannot be opened (a read-only folder, no ``fcntl``), the
busy timeout alone arbitrates, as before.

Faults become a ``StorageError`` whose ``kind`` names them: ``newer`` (a newer dxlab's file,
refused at open), ``corrupt`` (``PRAGMA quick_check`` at open, or a read error later: from then
on this store refuses every write, so nothing is written on top of the damage), ``full``
(SQLITE_FULL), ``unwritable`` (read-only file or folder) and ``locked``. A failed write is rolled
back whole; ``transaction()`` makes several writes one.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from storage.base import (
    HistoryEntry,
    Lab,
    Person,
    Snapshot,
    StorageError,
    StoredDraft,
    TurnWrite,
    diff_history,
)
from storage.codec import dump, load, now
from storage.schema import SCHEMA_VERSION, SchemaTooNew, migrate
from storage.sqlite_channels import ChannelTables

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
BUSY_TIMEOUT_MS = 10_000
OPTIMISTIC_ATTEMPTS = 8


class _Conflict(Exception):
    """The draft or the cursor changed between a turn's snapshot and its write."""


class SQLiteStore(ChannelTables):
    """A ``Store`` on one SQLite file (``:memory:`` is not supported: use ``MemoryStore``)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writer = threading.RLock()
        self._lock_fd: int | None = None
        self._lock_depth = 0
        self._damage: str | None = None  # why writes are refused (corruption seen)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("unwritable", str(self.path), exc.strerror or str(exc)) from exc
        if self.path.is_dir():
            raise StorageError("unwritable", str(self.path), "is a directory")
        try:
            with self._errors():
                conn = self._conn()
                self._quick_check(conn)
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) != SCHEMA_VERSION:
                    import sqlite_utils  # only to migrate: its import costs a tenth of start-up

                    with self._file_lock():
                        migrate(sqlite_utils.Database(conn))
        except SchemaTooNew as exc:
            self.close()
            raise StorageError("newer", str(self.path), f"{exc.found}/{exc.supported}") from exc
        except BaseException:
            self.close()
            raise

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

    def _quick_check(self, conn: sqlite3.Connection) -> None:
        """Refuse a damaged file at open (``PRAGMA quick_check``: every page, no index cross-check)."""
        row = conn.execute("PRAGMA quick_check(1)").fetchone()
        if row is not None and row[0] != "ok":
            self._damage = str(row[0]).replace("*** in database main ***\n", "")
            raise StorageError("corrupt", str(self.path), self._damage)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            text = str(exc)
            if "not a database" in text or "malformed" in text:
                self._damage = text  # from now on this store writes nothing
                raise StorageError("corrupt", str(self.path), text) from exc
            if "locked" in text or "busy" in text:
                raise StorageError("locked", str(self.path), text) from exc
            if "full" in text:
                raise StorageError("full", str(self.path), text) from exc
            if "readonly" in text or "unable to open" in text or "disk I/O" in text:
                raise StorageError("unwritable", str(self.path), text) from exc
            raise

    @property
    def lock_path(self) -> Path:
        """The file whose ``flock`` queues the writers of every process (beside the database)."""
        return self.path.with_name(self.path.name + ".lock")

    def _lock_file(self) -> int | None:
        if self._lock_fd is None and fcntl is not None:
            try:
                self._lock_fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                return None  # read-only folder: SQLite's busy timeout alone arbitrates
        return self._lock_fd

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold the writers' ``flock`` (re-entrant within the thread holding ``_writer``)."""
        with self._writer:
            fd = self._lock_file()
            if fd is None or self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                fcntl.flock(fd, fcntl.LOCK_UN)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (or, inside ``transaction()``, part of that one).

        Writers queue first: behind this process's threads on a lock, then behind other
        processes on the lock file (see the module's docstring). SQLite's own busy handler
        sleeps in growing steps and is not woken when the lock frees. Any failure — SQLITE_FULL
        in the middle or at COMMIT included — rolls the whole transaction back."""
        conn = self._conn()
        if getattr(self._local, "in_transaction", False):
            yield conn
            return
        if self._damage is not None:
            raise StorageError("corrupt", str(self.path), self._damage)
        with self._file_lock(), self._errors():
            conn.execute("BEGIN IMMEDIATE")
            self._local.in_transaction = True
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            finally:
                self._local.in_transaction = False

    # --- the public transaction API (``storage.base.SQLDatabase``) -----------------------------

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` write transaction, for the feature tables (roles, registry):
        all of its writes are committed, or none; writes made inside it join it."""
        return self._write()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The rows of one read on this thread's connection."""
        with self._errors():
            return self._conn().execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                with suppress(sqlite3.Error):
                    conn.close()
            self._all.clear()
        self._local = threading.local()
        with self._writer:
            if self._lock_fd is not None:
                with suppress(OSError):
                    os.close(self._lock_fd)
                self._lock_fd = None

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
            conn.execute("INSERT OR IGNORE INTO labs (name, created_at) VALUES (?, ?)", (name, now()))
            row = conn.execute("SELECT id, name FROM labs WHERE name = ?", (name,)).fetchone()
        return Lab(row[0], row[1])

    def labs(self) -> list[Lab]:
        with self._errors():
            rows = self._conn().execute("SELECT id, name FROM labs ORDER BY name").fetchall()
        return [Lab(r[0], r[1]) for r in rows]

    def rename_lab(self, lab_id: int, name: str) -> Lab | None:
        with self._write() as conn:
            taken = conn.execute("SELECT id FROM labs WHERE name = ? AND id <> ?", (name, lab_id)).fetchone()
            if taken is not None:
                return None
            conn.execute("UPDATE labs SET name = ? WHERE id = ?", (name, lab_id))
            row = conn.execute("SELECT id, name FROM labs WHERE id = ?", (lab_id,)).fetchone()
        return Lab(row[0], row[1]) if row else None

    def find_person(self, *, channel: str, external_id: str) -> Person | None:
        sql = (
            "SELECT p.id, p.name FROM identities i JOIN people p ON p.id = i.person_id "
            "WHERE i.channel = ? AND i.external_id = ?"
        )
        with self._errors():
            row = self._conn().execute(sql, (channel, external_id)).fetchone()
        return Person(int(row[0]), row[1]) if row else None

    def rename_person(self, person_id: int, name: str) -> Person:
        with self._write() as conn:
            conn.execute("UPDATE people SET name = ? WHERE id = ?", (name, person_id))
        return Person(person_id, name)

    def person(self, name: str, *, channel: str, external_id: str | None = None) -> Person:
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
                cur = conn.execute("INSERT INTO people (name, created_at) VALUES (?, ?)", (name, now()))
                conn.execute(
                    "INSERT INTO identities (channel, external_id, person_id) VALUES (?, ?, ?)",
                    (channel, key, cur.lastrowid),
                )
                row = (cur.lastrowid, name)
        return Person(int(row[0]), row[1])

    # --- drafts ------------------------------------------------------------------------------

    def _read_draft(self, conn: sqlite3.Connection, lab_id: int) -> StoredDraft:
        row = conn.execute(
            "SELECT answers, skipped, review, authors, version, updated_at FROM drafts WHERE lab_id = ?",
            (lab_id,),
        ).fetchone()
        if row is None:
            return StoredDraft()
        return StoredDraft(
            answers=load(row[0]) or {},
            skipped=frozenset(load(row[1]) or []),
            review=frozenset(load(row[2]) or []),
            authors=load(row[3]) or {},
            version=int(row[4]),
            updated_at=row[5] or "",
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
        at = now()
        conn.executemany(
            "INSERT INTO answers (lab_id, field, action, value, person_id, channel, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(lab_id, f, action or a, dump(v), person_id, channel, at) for f, a, v in rows],
        )
        conn.execute(
            "INSERT INTO drafts (lab_id, answers, skipped, review, authors, version, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT(lab_id) DO UPDATE SET answers = excluded.answers, "
            "skipped = excluded.skipped, review = excluded.review, authors = excluded.authors, "
            "version = drafts.version + 1, updated_at = excluded.updated_at",
            (
                lab_id,
                dump(dict(new.answers)),
                dump(sorted(new.skipped)),
                dump(sorted(new.review)),
                dump(dict(new.authors)),
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
        return load(row[0]) if row else None

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
            write, result = compute(Snapshot(old, load(cursor_text)))
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
            write, result = compute(Snapshot(old, load(cursor_text)))
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
                answers=load(row[0]) or {},
                skipped=frozenset(load(row[1]) or []),
                review=frozenset(load(row[2]) or []),
                authors=load(row[3]) or {},
                version=int(row[4]),
            )
        return draft, row[5]

    @staticmethod
    def _claim_event(conn: sqlite3.Connection, channel: str, event_id: str) -> bool:
        cur = conn.execute(
            "INSERT OR IGNORE INTO processed_events (channel, event_id, at) VALUES (?, ?, ?)",
            (channel, event_id, now()),
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
            (lab_id, person_id, dump(dict(write.cursor)), now()),
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
        return [HistoryEntry(r[0], r[1], r[2], load(r[3]), r[4], r[5], r[6]) for r in rows]

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

    def integrity_check(self) -> str:
        with self._errors():
            return str(self._conn().execute("PRAGMA integrity_check").fetchone()[0])
