"""Single numbers and years typed as answers: 1,200 / １，２００ / 十五 / 1.5万 / 令和10年度 / R10.

Owns the reading of one number or one year from a short answer (a record field); KPI sentences
are read by ``criteria.kpi``.
"""

from __future__ import annotations

import re
import unicodedata

from kanjize import kanji2number

from criteria.eras import era_by_name, to_western

_KANJI_DIGITS = "〇零一二三四五六七八九十百千万億兆"
_NUMBER = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<mult>[万億]?)")
_KANJI = re.compile(f"[{_KANJI_DIGITS}]+")
_ERA_YEAR = re.compile(
    r"(?P<era>令和|平成|昭和|[RHS])\s*(?P<year>\d+|元)\s*(?P<suffix>年度|年)?", re.IGNORECASE
)
_WESTERN_YEAR = re.compile(r"(?P<year>\d{4})\s*(?P<suffix>年度|年)?")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "").strip()


def kanji_to_digits(text: str) -> str:
    """Replace runs of kanji numerals by digits (十五社 → 15社, 二千 → 2000); leave others."""

    def convert(match: re.Match[str]) -> str:
        run = match.group(0)
        if run in ("万", "億", "兆"):
            return run
        try:
            return str(kanji2number(run))
        except (ValueError, KeyError, IndexError):
            return run

    return _KANJI.sub(convert, text)


def parse_number(text: str) -> int | float | None:
    """The first number of ``text`` (1,200 / １，２００ / 十二万 / 1.5万), or ``None``."""
    normal = kanji_to_digits(_nfkc(text))
    match = _NUMBER.search(normal)
    if match is None:
        return None
    value = float(match.group("num"))
    value *= {"": 1, "万": 10_000, "億": 100_000_000}[match.group("mult")]
    return int(value) if value.is_integer() else value


def parse_year(text: str) -> tuple[int, bool | None] | None:
    """A target year as ``(western year, fiscal?)``: 令和10年度 → (2028, True), 2030 → (2030, None)."""
    normal = kanji_to_digits(_nfkc(text))
    match = _ERA_YEAR.search(normal)
    if match is not None:
        era = era_by_name(match.group("era"))
        if era is None:
            return None
        number = 1 if match.group("year") == "元" else int(match.group("year"))
        suffix = match.group("suffix")
        return to_western(era, number), (suffix == "年度") if suffix else None
    match = _WESTERN_YEAR.search(normal)
    if match is not None:
        year = int(match.group("year"))
        if not 1900 <= year <= 2200:
            return None
        suffix = match.group("suffix")
        return year, (suffix == "年度") if suffix else None
    return None
