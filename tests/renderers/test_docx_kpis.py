"""The KPI table of the Word file (issue 17 item 9, issue 13 item 1 on the Word side).

Clean indicator, target as value+unit, baseline as value+unit+year, target year; widths that fit;
the KPI's sentence only as a note when it adds something, never under the indicator, never when
the KPI was edited field by field after the sentence was written.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from criteria.application import Application, Kpi
from criteria.checking import run_checks
from criteria.report import ParsedKpi
from renderers.docx import build_document_view
from renderers.docx.kpis import adds_to_row, is_stale, kpi_row
from renderers.docx.model import Paragraphs, TableView
from renderers.docx.tables import CELL_MARGIN
from tests.renderers.docx_helpers import (
    TODAY,
    VALUE_ADDED_KPI,
    all_text,
    cell_text,
    full_application,
    render,
    sample_report,
    table_with_header,
)

KPI_HEADER = ("No.", "指標", "種別", "基準値", "目標値", "目標年度")
PLACEHOLDER = "【未記入】"
TABLE_PT = 9.5
MM_PER_PT = 25.4 / 72


@pytest.fixture(scope="module")
def full() -> Any:
    return render(full_application(), sample_report())


def texts(cell: tuple[Any, ...]) -> list[str]:
    return [line.text for line in cell]


def row(kpi: Kpi, parsed: ParsedKpi | None = None) -> list[list[str]]:
    return [texts(c) for c in kpi_row(1, kpi, parsed).cells]


# --- the full fixture --------------------------------------------------------------------------------


def test_indicator_cells_hold_the_indicator_never_the_sentence(full: Any) -> None:
    table = table_with_header(full, *KPI_HEADER)
    assert [cell_text(table, r, 1) for r in range(1, 6)] == [
        "共同受注の件数（年間）",
        "参加企業の付加価値額の増加率",
        "データ活用講座の修了者数（累計）",
        "DX認定を取得した企業",
        "市内製造業の付加価値額",
    ]
    for kpi in full_application().kpis:
        if kpi.text:
            for r in range(1, 6):
                assert kpi.text not in cell_text(table, r, 1)


def test_target_is_value_and_unit_and_baseline_value_unit_and_year(full: Any) -> None:
    table = table_with_header(full, *KPI_HEADER)
    assert [cell_text(table, r, 4) for r in range(1, 6)] == ["120件", "10％", "1,200人", "15社", "13億円"]
    assert cell_text(table, 1, 3) == "0件\n（令和7年度）"  # typed: value over its year
    assert cell_text(table, 5, 3) == "9.8億円\n（令和6年度）"  # from the parsed KPI
    assert cell_text(table, 4, 3) == PLACEHOLDER  # none given, none read
    assert cell_text(table, 5, 5) == "令和10年度\n(2028年度)"


def test_the_sentence_is_a_note_only_when_it_adds_something(full: Any) -> None:
    text = all_text(full)
    # 「参加企業20社」 is not in the row: the sentence adds it
    assert "※ No.2 の記載：令和11年度までに参加企業20社の付加価値額を平均10％増やす" in text
    # every number of these sentences is in their rows: nothing to add
    assert "令和10年度までに共同受注の件数を年間120件" not in text
    assert "令和9年度までにDX認定を取得した企業を十五社" not in text
    notes = [p.text for p in full.paragraphs if p.text.startswith("※ No.")]
    assert notes == ["※ No.2 の記載：令和11年度までに参加企業20社の付加価値額を平均10％増やす"]


def test_a_kpi_edited_field_by_field_never_shows_its_old_sentence(full: Any) -> None:
    text = all_text(full)
    assert "12億円" not in text  # the sentence said 12; the target was changed to 13
    table = table_with_header(full, *KPI_HEADER)
    assert cell_text(table, 5, 4) == "13億円"


# --- rows from structured fields and from ParsedKpi ----------------------------------------------------


def test_structured_fields_alone() -> None:
    kpi = Kpi(
        kind="output",
        indicator="講座の修了者数",
        baseline="120人（令和6年度末）",
        target_value=500,
        unit="人",
        target_year=2028,
        fiscal_year=True,
    )
    assert row(kpi, ParsedKpi()) == [
        ["1"],
        ["講座の修了者数"],
        ["アウトプット"],
        ["120人", "（令和6年度末）"],
        ["500人"],
        ["令和10年度", "(2028年度)"],
    ]


def test_parsed_kpi_fills_what_the_fields_leave_empty() -> None:
    kpi = Kpi(text="令和10年度までに観光消費額を年間12億円にする（基準値 9.8億円・令和6年度）")
    parsed = ParsedKpi(
        text=kpi.text,
        kind="outcome",
        indicator="観光消費額",
        qualifier="年間",
        target_value=12,
        unit="億円",
        target_year=2028,
        fiscal_year=True,
        baseline_value=9.8,
        baseline_unit="億円",
        baseline_year=2024,
    )
    cells = row(kpi, parsed)
    assert cells[1] == ["観光消費額（年間）"]
    assert cells[3] == ["9.8億円", "（令和6年度）"]
    assert cells[4] == ["12億円"]
    assert kpi_row(1, kpi, parsed).note is None  # the row says all the sentence says


def test_a_change_relative_to_the_baseline() -> None:
    kpi = Kpi(text="令和10年度までに観光客数を三割増やす（基準値 3.6万人）")
    parsed = ParsedKpi(
        indicator="観光客数",
        relative_change="+30%",
        target_year=2028,
        fiscal_year=True,
        baseline_value=3.6,
        baseline_unit="万人",
    )
    cells = row(kpi, parsed)
    assert cells[4] == ["基準値比", "+30%"]
    assert cells[3] == ["3.6万人"]
    both = parsed.model_copy(update={"target_value": 4.7, "unit": "万人"})
    assert row(kpi, both)[4] == ["4.7万人", "基準値比", "+30%"]


def test_a_sentence_nothing_could_be_read_from_is_the_indicator() -> None:
    kpi = Kpi(text="住民の満足度を高める")
    cells = row(kpi, ParsedKpi(text=kpi.text))
    assert cells[1] == ["住民の満足度を高める"]
    assert cells[4] == [PLACEHOLDER] and cells[5] == [PLACEHOLDER]
    assert kpi_row(1, kpi, ParsedKpi(text=kpi.text)).note is None


def test_a_stale_sentence_is_not_the_indicator_either() -> None:
    kpi = Kpi(text="令和10年度までに12億円にする", target_value=13, unit="億円", target_year=2028)
    cells = row(kpi, ParsedKpi())
    assert cells[1] == [PLACEHOLDER]
    assert cells[4] == ["13億円"]


def test_without_a_report_reading_the_kpi_is_read_here() -> None:
    app = Application(kpis=[Kpi(text="令和9年度までにDX支援企業数を百社")])
    view = build_document_view(app, run_checks(app).model_copy(update={"kpis": []}), today=TODAY)
    table = next(b for b in view.body if isinstance(b, TableView) and b.columns[1].header == "指標")
    assert texts(table.rows[0][4]) == ["100社"]
    assert texts(table.rows[0][5]) == ["令和9年度", "(2027年度)"]
    assert texts(table.rows[0][1]) == ["DX支援企業数"]


def test_the_notes_follow_the_table() -> None:
    app = full_application()
    view = build_document_view(app, sample_report(), today=TODAY)
    index = next(
        i for i, b in enumerate(view.body) if isinstance(b, TableView) and b.columns[1].header == "指標"
    )
    notes = view.body[index + 1]
    assert isinstance(notes, Paragraphs) and notes.kind == "note"
    assert [line.text for line in notes.lines][-1].startswith("アウトカム指標：")


# --- the rules -----------------------------------------------------------------------------------------


def test_staleness() -> None:
    sentence = "令和10年度までに市内製造業の付加価値額を12億円にする"
    assert is_stale(Kpi(text=sentence, target_value=13, unit="億円", target_year=2028))
    assert is_stale(Kpi(text=sentence, target_value=12, unit="億円", target_year=2029))
    assert is_stale(Kpi(text=sentence, target_value=12, unit="社", target_year=2028))
    assert not is_stale(Kpi(text=sentence, target_value=12, unit="億円", target_year=2028))
    assert not is_stale(Kpi(text=sentence))  # nothing edited
    assert not is_stale(Kpi(target_value=3))  # no sentence
    assert not is_stale(Kpi(text="令和9年度までにDX認定企業を十五社", target_value=15, unit="社"))


def test_what_a_sentence_adds() -> None:
    assert not adds_to_row("令和10年度までに件数を年間120件", ["件数"], [120], [2028])
    assert adds_to_row("令和10年度までに参加企業20社の売上を10%増やす", ["売上の増加率"], [10], [2028])
    assert adds_to_row("令和12年度までに件数を120件", ["件数"], [120], [2028])  # another year
    assert not adds_to_row("2028年3月末までに件数を120件", ["件数"], [120], [2027])  # the deadline
    assert adds_to_row("令和11年度までに件数を120件", ["件数"], [120], [2028])  # a year later
    assert not adds_to_row("R10年度までに売上を1.5億円", ["売上"], [1.5], [2028])  # 1.5億 = 1.5 億円
    assert not adds_to_row("70歳以上の利用者を500人", ["70歳以上の利用者"], [500], [])
    assert adds_to_row("観光客数を三割増やす", ["観光客数"], [], [])
    assert not adds_to_row("観光客数を三割増やす", ["観光客数", "+30%"], [], [])


def test_baseline_from_the_reading_when_the_field_is_empty() -> None:
    cells = row(Kpi(indicator="付加価値額", target_value=13, unit="億円"), VALUE_ADDED_KPI)
    assert cells[3] == ["9.8億円", "（令和6年度）"]


# --- widths ---------------------------------------------------------------------------------------------


def _width_mm(line: str) -> float:
    """The printed width of ``line`` at the table size: full-width 1 em, half-width about 0.55 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in line)
    return ems * TABLE_PT * MM_PER_PT


@pytest.mark.parametrize(
    ("column", "line"),
    [
        (0, "No."),
        (2, "アウトプット"),
        (3, "9.8億円"),
        (3, "（令和6年度末）"),
        (3, "3,200円/kg"),
        (4, "1,200人"),
        (4, "基準値比"),
        (4, "+300%"),
        (5, "令和10年度"),
        (5, "(2028年度)"),
    ],
)
def test_columns_are_wide_enough_for_their_usual_content(column: int, line: str) -> None:
    app = Application(kpis=[Kpi(indicator="x")])
    view = build_document_view(app, run_checks(app), today=TODAY)
    table = next(b for b in view.body if isinstance(b, TableView) and b.columns[1].header == "指標")
    assert sum(c.width_mm for c in table.columns) == pytest.approx(160)
    inner = table.columns[column].width_mm - 2 * CELL_MARGIN / 1440 * 25.4
    assert _width_mm(line) <= inner, (line, table.columns[column].header)
