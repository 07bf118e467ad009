"""The writers' queue: processes writing one database take turns on ``<file>.lock``, never deadlock."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage import SQLiteStore

PROCESSES = 3
WRITES = 40


def _writer(path: str, index: int, barrier: Any) -> None:
    store = SQLiteStore(path)
    barrier.wait(60)
    for n in range(WRITES):
        store.person(f"p{index}-{n}", channel="console")  # one write transaction each
    store.close()


def test_writers_of_several_processes_all_finish_and_take_turns(tmp_path: Path) -> None:
    path = tmp_path / "queue.db"
    SQLiteStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_writer, args=(str(path), i, barrier)) for i in range(PROCESSES)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
    assert [proc.exitcode for proc in procs] == [0] * PROCESSES  # no deadlock, no "locked" error
    with sqlite3.connect(path) as conn:
        names = [name for (name,) in conn.execute("SELECT name FROM people ORDER BY id")]
    order = [int(name[1:].split("-")[0]) for name in names]
    assert sorted(order) == sorted(i for i in range(PROCESSES) for _ in range(WRITES))
    # fair shares: no writer waits until another has finished all its writes
    first_done = min(max(k for k, who in enumerate(order) if who == i) for i in range(PROCESSES))
    assert {who for who in order[: first_done + 1]} == set(range(PROCESSES))


def test_the_lock_is_held_only_during_a_write(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    assert store.lock_path == tmp_path / "a.db.lock"
    store.lab("みなと市")  # creates the lock file
    assert not _locked_elsewhere(store.lock_path)
    with store.transaction() as conn:
        conn.execute("INSERT INTO labs (name, created_at) VALUES ('x', 'now')")
        assert _locked_elsewhere(store.lock_path)
    assert not _locked_elsewhere(store.lock_path)
    store.close()


def test_nested_writes_keep_the_lock_until_the_outer_one_ends(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    with store._file_lock():
        with store._file_lock():
            assert _locked_elsewhere(store.lock_path)
        assert _locked_elsewhere(store.lock_path)
    assert not _locked_elsewhere(store.lock_path)
    store.close()


def test_without_a_lock_file_the_busy_timeout_arbitrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SQLiteStore(tmp_path / "a.db")
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".lock"):
            raise PermissionError("read-only")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    assert store.lab("さくら町").name == "さくら町"
    store.close()


def _locked_elsewhere(path: Path) -> bool:
    """Whether another open file description holds the lock (flock conflicts even in-process)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
