"""Coordinator and secretariat commands inside ``dxlab chat``: the terminal is a channel too."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import os_account


def _chat(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path, *lines: str) -> str:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    with os_account("yamada"):  # the terminal identity is the OS account
        assert main(["chat", "--db", str(db), "--lab", "みなと市DXラボ", "--user", "yamada"]) == 0
    return capsys.readouterr().out


def test_faq_and_eligibility_in_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    out = _chat(
        capsys,
        monkeypatch,
        tmp_path / "dx.db",
        "/faq 補助金はありますか",
        "/eligibility 1 1 1,2 はい いいえ いいえ",
    )
    assert "補助金や資金の支援はありますか" in out
    assert "判定: 対象になります" in out
    assert "/faq 補助金" not in out  # a command, not an answer to the first question


def test_coordinator_commands_follow_the_roles(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    out = _chat(capsys, monkeypatch, tmp_path / "dx.db", "/labs", "/compare")
    assert "このコマンドはコーディネーターだけが使えます。" in out
    assert "権限がありません" in out
    monkeypatch.setenv("DXLAB_ADMINS", "console:yamada")
    out = _chat(capsys, monkeypatch, tmp_path / "dx.db", "/labs", "/lab")
    assert "このコマンドはコーディネーターだけが使えます。" not in out
    assert "例: /lab" in out


def test_compare_writes_the_workbook_beside_the_exports(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fixtures = Path(__file__).parents[1] / "fixtures"
    db = tmp_path / "dx.db"
    assert (
        main(["import", str(fixtures / "full_application.json"), "--lab", "みなと市DXラボ", "--db", str(db)])
        == 0
    )
    capsys.readouterr()
    monkeypatch.setenv("DXLAB_ADMINS", "console:yamada")
    monkeypatch.chdir(tmp_path)
    out = _chat(capsys, monkeypatch, db, "/compare")
    assert (tmp_path / "dxlab-review.xlsx").exists()
    assert "dxlab-review.xlsx" in out
