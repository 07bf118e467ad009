"""Japanese normalisation: numbers, 和暦 years and negation-aware keyword matching."""

from __future__ import annotations

import pytest

from criteria.normalize import (
    find_years,
    fold,
    is_none_answer,
    is_substantive,
    matched,
    mentions,
    normalize,
    parse_number,
    parse_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１，２００", 1200),
        ("1,200", 1200),
        ("２，０００", 2000),
        ("1,200,000", 1200000),
        ("百五十", 150),
        ("二千", 2000),
        ("十二万", 120000),
        ("1万2千", 12000),
        ("1.5万", 15000),
        ("1.15億", 115000000),
        ("一億五千万", 150000000),
        ("十五", 15),
        ("百", 100),
        ("二〇二八", 2028),
        ("2.5", 2.5),
        ("０．５", 0.5),
        ("万全", None),
        ("万", None),
        ("十十", None),
        ("1.2.3", None),
        ("", None),
        ("abc", None),
        ("9" * 41, None),
    ],
)
def test_parse_number(text: str, expected: int | float | None) -> None:
    assert parse_number(text) == expected


def test_normalize_full_width_and_thousands() -> None:
    assert normalize("ＤＸ認定企業を１，２００社") == "DX認定企業を1200社"
    assert normalize("1,2,3") == "1,2,3"  # not a thousands separator
    assert fold("ＱＯＬ") == "qol"


@pytest.mark.parametrize(
    ("text", "year", "fiscal", "month"),
    [
        ("令和9年度", 2027, True, None),
        ("令和９年度", 2027, True, None),
        ("R10年度", 2028, True, None),
        ("Ｒ１０年度", 2028, True, None),
        ("r6年", 2024, False, None),
        ("令和九年", 2027, False, None),
        ("令和十年度", 2028, True, None),
        ("令和元年", 2019, False, None),
        ("令和元年度", 2019, True, None),
        ("H31", 2019, None, None),
        ("平成31年度", 2019, True, None),
        ("平成三十一年", 2019, False, None),
        ("2028年度", 2028, True, None),
        ("2030年", 2030, False, None),
        ("2028年3月末まで", 2028, False, 3),
        ("令和10年3月31日", 2028, False, 3),
        ("2028/3", 2028, None, 3),
        ("FY2028", 2028, True, None),
        ("2030までに", 2030, None, None),
    ],
)
def test_years(text: str, year: int, fiscal: bool | None, month: int | None) -> None:
    ref = parse_year(text)
    assert ref is not None
    assert (ref.year, ref.fiscal, ref.month) == (year, fiscal, month)


@pytest.mark.parametrize("text", ["H2O", "CO2", "2000人", "3年間", "第2期", "R&D", "令和"])
def test_not_years(text: str) -> None:
    assert parse_year(text) is None


def test_find_years_in_order_without_overlap() -> None:
    years = find_years("令和5年度の実績から令和10年度までに倍増")
    assert [(y.year, y.fiscal) for y in years] == [(2023, True), (2028, True)]


WELLBEING = ["ウェルビーイング", "幸福", "暮らし"]
ECONOMIC = ["経済", "雇用", "産業"]


@pytest.mark.parametrize(
    ("text", "keywords", "expected"),
    [
        ("ウェルビーイングの向上を目指します", WELLBEING, True),
        ("ウェルビーイングは対象外", WELLBEING, False),
        ("ウェルビーイングは対象外とします。", WELLBEING, False),
        ("ウェルビーイングの向上は行わない", WELLBEING, False),
        ("ウェルビーイングではない", WELLBEING, False),
        ("ウェルビーイングなし", WELLBEING, False),
        ("ウェルビーイングは含まない", WELLBEING, False),
        ("ウェルビーイングは含みません。", WELLBEING, False),
        ("経済、雇用、ウェルビーイングは行わない", ECONOMIC, False),
        ("経済の発展を目指し、ウェルビーイングは対象外とする", ECONOMIC, True),
        ("経済の発展を目指し、ウェルビーイングは対象外とする", WELLBEING, False),
        ("経済発展だけでなくウェルビーイングの向上も目指す", ECONOMIC, True),
        ("経済発展だけではなく、ウェルビーイングの向上も目指す", ECONOMIC, True),
        ("ウェルビーイングは含まない。経済は重視します", ECONOMIC, True),
        ("観光客へのおもてなしを高め、暮らしの質も上げる", WELLBEING, True),
        ("人手なしでも回る暮らし", WELLBEING, True),
        ("ウェルビーイングなしで", WELLBEING, True),
        ("誰一人取り残さない暮らし", WELLBEING, True),
        ("ＱＯＬの向上", ["QOL"], True),
        ("", WELLBEING, False),
    ],
)
def test_mentions(text: str, keywords: list[str], expected: bool) -> None:
    assert mentions(text, keywords) is expected


def test_mentions_any_occurrence_counts() -> None:
    # the first occurrence is negated, the second is not
    assert mentions("幸福は扱わない。でも住民の幸福度は測ります", ["幸福"])


def test_matched_lists_positive_keywords() -> None:
    assert matched("単なる電子化ではなく、ビジネスモデルを転換", ["電子化", "ビジネスモデル", "転換"]) == (
        "ビジネスモデル",
        "転換",
    )


@pytest.mark.parametrize("text", ["なし", "特になし", "該当なし。", "ー", "-", "None", "予定はありません"])
def test_none_answers(text: str) -> None:
    assert is_none_answer(text)
    assert not is_substantive(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("観光データを公開します", True),
        ("データを公開し、個人情報は含まない", True),
        ("オープンデータの活用は予定していません", False),
        ("データ連携基盤の整備は行わない。", False),
        ("   ", False),
    ],
)
def test_is_substantive(text: str, expected: bool) -> None:
    assert is_substantive(text) is expected
