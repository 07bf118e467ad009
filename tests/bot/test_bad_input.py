"""Bad input never crashes the dialog, and whatever can be stored is stored verbatim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from storage import SQLiteStore


def _stored(db_path: Path, field: str) -> Any:
    store = SQLiteStore(db_path)
    lab = store.find_lab("みなと市DXラボ")
    assert lab is not None
    value = store.draft(lab.id).answers.get(field)
    store.close()
    return value


def test_empty_answer_to_a_required_question_re_asks_with_a_hint(chat: Any) -> None:
    t = chat()
    t.start()
    out = t.send("   ")
    assert "申請に必要な項目です" in out and "例: みなと市地域DX推進ラボ" in out and "■ ラボの名称" in out
    out = t.send("　")  # a full-width space is empty too
    assert "申請に必要な項目です" in out


@pytest.mark.parametrize(
    "text",
    [
        "x" * 20_000,
        "制御文字\x00\x0b\x1b[31m入り",
        "絵文字🙂👨‍👩‍👧‍👦と国旗🇯🇵",
        "lone \udc80 surrogate",
        "'); DROP TABLE answers; --",
        "{{ 7*7 }} {% for x in y %}",
        "<!channel> <b>太字</b> &amp;",
        "\u202e右から左\u200b",
    ],
)
def test_hostile_text_is_stored_verbatim(chat: Any, db_path: Path, text: str) -> None:
    t = chat()
    t.start()
    out = t.send(text)
    assert "保存しました" in out
    assert _stored(db_path, "lab_name") == text
    review = t.send("確認")
    assert "49" not in review.split("ラボの名称")[1][:40] if "{{" in text else True
    assert "\x1b" not in review and "\x00" not in review


def test_too_long_answer_is_refused_with_a_message(chat: Any, db_path: Path) -> None:
    t = chat()
    t.start()
    out = t.send("長" * 100_001)
    assert "長すぎます" in out and "■ ラボの名称" in out
    assert _stored(db_path, "lab_name") is None


def test_choice_out_of_range_re_asks(chat: Any) -> None:
    t = chat()
    t.start()
    t.answer_all(["ラボ", "地域", "なし"])
    out = t.send("はいはい")
    assert "「はい」か「いいえ」" in out and "■ 地方版IoT推進ラボからの移行" in out
    t.send("いいえ")
    t.answer_all(["ビジョン", "課題", "ニーズ", "変革"])
    out = t.send("7")
    assert "1～2" in out and "■ 取組の種類" in out
    out = t.send("1,9")
    assert "■ 取組の種類" in out


def test_bad_numbers_and_years_in_records_re_ask(chat: Any) -> None:
    t = chat()
    t.start()
    t.send("修正 KPI")
    t.send("1")
    t.send("スキップ")
    t.send("指標")
    t.send("スキップ")
    out = t.send("たくさん")
    assert "数値が読み取れませんでした" in out
    t.send("十五")
    t.send("社")
    out = t.send("そのうち")
    assert "年度が読み取れませんでした" in out
    out = t.send("令和10年度")
    assert "保存しました" in out and "1. もう1件追加する" in out


def test_unknown_edit_target_explains(chat: Any) -> None:
    t = chat()
    t.start()
    out = t.send("修正 存在しない項目")
    assert "見つかりませんでした" in out


def test_corrupt_database_gives_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    assert main(["chat", "--db", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "壊れているか" in err and "Traceback" not in err


def test_directory_as_database_gives_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["chat", "--db", str(tmp_path)]) == 2
    assert "データベースを開けません" in capsys.readouterr().err


def test_unknown_subcommand_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "コマンドの指定に誤りがあります" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "none.json"), "--lab", "x", "--db", str(tmp_path / "d.db")]) == 2
    assert "ファイルが見つかりません" in capsys.readouterr().err


def test_help_lists_every_subcommand_without_importing_them(capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess
    import sys

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    listed = capsys.readouterr().out
    from bot.cli import COMMANDS

    for name in COMMANDS:
        assert name in listed
    probe = (
        "import sys, bot.cli; bot.cli.build_parser(['--help']); "
        "print('docx' in sys.modules, 'openpyxl' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_database_path_can_come_from_a_dotenv_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text(f"DXLAB_DB={tmp_path / 'from-env.db'}\n", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("ラボ\n"))
    assert main(["chat", "--lab", "L", "--user", "u"]) == 0
    assert (tmp_path / "from-env.db").exists()
