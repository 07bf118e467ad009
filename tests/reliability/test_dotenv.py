"""``.env`` is read with python-dotenv's rules; what cannot be read is named in Japanese, never a crash.

Issue 14 item 8: a UTF-8 BOM dropped the first key, ``DXLAB_DB=c.db # note`` created a file with
that name, and a CP932 comment or a NUL byte crashed every command.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_dotenv

KEYS = ("DXLAB_DB", "DXLAB_USER", "DXLAB_TEST_OTHER", "DXLAB_TEST_QUOTED")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in KEYS:
        monkeypatch.setenv(key, "")  # remembered as absent: undone after the test
        monkeypatch.delenv(key)


def _env(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / ".env"
    path.write_bytes(content)
    return path


def test_a_bom_does_not_drop_the_first_key(tmp_path: Path) -> None:
    load_dotenv(_env(tmp_path, "\ufeffDXLAB_DB=x.db\nDXLAB_USER=山田\n".encode()))
    assert os.environ["DXLAB_DB"] == "x.db" and os.environ["DXLAB_USER"] == "山田"


def test_inline_comments_and_quotes_follow_dotenv_rules(tmp_path: Path) -> None:
    load_dotenv(
        _env(
            tmp_path,
            b"DXLAB_DB=c.db # note\nexport DXLAB_USER=\"a b # c\"\nDXLAB_TEST_QUOTED='q'  # x\n",
        )
    )
    assert os.environ["DXLAB_DB"] == "c.db"
    assert os.environ["DXLAB_USER"] == "a b # c"
    assert os.environ["DXLAB_TEST_QUOTED"] == "q"


def test_a_cp932_comment_is_no_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_dotenv(_env(tmp_path, "# 設定ファイル\n".encode("cp932") + b"DXLAB_USER=yamada\n"))
    assert os.environ["DXLAB_USER"] == "yamada"
    assert capsys.readouterr().err == ""


def test_a_cp932_value_is_read_as_cp932(tmp_path: Path) -> None:
    load_dotenv(_env(tmp_path, "DXLAB_USER=山田\n".encode("cp932")))
    assert os.environ["DXLAB_USER"] == "山田"


def test_a_nul_byte_skips_that_line_with_a_japanese_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_dotenv(_env(tmp_path, b"DXLAB_USER=ya\x00mada\nDXLAB_TEST_OTHER=1\n"))
    assert "DXLAB_USER" not in os.environ and os.environ["DXLAB_TEST_OTHER"] == "1"
    err = capsys.readouterr().err
    assert ".env" in err and "1行目" in err and "NUL" in err


def test_unreadable_bytes_and_bad_lines_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load_dotenv(_env(tmp_path, b"A\x81 =1\nnot a setting line\nDXLAB_TEST_OTHER=2\n"))
    assert os.environ["DXLAB_TEST_OTHER"] == "2"
    err = capsys.readouterr().err
    assert "1行目" in err and "2行目" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [b"\xef\xbb\xbfDXLAB_DB=x.db\n", b"DXLAB_DB=x.db # note\n", "# 設定\n".encode("cp932"), b"A=\x00\n"],
    ids=["bom", "comment", "cp932", "nul"],
)
def test_every_command_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    _env(tmp_path, content)
    monkeypatch.chdir(tmp_path)
    assert main(["faq", "補助金"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert not any(p.name.startswith("x.db ") for p in tmp_path.iterdir())
    if b"DXLAB_DB" in content:
        assert os.environ["DXLAB_DB"] == "x.db"
