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
        {
            "indicator": "観光消費額",
            "target_value": 1.5,
            "unit": "億円",
            "target_year": None,
            "baseline_year": 2019,
        },
    ),
    (
        "CO2排出量を2030年度までに30%削減",
        {"indicator": "CO2排出量", "target_value": None, "relative_change": "-30%", "target_year": 2030},
    ),
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
        {"target_value": None, "target_year": 2028, "indicator": "DX認定企業"},
    ),
    ("2028年度までに第2期計画を策定", {"target_value": None, "target_year": 2028}),
    ("満足度を5割に", {"target_value": 5, "unit": "割"}),
]


# The shapes municipalities write (issue 13): target, baseline and its year, rates and counters,
# numbers that belong to the indicator, qualifiers and changes relative to the baseline.
ROLES: list[tuple[str, dict[str, Any]]] = [
    (
        "令和10年度までに市内のDX認定企業数を20社にする（基準値 3社）",
        {
            "indicator": "市内のDX認定企業数",
            "target_value": 20,
            "unit": "社",
            "target_year": 2028,
            "baseline_value": 3,
            "baseline_unit": "社",
            "baseline_year": None,
        },
    ),
    (
        "令和10年度までに観光入込客数を5万人にする（現状 3.6万人）",
        {"indicator": "観光入込客数", "target_value": 50000, "unit": "人", "baseline_value": 36000},
    ),
    (
        "売上高 0.6億円→1.5億円（令和10年度）",
        {
            "indicator": "売上高",
            "target_value": 1.5,
            "unit": "億円",
            "target_year": 2028,
            "baseline_value": 0.6,
            "baseline_unit": "億円",
        },
    ),
    (
        "登録者数 R7年度末 120人 → R10年度末 500人",
        {
            "indicator": "登録者数",
            "target_value": 500,
            "target_year": 2028,
            "baseline_value": 120,
            "baseline_year": 2025,
        },
    ),
    (
        "令和10年度までに観光消費額を年間12億円にする",
        {"indicator": "観光消費額", "qualifier": "年間", "target_value": 12, "unit": "億円"},
    ),
    ("令和9年度までにDX支援企業を四十者にする", {"target_value": 40, "unit": "者"}),
    (
        "令和10年度までにセンサー搭載漁船を85隻にする",
        {"indicator": "センサー搭載漁船", "target_value": 85, "unit": "隻"},
    ),
    ("令和10年度までにスマート農業の実施面積を640haにする", {"target_value": 640, "unit": "ha"}),
    (
        "令和10年度までに住民幸福度を指数120にする",
        {"indicator": "住民幸福度", "target_value": 120, "unit": "指数"},
    ),
    ("令和10年度までに交流会の開催を4回/月にする", {"target_value": 4, "unit": "回/月"}),
    ("令和10年度までに主力魚種の平均単価を3,200円/kgにする", {"target_value": 3200, "unit": "円/kg"}),
    (
        "令和10年度までにDX認定企業を10社にする（基準値 2社・令和6年度末）",
        {"target_value": 10, "target_year": 2028, "baseline_value": 2, "baseline_year": 2024},
    ),
    (
        "令和10年度までに観光消費額を令和6年度比で三割増やす",
        {
            "indicator": "観光消費額",
            "target_value": None,
            "relative_change": "+30%",
            "target_year": 2028,
            "baseline_year": 2024,
        },
    ),
    (
        "令和10年度までに従業員1人当たりの付加価値額を20%向上させる",
        {"indicator": "従業員1人当たりの付加価値額", "relative_change": "+20%", "target_value": None},
    ),
    (
        "令和10年度までに70歳以上の住民の利用者を300人にする",
        {"indicator": "70歳以上の住民の利用者", "target_value": 300},
    ),
    (
        "令和10年度までに6〜10月の観光客数を12万人にする",
        {"indicator": "6〜10月の観光客数", "target_value": 120000},
    ),
    (
        "令和10年度までに特産4品目の出荷額を2億円にする",
        {"indicator": "特産4品目の出荷額", "target_value": 2, "unit": "億円"},
    ),
    ("令和10年度までに1人当たり観光消費額を2万円/人にする", {"target_value": 2, "unit": "万円/人"}),
    (
        "令和10年度までにDX伴走支援企業数を150社（累計）にする",
        {"indicator": "DX伴走支援企業数", "qualifier": "累計", "target_value": 150},
    ),
    ("令和10年度までに地域産品の売上を三億六千万円にする", {"target_value": 3.6, "unit": "億円"}),
    ("令和10年度までに相談件数を120件/年にする", {"target_value": 120, "unit": "件/年"}),
    (
        "令和10年度までに救急搬送の待ち時間を30分から15分に短縮する",
        {"indicator": "救急搬送の待ち時間", "target_value": 15, "unit": "分", "baseline_value": 30},
    ),
    (
        "令和10年度までに子育て世帯の地域幸福度を指数120にする（令和6年度＝100）",
        {
            "target_value": 120,
            "unit": "指数",
            "baseline_value": 100,
            "baseline_unit": "指数",
            "baseline_year": 2024,
        },
    ),
    (
        "2030年3月末までに移住者数を200人にする",
        {"target_value": 200, "target_year": 2029, "fiscal_year": True},
    ),
]


@pytest.mark.parametrize(("text", "expected"), ROLES, ids=[c[0] for c in ROLES])
def test_quantities_get_their_roles(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_kpi_text(text).model_dump()
    for key, value in expected.items():
        assert parsed[key] == value, (key, parsed)


def test_structured_baseline_fills_the_baseline() -> None:
    parsed = parse_kpi(Kpi(indicator="付加価値額", baseline="令和5年度 42億円", target_value=50, unit="億円"))
    assert (parsed.baseline_value, parsed.baseline_unit, parsed.baseline_year) == (42, "億円", 2023)


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
