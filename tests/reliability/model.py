"""The oracle of the reliability tests: each person's dialog as the pure engine says it must go.

A ``Person`` tracks, for one lab's typist, what was sent, acknowledged and applied. The engine is
pure (``handle(state, event) -> (state, replies)``), so the expected state after every event and
the replies a program must show for it are known in advance. After a SIGKILL the stored state of
each person must be either the state before their in-flight event or the one after it — anything
else is corruption — and an acknowledged event must have been applied. At the end, the events
found applied are replayed in a fresh database: the answer history must be identical, which shows
that nothing was applied twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.service import DialogService
from bot.wiring import build_engine
from dialogs.engine import Engine
from dialogs.events import Event, Text
from dialogs.replies import Question, RecordFieldQuestion, RecordMenu, Reply
from dialogs.state import Cursor, DialogState, Draft
from storage import SQLiteStore

StoredState = tuple[Any, Any]  # (answers, cursor) as JSON values; cursor None before any turn

_ENGINE: Engine | None = None


def engine() -> Engine:
    """The shipped engine (built once: the flow YAML is validated at load)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = build_engine()
    return _ENGINE


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=True))


@dataclass
class Op:
    """One event in flight: the state it starts from, the state it must lead to, its replies."""

    event: Event
    before: DialogState
    after: DialogState
    replies: list[Reply]
    acked: bool = False
    wire: Any = None  # what the driver needs to redeliver it (a Slack body, a Telegram update)


@dataclass
class Tally:
    """The figures a run reached (printed as ``RELIABILITY {...}`` and kept for README)."""

    program: str
    seed: int
    people: int = 0
    turns: int = 0  # typed answers applied (each exactly once)
    kills: int = 0  # SIGKILLs survived (restart, integrity ok, state consistent)
    in_flight_at_kill: int = 0  # events sent but not yet acknowledged when the process died
    applied_unacked: int = 0  # of those, found applied (their reply was never seen)
    redelivered: int = 0  # events delivered again after a restart (Slack retry, Telegram update)
    redelivered_ignored: int = 0  # of those, already applied: must be (and were) ignored
    dropped_unacked: int = 0  # in flight, never acknowledged, not applied, not redelivered: retyped
    answers_lost: int = 0  # acknowledged but not stored: must stay 0
    integrity_checks: int = 0

    def line(self) -> str:
        return "RELIABILITY " + json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class Person:
    """One typist working through ``lines`` on their own lab."""

    def __init__(
        self, *, key: str, name: str, lab: str, channel: str, external_id: str, lines: Sequence[str]
    ):
        self.key = key
        self.name = name
        self.lab = lab
        self.channel = channel
        self.external_id = external_id
        self.lines = list(lines)
        self.pos = 0
        self.state = DialogState(draft=Draft(), cursor=Cursor.from_json(None), person=name)
        self.started = False  # no event applied yet: nothing stored
        self.applied: list[Event] = []
        self.pending: Op | None = None

    @property
    def done(self) -> bool:
        return self.pos >= len(self.lines) and self.pending is None

    def next_line(self) -> str:
        return self.lines[self.pos]

    def begin(self, event: Event, wire: Any = None) -> Op:
        """Send ``event`` (the driver delivers it): what it must do."""
        assert self.pending is None, f"{self.key}: one event at a time"
        after, replies = engine().handle(self.state, event)
        self.pending = Op(event, self.state, after, list(replies), wire=wire)
        return self.pending

    def confirm(self, tally: Tally) -> None:
        """The in-flight event is applied."""
        op = self.pending
        assert op is not None
        self.state = op.after
        self.started = True
        self.applied.append(op.event)
        if isinstance(op.event, Text):
            self.pos += 1
            tally.turns += 1
        self.pending = None

    def abandon(self) -> None:
        """The in-flight event was never applied and will not be redelivered (the person retypes)."""
        self.pending = None

    def expected(self, state: DialogState | None = None) -> StoredState:
        state = state or self.state
        return _json(dict(state.draft.answers)), _json(state.cursor.to_json())

    def settle(self, stored: StoredState, tally: Tally) -> bool | None:
        """After a kill: ``True`` when the in-flight event was applied, ``False`` when not, ``None``
        when nothing was in flight. Fails on any other state, and counts an acknowledged loss."""
        op = self.pending
        before = self.expected() if self.started else (_json({}), None)
        if op is None:
            assert stored == before, f"{self.key}: stored state differs from the acknowledged one"
            return None
        tally.in_flight_at_kill += 1
        if stored == self.expected(op.after):
            if not op.acked:
                tally.applied_unacked += 1
            return True
        if stored != before:
            raise AssertionError(f"{self.key}: stored state is neither before nor after {op.event!r}")
        if op.acked:
            tally.answers_lost += 1
            raise AssertionError(f"{self.key}: acknowledged {op.event!r} is not stored")
        return False


