"""Bulk writes are all or nothing: ``dxlab labs import`` and ``dxlab backup`` (issue 14 item 13).

A ``labs import`` of 3,000 rows killed mid-way left 875 labs without their contacts bound; a
killed ``backup`` left a half file under the name asked for, which blocked the next run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands import backup as backup_command
from storage import SQLiteStore
from storage.sqlite_channels import ChannelTables

# registry changes need the coordinator role: this OS account is an administrator here
pytestmark = pytest.mark.usefixtures("terminal_coordinator")

ROWS = 3_000
HEADER = "name,kind,status,contact_slack,contact_telegram\n"


class Killed(BaseException):
    """The process dies here (not an Exception: nothing catches it)."""


def _csv(path: Path, rows: int = ROWS) -> Path:
    lines = [HEADER] + [f"ラボ{n:04d},IoT,未着手,U{n:06d}X,{100000 + n}\n" for n in range(rows)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _counts(db: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "registry" not in tables:
            return 0, 0, 0
        registry = conn.execute("SELECT COUNT(*) FROM registry").fetchone()[0]
        bound = conn.execute("SELECT COUNT(DISTINCT lab_id) FROM bindings").fetchone()[0]
        staff = conn.execute("SELECT COUNT(DISTINCT lab_id) FROM roles WHERE role = 'staff'").fetchone()[0]
        return registry, bound, staff
    finally:
        conn.close()


def test_labs_import_killed_mid_way_leaves_nothing_half_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _csv(tmp_path / "labs.csv")
    db = tmp_path / "r.db"
    SQLiteStore(db).close()
    original = ChannelTables.bind
    calls = {"n": 0}

    def bind_then_die(self: ChannelTables, *args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 875:
            raise Killed("SIGKILL")
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ChannelTables, "bind", bind_then_die)
    with pytest.raises(Killed):
        main(["labs", "import", str(src), "--db", str(db)])
    monkeypatch.setattr(ChannelTables, "bind", original)
    assert _counts(db) == (0, 0, 0)
    assert main(["labs", "import", str(src), "--db", str(db)]) == 0
    assert _counts(db) == (ROWS, ROWS, ROWS)


def test_labs_import_sigkilled_is_all_or_nothing(tmp_path: Path) -> None:
    """A real process SIGKILLed at several points: each time all rows are bound, or none."""
    src = _csv(tmp_path / "labs.csv")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    outcomes: list[tuple[int, int, int]] = []
    for delay in (1.0, 2.0):
        db = tmp_path / f"r{delay}.db"
        SQLiteStore(db).close()
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "labs", "import", str(src), "--db", str(db)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts = _counts(db)
        outcomes.append(counts)
        assert counts in ((0, 0, 0), (ROWS, ROWS, ROWS)), (delay, counts)
    print("outcomes", outcomes)


def test_a_killed_backup_leaves_no_half_file_and_the_next_run_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "live.db"
    store = SQLiteStore(db)
    for n in range(200):
        store.lab(f"ラボ{n}")
    store.close()
    out = tmp_path / "b.db"
    original = backup_command.copy_database

    def copy_half_then_die(source: Path, target: Path) -> None:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target)
        src.backup(dst, pages=1, progress=lambda status, remaining, total: None)
        dst.close()
        src.close()
        with target.open("r+b") as handle:
            handle.truncate(target.stat().st_size // 2)  # the half written when the kill came
        raise Killed("SIGKILL")

    monkeypatch.setattr(backup_command, "copy_database", copy_half_then_die)
    with pytest.raises(Killed):
        main(["backup", str(out), "--db", str(db)])
    assert not out.exists()
    monkeypatch.setattr(backup_command, "copy_database", original)
    assert main(["backup", str(out), "--db", str(db)]) == 0
    assert "バックアップを作成しました" in capsys.readouterr().out
    copy = SQLiteStore(out)
    assert copy.integrity_check() == "ok" and len(copy.labs()) == 200
    copy.close()
