"""Property tests: no input crashes the checks or the KPI parser.

Any text in every field — control characters, lone surrogates, kanji numerals and era names in odd
places, 20,000-character strings — must give a report (or a ParsedKpi), never an exception.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kanjize import number2kanji

from criteria.application import Application, InitiativeType, KpiKind, MemberCategory
from criteria.checking import run_checks
from criteria.eras import wareki_year
from criteria.kpi import parse_kpi_text
from criteria.normalize import find_years, is_substantive, mentions, parse_number, parse_year
from criteria.report import VIEWPOINT_SLUGS

FRAGMENTS = [
    "令和",
    "平成",
    "元",
    "年",
    "年度",
    "R",
    "H",
    "FY",
    "月",
    "末",
    "まで",
    "までに",
    "から",
    "比",
    "〇",
    "一",
    "十",
    "百",
    "千",
    "万",
    "億",
    "1",
    "2028",
    "1.5",
    "２，０００",
    ".",
    ",",
    "、",
    "。",
    "社",
    "円",
    "人",
    "%",
    "件",
    "経済",
    "ウェルビーイング",
    "電子化",
    "ではなく",
    "なし",
    "対象外",
    "だけでなく",
    "市",
    "町役場",
    "協会",
    "同意",
    "アウトカム",
    "アウトプット",
    "「",
    "」",
    " ",
    "\n",
    "\x00",
    "\x0b",
    "\ud800",
    "\udfff",
    "\u200b",
    "\ufeff",
    "𠮷",
    "ｶﾞ",
    "Ⅻ",
    "①",
    "②",
]

any_char = st.characters(exclude_categories=())
texts = st.one_of(
    st.text(alphabet=any_char, max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
    st.tuples(st.sampled_from([*FRAGMENTS, "経済、", "なし、", "1,", "十"]), st.integers(1, 20_000)).map(
        lambda pair: (pair[0] * pair[1])[:20_000]
    ),
)
numbers = st.one_of(st.none(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True))
years = st.one_of(st.none(), st.integers(-(10**12), 10**12))

members = st.fixed_dictionaries(
    {"name": texts, "category": st.one_of(st.none(), st.sampled_from(list(MemberCategory))), "role": texts}
)
initiatives = st.fixed_dictionaries(
    {
        "title": texts,
        "description": texts,
        "type": st.one_of(st.none(), st.sampled_from(list(InitiativeType))),
    }
)
kpis = st.fixed_dictionaries(
    {
        "text": texts,
        "kind": st.one_of(st.none(), st.sampled_from(list(KpiKind))),
        "indicator": texts,
        "baseline": texts,
        "target_value": numbers,
        "unit": texts,
        "target_year": years,
        "fiscal_year": st.one_of(st.none(), st.booleans()),
    }
)
applications = st.fixed_dictionaries(
    {
        "lab_name": texts,
        "region": texts,
        "joint_regions": st.lists(texts, max_size=3),
        "transition_from_iot_lab": st.booleans(),
        "vision": texts,
        "regional_issues": texts,
        "customer_social_needs": texts,
        "transformation": texts,
        "initiative_types": st.lists(st.sampled_from(list(InitiativeType)), max_size=2),
        "initiatives": st.lists(initiatives, max_size=3),
        "self_reliance_scenario": texts,
        "secretariat": texts,
        "key_persons": st.lists(
            st.fixed_dictionaries({"name": texts, "organization": texts, "role": texts}), max_size=2
        ),
        "members": st.lists(members, max_size=4),
        "municipality_role": texts,
        "continuity": texts,
        "kpis": st.lists(kpis, max_size=3),
        "progress_management": texts,
        "other": st.fixed_dictionaries({"open_data": texts, "digital_talent": texts, "data_platform": texts}),
    }
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(applications)
def test_run_checks_never_crashes(data: dict[str, Any]) -> None:
    report = run_checks(Application.model_validate(data))
    assert list(report.viewpoints) == list(VIEWPOINT_SLUGS)
    assert 0.0 <= report.readiness <= 1.0
    assert report.viewpoints["other"].verdict == "meets"
    assert len(report.kpis) == len(data["kpis"])
    json.dumps(report.model_dump(mode="json"), ensure_ascii=False)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(texts)
def test_parse_kpi_text_never_crashes(text: str) -> None:
    parsed = parse_kpi_text(text)
    assert parsed.text == text
    assert parsed.target_value is None or isinstance(parsed.target_value, int | float)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(texts)
def test_normalisation_never_crashes(text: str) -> None:
    parse_number(text)
    find_years(text)
    mentions(text, ["経済", "ウェルビーイング"])
    is_substantive(text)


def test_long_inputs_are_fast_enough() -> None:
    long = ("経済は対象外、" * 3000)[:20_000]
    app = Application(vision=long, regional_issues=long, transformation=long, continuity=long)
    report = run_checks(app)
    assert report.viewpoints["regionality"].verdict == "missing"  # negated: nothing of the aims counts
    assert {r.slug: r.status for r in report.viewpoints["regionality"].requirements}[
        "regionality.economic"
    ] == "absent"


@given(st.integers(1990, 2200), st.booleans())
def test_wareki_round_trip(year: int, fiscal: bool) -> None:
    ref = parse_year(wareki_year(year, fiscal=fiscal))
    assert ref is not None
    assert (ref.year, ref.fiscal) == (year, fiscal)


@given(st.integers(0, 10**16 - 1))
def test_kanji_numeral_round_trip(number: int) -> None:
    assert parse_number(number2kanji(number)) == number
