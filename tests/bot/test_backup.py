"""Backups taken while writes go on are consistent; a restore brings the data back."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from bot.cli import main
from storage import SQLiteStore
from storage.base import Snapshot, StoredDraft, TurnWrite


def _write(store: SQLiteStore, lab_id: int, person_id: int, n: int) -> None:
    def compute(snapshot: Snapshot) -> tuple[TurnWrite, None]:
        answers = dict(snapshot.draft.answers)
        answers["count"] = n
        return TurnWrite(StoredDraft(answers=answers), {"n": n}), None

    store.turn(lab_id, person_id, compute, channel="console")


def test_backup_during_writes_then_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "live.db"
    store = SQLiteStore(db)
    lab = store.lab("L")
    person = store.person("山田", channel="console")
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 2000:
            n += 1
            _write(store, lab.id, person.id, n)
            written.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.001)
        assert main(["backup", str(tmp_path / "b.db"), "--db", str(db)]) == 0
    finally:
        stop.set()
        thread.join()
    assert "バックアップを作成しました" in capsys.readouterr().out

    backup = SQLiteStore(tmp_path / "b.db")
    assert backup.integrity_check() == "ok"
    backed = backup.draft(backup.find_lab("L").id).answers["count"]  # type: ignore[union-attr]
    assert 20 <= backed <= written[-1]
    assert len(backup.history(1, "count")) == backed
    backup.close()

    _write(store, lab.id, person.id, 999_999)
    store.close()
    assert main(["restore", str(tmp_path / "b.db"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "戻しました" in out and "before-restore" in out
    restored = SQLiteStore(db)
    assert restored.draft(lab.id).answers["count"] == backed
    restored.close()
    saved = next(tmp_path.glob("live.before-restore-*.db"))
    before = SQLiteStore(saved)
    assert before.draft(lab.id).answers["count"] == 999_999
    before.close()


def test_backup_refuses_to_overwrite_and_restore_checks_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "live.db"
    SQLiteStore(db).close()
    existing = tmp_path / "exists.db"
    existing.write_bytes(b"x")
    assert main(["backup", str(existing), "--db", str(db)]) == 2
    assert "既にあります" in capsys.readouterr().err
    assert main(["restore", str(existing), "--db", str(db)]) == 2
    assert "読み込めないか" in capsys.readouterr().err
