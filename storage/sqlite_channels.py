"""The channel-facing tables of the SQLite store: the inbox, lab bindings, link and invitation codes.

Owns what the chat channels need beyond drafts: inbound events kept before they are acknowledged
(and replayed after a crash), bindings of platform users/channels to labs, one-time codes that
link one person's identities across channels, and invitation codes that make a colleague staff
of a lab (wrong codes of both kinds share one lockout); inbox rows kept at once share one commit. A
mixin of ``SQLiteStore``: it uses the store's connection, write transaction and error translation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import storage.base as base
from storage.base import Lab, LinkLocked, Person, new_link_code, normalize_link_code
from storage.codec import dump, load, now

_INBOX_INSERT = "INSERT OR IGNORE INTO inbox (channel, event_id, payload, received_at) VALUES (?, ?, ?, ?)"


class _Slot:
    """One waiting ``inbox_put``: its row, then its outcome."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row
        self.done = threading.Event()
        self.inserted = False
        self.error: BaseException | None = None


class _InboxBatch:
    """Group commit of inbox rows: the first caller to find no batch running leads, and commits
    every row queued meanwhile in one write transaction, until none is left; the others wait for
    their row's outcome. A failed transaction fails every row in it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[_Slot] = []
        self._leading = False

    def put(self, write: Callable[[], Any], row: tuple[Any, ...]) -> bool:
        mine = _Slot(row)
        with self._lock:
            self._pending.append(mine)
            lead = not self._leading
            self._leading = True
        if lead:
            self._lead(write)
        mine.done.wait()
        if mine.error is not None:
            raise mine.error
        return mine.inserted

    def _lead(self, write: Callable[[], Any]) -> None:
        batch: list[_Slot] = []
        try:
            while True:
                with self._lock:
                    batch, self._pending = self._pending, []
                    if not batch:
                        self._leading = False
                        return
                with write() as conn:
                    results = [conn.execute(_INBOX_INSERT, slot.row).rowcount == 1 for slot in batch]
                for slot, inserted in zip(batch, results, strict=True):
                    slot.inserted = inserted
                    slot.done.set()
                batch = []
        except BaseException as exc:
            with self._lock:
                failed, self._pending = batch + self._pending, []
                self._leading = False
            for slot in failed:
                slot.error = exc
                slot.done.set()


class ChannelTables:
    """Inbox, bindings and link codes, through the store's ``_conn``, ``_write`` and ``_errors``."""

    _conn: Any
    _write: Any
    _errors: Any
    _writer: Any

    # --- the inbox ---------------------------------------------------------------------------

    def inbox_put(self, channel: str, event_id: str, payload: Mapping[str, Any]) -> bool:
        """Keep an inbound event durably. Concurrent calls share one transaction (group commit):
        50 Slack acknowledgements at once cost a few fsyncs, not 50 one after another."""
        row = (channel, event_id, dump(dict(payload)), now())
        if self._writer._is_owned():  # inside this thread's write: part of it (a batch would deadlock)
            with self._write() as conn:
                return bool(conn.execute(_INBOX_INSERT, row).rowcount == 1)
        batch: _InboxBatch | None = getattr(self, "_inbox_batch", None)
        if batch is None:
            batch = self.__dict__.setdefault("_inbox_batch", _InboxBatch())
        return batch.put(self._write, row)

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
        return [(r[0], load(r[1])) for r in rows]

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

    # --- bindings and link codes -------------------------------------------------------------

    def bind(self, channel: str, external_id: str, lab_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO bindings (channel, external_id, lab_id, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(channel, external_id) DO UPDATE SET lab_id = excluded.lab_id",
                (channel, external_id, lab_id, now()),
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

    def _check_locked(self, conn: Any, channel: str, external_id: str, moment: datetime) -> None:
        """Raise ``LinkLocked`` when this identity typed too many wrong codes lately."""
        since = (moment - timedelta(seconds=base.LINK_PAUSE_SECONDS)).isoformat()
        (failures,) = conn.execute(
            "SELECT COUNT(*) FROM link_failures WHERE channel = ? AND external_id = ? AND failed_at > ?",
            (channel, external_id, since),
        ).fetchone()
        if failures >= base.LINK_MAX_FAILURES:
            raise LinkLocked(f"{channel}:{external_id}")

    @staticmethod
    def _record_failure(conn: Any, channel: str, external_id: str, now: str) -> None:
        """One wrong link or invitation code by this identity (``_check_locked`` counts them)."""
        conn.execute(
            "INSERT INTO link_failures (channel, external_id, failed_at) VALUES (?, ?, ?)",
            (channel, external_id, now),
        )

    def redeem_link_code(self, code: str, *, channel: str, external_id: str) -> Person | None:
        key = normalize_link_code(code)
        moment = datetime.now(UTC)
        now = moment.isoformat()
        with self._write() as conn:
            self._check_locked(conn, channel, external_id, moment)
            row = conn.execute(
                "SELECT c.person_id, p.name FROM link_codes c JOIN people p ON p.id = c.person_id "
                "WHERE c.code = ? AND c.used_at IS NULL AND c.expires_at > ?",
                (key, now),
            ).fetchone()
            if row is None:
                self._record_failure(conn, channel, external_id, now)
                return None
            conn.execute("UPDATE link_codes SET used_at = ? WHERE code = ?", (now, key))
            conn.execute(
                "INSERT INTO identities (channel, external_id, person_id) VALUES (?, ?, ?) "
                "ON CONFLICT(channel, external_id) DO UPDATE SET person_id = excluded.person_id",
                (channel, external_id, row[0]),
            )
        return Person(int(row[0]), row[1])

    # --- invitation codes --------------------------------------------------------------------

    def create_invite_code(
        self, lab_id: int, *, by_person_id: int, ttl_seconds: int = base.INVITE_TTL_SECONDS
    ) -> str:
        now = datetime.now(UTC)
        with self._write() as conn:
            while True:
                code = new_link_code()
                cur = conn.execute(
                    "INSERT OR IGNORE INTO invite_codes (code, lab_id, by_person_id, created_at, expires_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        code,
                        lab_id,
                        by_person_id,
                        now.isoformat(),
                        (now + timedelta(seconds=ttl_seconds)).isoformat(),
                    ),
                )
                if cur.rowcount == 1:
                    return code

    def redeem_invite_code(self, code: str, *, channel: str, external_id: str, person_id: int) -> Lab | None:
        key = normalize_link_code(code)
        moment = datetime.now(UTC)
        now = moment.isoformat()
        with self._write() as conn:
            self._check_locked(conn, channel, external_id, moment)
            row = conn.execute(
                "SELECT l.id, l.name FROM invite_codes c JOIN labs l ON l.id = c.lab_id "
                "WHERE c.code = ? AND c.used_at IS NULL AND c.expires_at > ?",
                (key, now),
            ).fetchone()
            if row is None:
                self._record_failure(conn, channel, external_id, now)
                return None
            conn.execute(
                "UPDATE invite_codes SET used_at = ?, used_by = ? WHERE code = ?", (now, person_id, key)
            )
            conn.execute(
                "INSERT INTO bindings (channel, external_id, lab_id, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(channel, external_id) DO UPDATE SET lab_id = excluded.lab_id",
                (channel, external_id, row[0], now),
            )
        return Lab(int(row[0]), row[1])

    def invite_code_inviter(self, code: str) -> int | None:
        with self._errors():
            row = (
                self._conn()
                .execute("SELECT by_person_id FROM invite_codes WHERE code = ?", (normalize_link_code(code),))
                .fetchone()
            )
        return int(row[0]) if row else None
