"""KPI parsing: sentences shaped 「○○年までに○○○○○を○件」 and structured fields."""

from __future__ import annotations

from typing import Any

import pytest

from criteria.application import Kpi
from criteria.kpi import deadline, parse_kpi, parse_kpi_text
from criteria.normalize import parse_year

CASES: list[tuple[str, dict[str, Any]]] = [
    (
        "令和９年度までにDX支援企業数を百社",
        {
            "indicator": "DX支援企業数",
            "target_value": 100,
            "unit": "社",
            "target_year": 2027,
            "fiscal_year": True,
        },
    ),
    (
        "R10年度までにDX認定企業を十五社にする",
        {
            "indicator": "DX認定企業",
            "target_value": 15,
            "unit": "社",
            "target_year": 2028,
            "fiscal_year": True,
        },
    ),
    ("２，０００人", {"indicator": "", "target_value": 2000, "unit": "人", "target_year": None}),
    ("十二万人", {"target_value": 120000, "unit": "人"}),
    ("2028年3月末まで", {"target_value": None, "target_year": 2027, "fiscal_year": True}),
    (
        "2030年までに売上高を1.5億円",
        {
            "indicator": "売上高",
            "target_value": 1.5,
            "unit": "億円",
            "target_year": 2030,
            "fiscal_year": False,
        },
    ),
    ("令和10年度までにDX認定企業を十五社", {"target_value": 15, "target_year": 2028, "fiscal_year": True}),
    (
        "令和元年度までに相談件数を50件",
        {"target_value": 50, "unit": "件", "target_year": 2019, "fiscal_year": True},
    ),
    (
        "DX認定企業数を現状の5社から令和10年度までに20社に",
        {"indicator": "DX認定企業数", "target_value": 20, "unit": "社", "target_year": 2028},
    ),
    (
        "令和元年度比で観光消費額を1億5000万円増やす",
        {"indicator": "観光消費額", "target_value": 15000, "unit": "万円", "target_year": None},
    ),
    ("CO2排出量を2030年度までに30%削減", {"indicator": "CO2排出量", "target_value": 30, "unit": "%"}),
    (
        "住民一人ひとりの満足度を80％に",
        {"indicator": "住民一人ひとりの満足度", "target_value": 80, "unit": "%"},
    ),
    ("令和9年度までに3000万円", {"target_value": 3000, "unit": "万円", "target_year": 2027}),
    ("H31までに十件", {"target_value": 10, "unit": "件", "target_year": 2019, "fiscal_year": None}),
    (
        "FY2028までに講座を12回開催",
        {"target_value": 12, "unit": "回", "target_year": 2028, "fiscal_year": True},
    ),
    (
        "2028年9月までに拠点を3か所",
        {"target_value": 3, "unit": "か所", "target_year": 2028, "fiscal_year": False},
    ),
    (
        "アウトプット：講座修了者 R8年度までに 延べ1,200名",
        {
            "kind": "output",
            "indicator": "講座修了者",
            "target_value": 1200,
            "unit": "名",
            "target_year": 2026,
        },
    ),
    (
        "令和10年度までに付加価値額を50億円にする（アウトカム）",
        {"kind": "outcome", "indicator": "付加価値額", "target_value": 50, "unit": "億円"},
    ),
    ("千葉県内の企業100社", {"target_value": 100, "unit": "社", "indicator": "千葉県内の企業"}),
    (
        "令和10年度までにDX認定企業を増やす",
        {"target_value": None, "target_year": 2028, "indicator": "DX認定企業を増やす"},
    ),
    ("2028年度までに第2期計画を策定", {"target_value": None, "target_year": 2028}),
    ("満足度を5割に", {"target_value": 5, "unit": "割"}),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parse_kpi_text(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_kpi_text(text).model_dump()
    assert parsed["text"] == text
    for key, value in expected.items():
        assert parsed[key] == value, key


@pytest.mark.parametrize("text", ["", "   ", "あいうえお", "未定", "○○年までに○○○○○を○件", "\x00\x0b\ud800"])
def test_unparseable_gives_empty_fields(text: str) -> None:
    parsed = parse_kpi_text(text)
    assert parsed.target_value is None
    assert parsed.target_year is None
    assert parsed.unit == ""
    assert parsed.indicator == ""


def test_deadline_rule_month_end_of_march_is_previous_fiscal_year() -> None:
    for text, expected in [
        ("2028年3月末", (2027, True)),
        ("2028年1月", (2027, True)),
        ("2028年4月", (2028, False)),
        ("2028年12月", (2028, False)),
        ("令和10年3月", (2027, True)),
        ("2028年度", (2028, True)),
        ("2028年", (2028, False)),
    ]:
        ref = parse_year(text)
        assert ref is not None
        assert deadline(ref) == expected, text


def test_structured_fields_win() -> None:
    kpi = Kpi(
        text="令和９年度までにDX支援企業数を百社",
        kind="output",
        indicator="支援した企業の数",
        target_value=120,
        unit="社",
    )
    parsed = parse_kpi(kpi)
    assert parsed.indicator == "支援した企業の数"
    assert parsed.target_value == 120
    assert parsed.kind == "output"
    assert (parsed.target_year, parsed.fiscal_year) == (2027, True)  # filled from the text


def test_structured_year_takes_fiscal_flag_from_text_only_when_same_year() -> None:
    assert parse_kpi(Kpi(text="令和10年度までに10社", target_year=2028)).fiscal_year is True
    assert parse_kpi(Kpi(text="令和10年度までに10社", target_year=2030)).fiscal_year is None
    assert parse_kpi(Kpi(text="", target_year=2030, fiscal_year=False)).fiscal_year is False


def test_fields_only() -> None:
    parsed = parse_kpi(Kpi(indicator="DX認定企業", target_value="１５", unit="社", target_year="2028"))
    assert (parsed.indicator, parsed.target_value, parsed.unit, parsed.target_year) == (
        "DX認定企業",
        15,
        "社",
        2028,
    )
    assert parsed.fiscal_year is None
