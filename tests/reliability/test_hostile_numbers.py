"""No typed number reaches ``int()``/``float()`` unbounded (Python refuses more than 4,300 digits).

Issue 14 item 5: a run of 5,000 digits in 「修正 …」, as a choice answer, a record number, a CSV
cell, a CLI option or an application file field gives a clear answer, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from criteria.application import Application
from criteria.bounded import MAX_DIGITS, bounded_int
from dialogs import inputs
from dialogs.flow import Choice

DIGITS = "9" * 5_000
CHOICES = (Choice(value="a", label="一つ目"), Choice(value="b", label="二つ目"))


@pytest.mark.parametrize("text", [DIGITS, "１" * 5_000, "᧚", "0" * 4_999 + "1"])
def test_bounded_int_refuses_long_or_odd_digit_runs(text: str) -> None:
    assert bounded_int(text) is None


def test_bounded_int_reads_ordinary_numbers() -> None:
    assert bounded_int("12") == 12
    assert bounded_int(" 3 ") == 3
    assert bounded_int("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    assert bounded_int("-1") is None and bounded_int("") is None and bounded_int("1.5") is None


@pytest.mark.parametrize("text", [DIGITS, "᧚", "1" * 4_301])
def test_choice_answers_with_huge_or_odd_digits_are_invalid(text: str) -> None:
    assert isinstance(inputs.parse_choice(text, CHOICES), inputs.Invalid)
    assert isinstance(inputs.parse_multichoice(text, CHOICES), inputs.Invalid)
    assert isinstance(inputs.parse_multichoice(f"1、{text}", CHOICES), inputs.Invalid)


def test_choice_number_still_works() -> None:
    assert inputs.parse_choice("2", CHOICES) == inputs.Parsed("b")
    assert inputs.parse_multichoice("1、２", CHOICES) == inputs.Parsed(["a", "b"])


@pytest.mark.parametrize("text", [f"修正 {DIGITS}", "修正 ᧚", f"/edit {'1' * 4_400}"])
def test_edit_with_a_huge_number_re_asks_and_the_dialog_goes_on(chat: Any, text: str) -> None:
    t = chat()
    t.start()
    t.send("みなと市地域DX推進ラボ")
    out = t.send(text)
    assert t.alive and out.strip()
    assert "Traceback" not in out
    assert "保存しました" in t.send("神奈川県みなと市")


def test_an_application_number_with_5000_digits_is_refused_not_infinite() -> None:
    with pytest.raises(ValueError):
        Application.model_validate({"kpis": [{"text": "x", "target_value": DIGITS}]})


def test_json_file_with_a_5000_digit_number_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.json"
    path.write_text('{"kpis": [{"target_value": ' + DIGITS + "}]}", encoding="utf-8")
    for argv in (["check", str(path)], ["render", str(path), "-o", str(tmp_path / "o.docx")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err


def test_cli_numbers_are_bounded(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert main(["labs", "list", "--due-within", DIGITS, "--db", db]) == 2
    assert "日数は0以上の整数" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        main(["faq", "補助金", "--limit", DIGITS])
    assert stopped.value.code == 2


@pytest.mark.parametrize("raw", ["e|" + DIGITS[:60], "m|members|" + DIGITS[:58], "e|᧚", "m|members|-1"])
def test_telegram_callback_numbers_are_bounded(raw: str) -> None:
    from renderers.telegram.callbacks import decode

    assert decode(raw, ["members"]) is None
