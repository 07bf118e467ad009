"""Inbox rows kept at the same time share one commit, and each caller still learns its own
outcome: inserted, duplicate, or the error of the transaction its row was in."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from storage import SQLiteStore
from storage.base import StorageError


def test_concurrent_puts_each_get_their_own_answer(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "inbox.db")
    ids = [f"Ev{n}" for n in range(40)] + [f"Ev{n}" for n in range(10)]  # ten delivered twice
    results: dict[int, bool] = {}
    start = threading.Barrier(len(ids))

    def put(index: int, event_id: str) -> None:
        start.wait(30)
        results[index] = store.inbox_put("slack", event_id, {"text": f"こんにちは {event_id}"})

    threads = [threading.Thread(target=put, args=(i, e)) for i, e in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == len(ids)
    for n in range(40):
        outcomes = [results[i] for i, e in enumerate(ids) if e == f"Ev{n}"]
        assert sorted(outcomes) == ([False, True] if n < 10 else [True])
    pending = dict(store.inbox_pending("slack"))
    assert set(pending) == {f"Ev{n}" for n in range(40)}
    assert pending["Ev3"] == {"text": "こんにちは Ev3"}
    store.close()


def test_a_failed_commit_fails_its_rows_and_the_next_put_works(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "inbox.db")
    with store.transaction() as conn:  # the disk fills up while row "1" is written
        conn.execute(
            "CREATE TRIGGER full_once BEFORE INSERT ON inbox WHEN NEW.event_id = '1' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    with pytest.raises(StorageError) as failed:
        store.inbox_put("telegram", "1", {"update_id": 1})
    assert failed.value.kind == "full"
    assert store.inbox_put("telegram", "2", {"update_id": 2}) is True
    assert [event_id for event_id, _ in store.inbox_pending("telegram")] == ["2"]
    store.close()


def test_a_put_inside_a_write_does_not_wait_for_itself(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "inbox.db")
    with store.transaction():
        assert store.inbox_put("slack", "Ev1", {}) is True
    assert store.inbox_put("slack", "Ev1", {}) is False
    store.close()