def question_title(replies: Sequence[Reply]) -> str | None:
    """The question a turn ends on (what 'the dialog resumes where it was' compares)."""
    for reply in reversed(replies):
        if isinstance(reply, Question):
            return reply.title
        if isinstance(reply, RecordFieldQuestion):
            return reply.label
        if isinstance(reply, RecordMenu):
            return reply.title
    return None


# --- reading the database of a killed program ----------------------------------------------------


@dataclass
class Snapshot:
    """What a database file holds for the people of a run (read with plain sqlite3)."""

    integrity: str
    states: dict[str, StoredState] = field(default_factory=dict)


def read_snapshot(db: Path, people: Sequence[Person]) -> Snapshot:
    """Integrity and each person's (answers, cursor); opening the file recovers its WAL."""
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        snap = Snapshot(integrity)
        for p in people:
            row = conn.execute(
                "SELECT c.lab_id, c.state FROM cursors c JOIN identities i ON i.person_id = c.person_id "
                "JOIN labs l ON l.id = c.lab_id WHERE i.channel = ? AND i.external_id = ? "
                "AND (i.channel <> 'console' OR l.name = ?)",  # one OS account, one lab per process
                (p.channel, p.external_id, p.lab),
            ).fetchone()
            if row is None:
                snap.states[p.key] = (_json({}), None)
                continue
            draft = conn.execute("SELECT answers FROM drafts WHERE lab_id = ?", (row[0],)).fetchone()
            snap.states[p.key] = (json.loads(draft[0]) if draft else {}, json.loads(row[1]))
    return snap


def history_rows(db: Path, channel: str, external_id: str, lab: str) -> list[tuple[str, str, str]]:
    """The answer history (field, action, value) of a person's lab, in order."""
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        row = conn.execute(
            "SELECT c.lab_id FROM cursors c JOIN identities i ON i.person_id = c.person_id "
            "JOIN labs l ON l.id = c.lab_id WHERE i.channel = ? AND i.external_id = ? "
            "AND (i.channel <> 'console' OR l.name = ?)",  # one OS account, one lab per process
            (channel, external_id, lab),
        ).fetchone()
        if row is None:
            return []
        rows = conn.execute(
            "SELECT field, action, value FROM answers WHERE lab_id = ? ORDER BY id", (row[0],)
        ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def assert_applied_once(db: Path, people: Sequence[Person], scratch: Path) -> None:
    """Replay each person's applied events in a fresh database: the histories must be identical."""
    for p in people:
        replay = scratch / f"replay-{p.key}.db"
        store = SQLiteStore(replay)
        try:
            service = DialogService(store=store, engine=engine())
            session = service.session(lab=p.lab, person=p.name, channel=p.channel, external_id=p.external_id)
            for event in p.applied:
                service.handle(session, event)
        finally:
            store.close()
        got = history_rows(db, p.channel, p.external_id, p.lab)
        want = history_rows(replay, p.channel, p.external_id, p.lab)
        assert got == want, f"{p.key}: the answer history differs from one application of each event"
        assert read_snapshot(db, [p]).states[p.key] == p.expected()


def kill_rounds(rng: Any, rounds: int, kills: int) -> set[int]:
    """``kills`` distinct rounds (never the first) at which the program is killed."""
    return set(rng.sample(range(1, rounds), min(kills, rounds - 1)))


def report(
    tally: Tally, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    """Print the one-line summary (even without ``-s``) and append it to ``reliability.jsonl``."""
    line = tally.line()
    out = tmp_path_factory.getbasetemp() / "reliability.jsonl"
    with out.open("a", encoding="utf-8") as f:
        f.write(line.removeprefix("RELIABILITY ") + "\n")
    with capsys.disabled():
        print("\n" + line)


def announce(capsys: pytest.CaptureFixture[str], **figures: Any) -> None:
    """Print ``RELIABILITY {...}`` for a test without a ``Tally`` (shown even without ``-s``)."""
    with capsys.disabled():
        print("\nRELIABILITY " + json.dumps(figures, ensure_ascii=False, sort_keys=True))
