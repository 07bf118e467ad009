"""The newcomer's path (issue 17): plain ``dxlab chat``, answer, quit, ``dxlab drafts``, ``dxlab
export`` without ``--lab`` — no hidden ``default`` lab, the person's own name, dated file names."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from bot.cli import main
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION
from tests.conftest import os_account

LAB = "青葉台町・桜川町 観光DX推進ラボ"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh machine: logged in as root, no DXLAB_USER, working in ``tmp_path``."""
    monkeypatch.delenv("DXLAB_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "dxlab.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    return db


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], typed: str = ""
) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_the_newcomers_path(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    typed = "\n".join(["青葉 太郎", LAB, *FULL_APPLICATION[1:8], "中断"]) + "\n"
    out = _run(monkeypatch, capsys, ["chat"], typed)
    assert "お名前を教えてください" in out
    assert "全23問" in out and "質問 1/23" in out and "質問 8/23" in out
    assert f"ラボ「{LAB}」として保存しています" in out
    assert "rootさん" not in out and "default" not in out
    # the lab's record took the name given; no hidden lab exists
    store = SQLiteStore(terminal)
    try:
        assert [lab.name for lab in store.labs()] == [LAB]
        assert {h.person for h in store.history(store.labs()[0].id)} == {"青葉 太郎"}
    finally:
        store.close()

    # the second run asks no name and resumes the same draft
    again = _run(monkeypatch, capsys, ["chat"], "戻る\n中断\n")
    assert "お名前" not in again and "おかえりなさい" in again
    assert "現在の回答（青葉 太郎さん）" in again

    listed = _run(monkeypatch, capsys, ["drafts"])
    assert LAB in listed and "青葉 太郎さん" in listed and "入力済み" in listed and "%" in listed

    exported = _run(monkeypatch, capsys, ["export"])
    name = f"青葉台町・桜川町_観光DX推進ラボ_実施計画書案_{_today()}.docx"
    assert f"ラボ「{LAB}」の下書きを書き出します" in exported
    assert str(tmp_path / name) in exported
    assert (tmp_path / name).is_file()
    # never overwritten: the next export goes beside it
    second = _run(monkeypatch, capsys, ["export"])
    assert str(tmp_path / name.replace(".docx", "_2.docx")) in second
    assert (tmp_path / name.replace(".docx", "_2.docx")).is_file()


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def test_the_name_is_asked_once_and_kept_as_written(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(monkeypatch, capsys, ["chat"], "  \n" + "x" * 41 + "\n山田　花子\nラボA\n中断\n")
    assert out.count("1～40文字で入力してください") == 2
    again = _run(monkeypatch, capsys, ["chat"], "戻る\n中断\n")
    assert "お名前" not in again and "現在の回答（山田 花子さん）: ラボA" in again


def test_user_option_and_env_are_the_name_without_asking(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(monkeypatch, capsys, ["chat", "--user", "鈴木 一郎"], "ラボB\n戻る\n中断\n")
    assert "お名前" not in out and "現在の回答（鈴木 一郎さん）: ラボB" in out
    monkeypatch.setenv("DXLAB_USER", "佐藤 次郎")
    out = _run(monkeypatch, capsys, ["chat", "--lab", "ラボB"], "戻る\n中断\n")
    assert "お名前" not in out and "（鈴木 一郎さん）" in out


def test_a_lab_name_another_draft_has_gets_a_number(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # three people at three OS accounts (the terminal's identity; --user only names them)
    with os_account("a"):
        _run(monkeypatch, capsys, ["chat", "--user", "A", "--lab", "ラボC"], "ラボC\n中断\n")
    with os_account("b"):
        _run(monkeypatch, capsys, ["chat", "--user", "B", "--lab", "ラボD"], "ラボD\n中断\n")
    with os_account("c"):
        out = _run(monkeypatch, capsys, ["chat", "--user", "C"], "ラボC\n中断\n")
    assert "「ラボC（2）」として保存しています" in out


def test_a_legacy_default_lab_takes_its_answers_name(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, capsys, ["chat", "--user", "A", "--lab", "default"], "スキップ\n中断\n")
    out = _run(monkeypatch, capsys, ["chat", "--user", "A"], "戻る\nラボE\n中断\n")
    assert "ラボ「ラボE」として保存しています" in out


def test_export_without_lab_explains_when_it_cannot_choose(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["export"]) == 2
    assert "書き出せる下書きがまだありません" in capsys.readouterr().err
    with os_account("a"):
        _run(monkeypatch, capsys, ["chat", "--user", "A", "--lab", "ラボF"], "ラボF\n中断\n")
    with os_account("b"):
        _run(monkeypatch, capsys, ["chat", "--user", "B", "--lab", "ラボG"], "ラボG\n中断\n")
    with os_account("c"):
        assert main(["export", "--user", "C"]) == 2
    err = capsys.readouterr().err
    assert "--lab でラボの名前を指定してください" in err and "ラボF" in err and "ラボG" in err
    # … but a person's own last draft is theirs
    with os_account("a"):
        out = _run(monkeypatch, capsys, ["export", "--user", "A", "-o", "a.json"])
    assert "ラボ「ラボF」の下書きを書き出します" in out and (Path.cwd() / "a.json").is_file()


def test_drafts_with_none(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "まだ下書きはありません" in _run(monkeypatch, capsys, ["drafts"])


def test_export_in_the_dialog_names_the_file_after_the_lab_and_never_overwrites(chat, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = chat(lab="みなと市DXラボ")
    t.start()
    t.send("みなと 地域DX 推進ラボ")
    first = t.send("出力")
    second = t.send("出力")
    name = f"みなと_地域DX_推進ラボ_実施計画書案_{_today()}"
    assert str(tmp_path / f"{name}.docx") in first
    assert str(tmp_path / f"{name}_2.docx") in second
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == [f"{name}.docx", f"{name}_2.docx"]


def test_a_person_known_only_by_the_login_is_asked_once(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SQLiteStore(terminal)
    store.person("root", channel="console")  # how dxlab before issue 17 (or dxlab import) knew them
    store.close()
    out = _run(monkeypatch, capsys, ["chat"], "青葉 太郎\nラボH\n戻る\n中断\n")
    assert "お名前を教えてください" in out and "現在の回答（青葉 太郎さん）: ラボH" in out
    again = _run(monkeypatch, capsys, ["chat"], "中断\n")
    assert "お名前" not in again


def test_export_of_an_unknown_lab_lists_the_drafts_there_are(
    terminal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(monkeypatch, capsys, ["chat", "--user", "A"], "ラボI\n中断\n")
    assert main(["export", "--lab", "ラボJ", "-o", "x.docx"]) == 2
    err = capsys.readouterr().err
    assert "ラボ「ラボJ」の下書きが見つかりません" in err and "今ある下書き" in err and "ラボI" in err
