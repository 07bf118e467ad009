"""Files people hand to dxlab are bounded: size, JSON nesting, digit runs and answer length.

Issue 14 item 6: JSON nested 100,000 levels deep, a file over ``MAX_FILE_BYTES`` (5 MB) and an
answer over the typed limit are refused with a Japanese message (exit 2) by ``check``, ``render``,
``import`` and ``labs import``; nothing is written to the database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.files import MAX_FILE_BYTES
from dialogs.inputs import MAX_ANSWER_CHARS
from storage import SQLiteStore

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"vision": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}"


def _commands(path: Path, tmp_path: Path) -> list[list[str]]:
    db = str(tmp_path / "d.db")
    return [
        ["check", str(path)],
        ["check", str(path), "--json"],
        ["render", str(path), "-o", str(tmp_path / "out.docx")],
        ["import", str(path), "--lab", "みなと市DXラボ", "--db", db],
    ]


def _nothing_imported(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    if db.exists():
        store = SQLiteStore(db)
        try:
            lab = store.find_lab("みなと市DXラボ")
            assert lab is None or store.draft(lab.id).answers == {}
        finally:
            store.close()
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("content", [DEEP, DEEP_OBJECT], ids=["array", "object"])
def test_deeply_nested_json_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(content, encoding="utf-8")
    for argv in _commands(path, tmp_path):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "入れ子が深すぎる" in err and str(path) in err
    _nothing_imported(tmp_path)


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.json"
    body = json.dumps({"vision": "あ" * 10})
    path.write_bytes(body.encode() + b" " * (MAX_FILE_BYTES + 1 - len(body)))
    assert MAX_FILE_BYTES == 5 * 1024 * 1024
    for argv in _commands(path, tmp_path):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "大きすぎる" in err and "5 MB" in err
    _nothing_imported(tmp_path)


def test_a_file_just_under_the_limit_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.json"
    body = json.dumps({"vision": "あ" * 10})
    path.write_bytes(body.encode() + b" " * (MAX_FILE_BYTES - len(body)))
    assert main(["check", str(path), "--json"]) == 0
    capsys.readouterr()


def test_an_answer_over_the_typed_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps({"lab_name": "ラボ", "members": [{"name": "x" * (MAX_ANSWER_CHARS + 1)}]}),
        encoding="utf-8",
    )
    for argv in _commands(path, tmp_path):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert "長すぎます" in err and "members" in err and f"{MAX_ANSWER_CHARS:,}" in err
    _nothing_imported(tmp_path)


def test_an_answer_at_the_typed_limit_is_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "limit.json"
    path.write_text(json.dumps({"vision": "x" * MAX_ANSWER_CHARS}), encoding="utf-8")
    assert main(["import", str(path), "--lab", "みなと市DXラボ", "--db", str(tmp_path / "d.db")]) == 0
    capsys.readouterr()


def test_labs_import_csv_over_the_size_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.csv"
    header = "名称,種別\n"
    path.write_bytes(header.encode() + b"a,iot\n" * (MAX_FILE_BYTES // 6 + 1))
    assert main(["labs", "import", str(path), "--db", str(tmp_path / "d.db")]) == 2
    err = capsys.readouterr().err
    assert "大きすぎる" in err and str(path) in err
