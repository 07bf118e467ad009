"""Japanese eras (和暦) and fiscal years (年度): conversion both ways.

Owns the era table and the formatting of dates and years as 和暦 with 西暦, as official documents
write them (令和8年11月28日 (2026年), 令和10年度 (2028年度)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    """One era: its name, romanised initial and first day."""

    name: str
    initial: str
    start: dt.date


ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)


def era_by_name(name: str) -> Era | None:
    """The era named ``name`` (令和) or by its initial (R, r)."""
    key = name.strip()
    for era in ERAS:
        if key == era.name or key.upper() == era.initial:
            return era
    return None


def to_western(era: Era, year: int) -> int:
    """The western year of ``year`` of ``era`` (元年 is 1): 令和10 → 2028."""
    return era.start.year + year - 1


def era_of(date: dt.date) -> Era:
    """The era a date falls in."""
    for era in ERAS:
        if date >= era.start:
            return era
    return ERAS[-1]


def _era_year(era: Era, western: int) -> str:
    number = western - era.start.year + 1
    return "元" if number == 1 else str(number)


def wareki_year(western: int, *, fiscal: bool = False) -> str:
    """令和10年 / 令和10年度 for a western year.

    A fiscal year takes the era in force at its end, as official documents do (2019 → 令和元年度).
    """
    probe = dt.date(western + 1, 3, 31) if fiscal else dt.date(western, 12, 31)
    era = era_of(probe)
    return f"{era.name}{_era_year(era, western)}年{'度' if fiscal else ''}"


def wareki_year_with_western(western: int, *, fiscal: bool = False) -> str:
    """令和10年度 (2028年度): the form used in KPI tables."""
    suffix = "年度" if fiscal else "年"
    return f"{wareki_year(western, fiscal=fiscal)} ({western}{suffix})"


def wareki_date(date: dt.date) -> str:
    """令和8年11月28日 (2026年): the form used on the cover of documents."""
    era = era_of(date)
    return f"{era.name}{_era_year(era, date.year)}年{date.month}月{date.day}日 ({date.year}年)"
