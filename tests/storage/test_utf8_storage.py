"""Values are stored as UTF-8 JSON, every string verbatim (lone surrogates too), and migration 7
rewrites rows of older databases (ASCII escapes) to it without changing a value."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import SQLiteStore
from storage.base import Snapshot, StoredDraft, TurnWrite
from storage.codec import dump, load
from storage.schema import MIGRATIONS, SCHEMA_VERSION

HOSTILE = [
    "",
    "みなと市地域DX推進ラボ",
    "\ud800",  # lone high surrogate
    "\udfff",  # lone low surrogate
    "\udc80\udcff",  # what surrogateescape makes of undecodable bytes
    "\udc00\ud800",  # a pair in the wrong order
    "a\ud83d",  # half an emoji
    "😀",
    "\x00 NUL \x01\x1f",
    "\u2028\u2029",
    "\ufeffBOM",
    "\\u3042 typed as text",
    '"quoted" \\ back',
    "\U0010ffff",
    "あ" * 100_000,
]

# any code point, surrogates included (hypothesis leaves them out of text() by default)
_ANY = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())


def test_hostile_strings_round_trip_and_fit_in_utf8() -> None:
    for text in HOSTILE:
        for value in (text, {text: [text, 1, None]}, [text, {"k": text}]):
            stored = dump(value)
            stored.encode("utf-8")  # SQLite can hold it
            assert load(stored) == value


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.text(_ANY) | st.integers() | st.none() | st.booleans(), lambda inner: (
    st.lists(inner, max_size=4) | st.dictionaries(st.text(_ANY, max_size=5), inner, max_size=4)
), max_leaves=12))  # fmt: skip
def test_any_value_round_trips(value: Any) -> None:
    stored = dump(value)
    stored.encode("utf-8")
    assert load(stored) == value


def test_japanese_is_stored_as_utf8_not_escapes() -> None:
    text = "あ" * 100_000
    assert dump(text) == f'"{text}"'
    assert len(dump(text).encode("utf-8")) == 300_002  # was 600,002 with ASCII escapes
    assert "\\ud800" in dump("a\ud800あ")  # the fallback keeps the surrogate as an escape


def test_hostile_strings_survive_a_turn(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "h.db")
    lab, person = store.lab("L"), store.person("p", channel="console")
    answers = {f"f{i}": text for i, text in enumerate(HOSTILE)}

    def compute(snapshot: Snapshot) -> tuple[TurnWrite, None]:
        return TurnWrite(StoredDraft(answers=answers), {"position": HOSTILE[2]}), None

    store.turn(lab.id, person.id, compute, channel="console")
    assert dict(store.draft(lab.id).answers) == answers
    assert store.cursor(lab.id, person.id) == {"position": HOSTILE[2]}
    history = {entry.field: entry.value for entry in store.history(lab.id)}
    assert history == {k: v for k, v in answers.items()}
    store.close()
    raw = sqlite3.connect(tmp_path / "h.db")
    (stored,) = raw.execute("SELECT value FROM answers WHERE field = 'f1'").fetchone()
    raw.close()
    assert stored == '"みなと市地域DX推進ラボ"'


def _old_database(path: Path, version: int) -> None:
    """A database as dxlab wrote it up to ``version``: JSON with ASCII escapes."""
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:version]:
        migration(db)
    db.execute(f"PRAGMA user_version = {version}")
    old = lambda value: json.dumps(value, ensure_ascii=True, separators=(",", ":"))  # noqa: E731
    conn = db.conn
    conn.execute("INSERT INTO labs (id, name, created_at) VALUES (1, 'みなと市', 't')")
    conn.execute("INSERT INTO people (id, name, created_at) VALUES (1, '山田', 't')")
    answers = {
        "lab_name": "みなと市地域DX推進ラボ",
        "vision": "\udc80壊れた入力",
        "members": [{"name": "商工会"}],
    }
    conn.execute(
        "INSERT INTO drafts VALUES (1, ?, ?, ?, ?, 3, 't')",
        (old(answers), old(["kpis"]), old([]), old({"lab_name": 1})),
    )
    for n, (field, value) in enumerate(answers.items(), start=1):
        conn.execute(
            "INSERT INTO answers VALUES (?, 1, ?, 'set', ?, 1, 'console', 't')", (n, field, old(value))
        )
    conn.execute("INSERT INTO cursors VALUES (1, 1, ?, 't')", (old({"section": "ビジョン"}),))
    conn.execute("INSERT INTO inbox VALUES ('slack', 'Ev1', ?, 't')", (old({"text": "こんにちは"}),))
    conn.commit()
    conn.close()


def _rows(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "answers": conn.execute("SELECT value FROM answers ORDER BY id").fetchall(),
            "drafts": conn.execute(
                "SELECT answers, skipped, review, authors, version FROM drafts"
            ).fetchall(),
            "cursors": conn.execute("SELECT state FROM cursors").fetchall(),
            "inbox": conn.execute("SELECT payload FROM inbox").fetchall(),
        }
    finally:
        conn.close()


def test_migration_7_rewrites_old_rows_as_utf8_with_the_same_values(tmp_path: Path) -> None:
    for version in (5, 6):  # from 5, migration 6 (contacts) runs first
        path = tmp_path / f"old{version}.db"
        _old_database(path, version)
        before = _rows(path)
        store = SQLiteStore(path)  # migrates
        draft = store.draft(1)
        store.close()
        after = _rows(path)
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()
        decode = lambda rows: [[load(c) if isinstance(c, str) else c for c in row] for row in rows]  # noqa: E731
        for table in before:
            assert decode(after[table]) == decode(before[table]), table
        assert draft.answers["vision"] == "\udc80壊れた入力"
        assert draft.version == 3
        assert after["answers"][0] == ('"みなと市地域DX推進ラボ"',)
        assert after["cursors"] == [('{"section":"ビジョン"}',)]
        assert after["inbox"] == [('{"text":"こんにちは"}',)]
        assert "\\udc80" in after["answers"][1][0]  # the lone surrogate keeps its escape
