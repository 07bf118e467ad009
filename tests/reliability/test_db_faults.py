"""The database file under faults: a newer dxlab's file, corrupted pages, a full or read-only disk.

Issue 14 items 10–12. Each fault gives a Japanese message and exit 2 (never a traceback), writes
nothing more, loses nothing already saved, and says how to get back to a good state.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from storage import SQLiteStore
from storage.schema import SCHEMA_VERSION

FULL = Path(__file__).parents[1] / "fixtures" / "full_application.json"
LAB = "みなと市DXラボ"


def _imported(tmp_path: Path, name: str = "live.db") -> Path:
    db = tmp_path / name
    assert main(["import", str(FULL), "--lab", LAB, "--db", str(db)]) == 0
    return db


def _vision(db: Path) -> object:
    store = SQLiteStore(db)
    try:
        lab = store.find_lab(LAB)
        assert lab is not None
        return store.draft(lab.id).answers.get("vision")
    finally:
        store.close()


def _set_version(db: Path, version: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "Error" not in err, err


# --- item 10: a database from a newer dxlab ------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["export", "--lab", LAB, "-o", "x.json"], ["labs", "list"], ["backup", "b.db"]]
)
def test_a_newer_database_is_refused_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    db = _imported(tmp_path)
    _set_version(db, SCHEMA_VERSION + 3)
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main([*command, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "新しい版のdxlab" in err and str(SCHEMA_VERSION + 3) in err
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "b.db").exists()
    _set_version(db, SCHEMA_VERSION)
    assert _vision(db)  # untouched


def test_chat_on_a_newer_database_exits_2(tmp_path: Path) -> None:
    db = _imported(tmp_path)
    _set_version(db, SCHEMA_VERSION + 1)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--db", str(db)],
        input="はい\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DXLAB_USER": "山田"},
    )
    assert done.returncode == 2
    _no_traceback(done.stderr)
    assert "新しい版のdxlab" in done.stderr


def test_restore_of_a_newer_backup_leaves_the_live_database_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _imported(tmp_path)
    newer = _imported(tmp_path, "newer.db")
    _set_version(newer, SCHEMA_VERSION + 1)
    capsys.readouterr()
    assert main(["restore", str(newer), "--db", str(live)]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "新しい版のdxlab" in err
    assert sqlite3.connect(live).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert _vision(live)
    assert main(["export", "--lab", LAB, "-o", str(tmp_path / "after.json"), "--db", str(live)]) == 0


def test_restore_of_a_corrupt_backup_leaves_the_live_database_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _imported(tmp_path)
    bad = _imported(tmp_path, "bad.db")
    _corrupt_drafts_page(bad)
    capsys.readouterr()
    assert main(["restore", str(bad), "--db", str(live)]) == 2
    _no_traceback(capsys.readouterr().err)
    assert _vision(live)


def test_restore_says_where_the_previous_copy_is_and_it_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _imported(tmp_path)
    empty = tmp_path / "empty.db"
    SQLiteStore(empty).close()
    capsys.readouterr()
    assert main(["restore", str(empty), "--db", str(live)]) == 0
    out = capsys.readouterr().out
    saved = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name and p.suffix == ".db"]
    assert len(saved) == 1 and str(saved[0]) in out
    assert _vision(saved[0])
    store = SQLiteStore(live)
    assert store.find_lab(LAB) is None  # the (empty) backup is what the live file holds now
    store.close()


# --- item 11: corrupted pages ---------------------------------------------------------------------


def _corrupt_drafts_page(db: Path, *, how: str = "garbage") -> None:
    """Damage the root page of the drafts table in the file itself (the database is closed)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'drafts'").fetchone()[0]
    conn.close()
    with db.open("r+b") as handle:
        if how == "garbage":
            handle.seek((root - 1) * page_size + 8)
            handle.write(b"\xff" * (page_size // 2))
        else:  # a valid-looking empty leaf: the row silently disappears
            handle.seek((root - 1) * page_size)
            handle.write(b"\x0d\x00\x00\x00\x00")


@pytest.mark.parametrize("how", ["garbage", "empty_leaf"])
def test_export_of_a_corrupted_database_is_refused_with_restore_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    db = _imported(tmp_path)
    _corrupt_drafts_page(db, how=how)
    capsys.readouterr()
    out_file = tmp_path / "x.json"
    assert main(["export", "--lab", LAB, "-o", str(out_file), "--db", str(db)]) == 2
    out, err = capsys.readouterr()
    _no_traceback(err)
    assert "書き出しました" not in out and not out_file.exists()
    assert "壊れ" in err and "dxlab restore" in err


@pytest.mark.parametrize("how", ["garbage", "empty_leaf"])
def test_the_dialog_refuses_to_write_to_a_corrupted_database(
    tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _imported(tmp_path)
    _corrupt_drafts_page(db, how=how)
    before = db.read_bytes()
    monkeypatch.setattr("sys.stdin", io.StringIO("新しいビジョン\n"))
    capsys.readouterr()
    assert main(["chat", "--db", str(db), "--lab", LAB, "--user", "山田"]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "dxlab restore" in err
    assert db.read_bytes() == before  # nothing written on top of the damage


def test_a_read_error_mid_session_stops_writes(tmp_path: Path) -> None:
    db = _imported(tmp_path)
    store = SQLiteStore(db)
    try:
        lab = store.find_lab(LAB)
        assert lab is not None
        conn = store._conn()
        original = conn

        class Failing:
            def execute(self, *args: object) -> object:
                raise sqlite3.DatabaseError("database disk image is malformed")

        store._local.conn = Failing()
        from storage import StorageError

        with pytest.raises(StorageError) as read:
            store.draft(lab.id)
        assert read.value.kind == "corrupt"
        store._local.conn = original
        with pytest.raises(StorageError) as write:
            store.lab("別のラボ")
        assert write.value.kind == "corrupt"
        assert store.find_lab("別のラボ") is None
    finally:
        store.close()


# --- item 12: a full or read-only disk ------------------------------------------------------------


@pytest.fixture
def tiny_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every connection dxlab opens may grow the file by no page at all (SQLITE_FULL)."""
    original = SQLiteStore._conn

    def limited(self: SQLiteStore) -> sqlite3.Connection:
        fresh = getattr(self._local, "conn", None) is None
        conn = original(self)
        if fresh and getattr(self, "_tiny", False):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(SQLiteStore, "_conn", limited)
    monkeypatch.setattr(SQLiteStore, "_tiny", False, raising=False)  # tests turn it on
    yield


def test_a_full_disk_mid_dialog_keeps_every_saved_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tiny_disk: None
) -> None:
    db = _imported(tmp_path)
    vision = _vision(db)
    monkeypatch.setattr(SQLiteStore, "_tiny", True, raising=False)
    long_answer = "とても長い回答。" * 12_000  # 96,000 characters: under the typed limit
    monkeypatch.setattr("sys.stdin", io.StringIO("修正 ビジョン\n" + long_answer + "\n"))
    capsys.readouterr()
    assert main(["chat", "--db", str(db), "--lab", LAB, "--user", "山田"]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "空き容量" in err
    assert "保存できなかった入力" in err and long_answer in err  # shown, so it can be typed again
    monkeypatch.setattr(SQLiteStore, "_tiny", False, raising=False)
    assert _vision(db) == vision
    store = SQLiteStore(db)
    assert store.integrity_check() == "ok"
    store.close()


def test_a_full_disk_on_import_is_a_clear_error_and_nothing_half_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tiny_disk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "live.db"
    SQLiteStore(db).close()
    monkeypatch.setattr(SQLiteStore, "_tiny", True, raising=False)
    assert main(["import", str(FULL), "--lab", LAB, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert "空き容量" in err
    monkeypatch.setattr(SQLiteStore, "_tiny", False, raising=False)
    store = SQLiteStore(db)
    lab = store.find_lab(LAB)
    assert lab is None or store.draft(lab.id).answers == {}
    store.close()


@pytest.fixture
def read_only() -> Iterator[list[Path]]:
    """Paths made read-only (chattr +i when running as root, where permissions do not apply)."""
    made: list[Path] = []
    yield made
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o755 if path.is_dir() else 0o644)


def _make_read_only(path: Path, made: list[Path]) -> None:
    path.chmod(0o555 if path.is_dir() else 0o444)
    made.append(path)
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only")


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_is_a_clear_error_and_nothing_lost(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    read_only: list[Path],
    what: str,
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = _imported(folder)
    vision = _vision(db)
    _make_read_only(db if what == "file" else folder, read_only)
    monkeypatch.setattr("sys.stdin", io.StringIO("修正 ビジョン\n新しいビジョン\n"))
    capsys.readouterr()
    assert main(["chat", "--db", str(db), "--lab", LAB, "--user", "山田"]) == 2
    err = capsys.readouterr().err
    _no_traceback(err)
    assert str(db) in err and ("書き込" in err or "読み取り専用" in err)
    other = tmp_path / "other.json"
    other.write_text('{"vision": "別のビジョン"}', encoding="utf-8")
    assert main(["import", str(other), "--lab", LAB, "--db", str(db), "--yes"]) == 2
    _no_traceback(capsys.readouterr().err)
    for path in read_only:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
    read_only.clear()
    assert _vision(db) == vision
