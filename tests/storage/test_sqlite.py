"""What only the SQLite store promises: WAL, schema version, clear errors for bad files."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from storage import StorageError, open_store
from storage.base import Snapshot, StoredDraft, TurnWrite
from storage.schema import SCHEMA_VERSION


def test_wal_and_schema_version(tmp_path: Path) -> None:
    store = open_store(tmp_path / "a.db")
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    store.close()
    again = open_store(tmp_path / "a.db")  # migrating twice is harmless
    assert again.integrity_check() == "ok"
    again.close()


def test_corrupt_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError) as err:
        open_store(bad)
    assert err.value.kind == "corrupt"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_directory_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(StorageError) as err:
        open_store(locked / "x.db")
    assert err.value.kind == "unwritable"


def test_directory_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as err:
        open_store(tmp_path)
    assert err.value.kind == "unwritable"


def test_concurrent_turns_from_threads_lose_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c.db")
    lab = store.lab("L")
    people = [store.person(f"p{i}", channel="console") for i in range(4)]

    def worker(person_id: int) -> None:
        for n in range(25):

            def compute(snapshot: Snapshot, n: int = n) -> tuple[TurnWrite, None]:
                answers = dict(snapshot.draft.answers)
                answers[f"f{person_id}"] = n
                answers["count"] = int(answers.get("count", 0)) + 1
                return TurnWrite(StoredDraft(answers=answers), {"n": n}), None

            store.turn(lab.id, person_id, compute, channel="console")

    threads = [threading.Thread(target=worker, args=(p.id,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.draft(lab.id).answers["count"] == 100
    assert store.integrity_check() == "ok"
    store.close()
