"""Reading a KPI: its indicator, numeric target, unit and target year, from fields or a sentence.

Owns ``parse_kpi`` (structured fields win, empty ones are filled from ``kpi.text``) and
``parse_kpi_text`` for sentences shaped like the programme's example 「○○年までに○○○○○を○件」:

- 「令和９年度までにDX支援企業数を百社」 → DX支援企業数, 100, 社, 2027, fiscal
- 「R10年度までにDX認定企業を十五社にする」 → DX認定企業, 15, 社, 2028, fiscal
- 「２，０００人」 → 2000 人; 「十二万人」 → 120000 人
- 「2028年3月末まで」 → 2027, fiscal (see ``deadline``)
- 「2030年までに売上高を1.5億円」 → 売上高, 1.5, 億円, 2030, not fiscal

Rules: the target is the last number followed by a unit (「現状5社から20社に」 → 20社); without
any unit, the last plain arabic number ending the phrase. A number or year followed by から, より,
比 or → is a baseline, never the target. A number written with 万/億/千 right
before 円 keeps that scale in the unit (1.5億円 → 1.5 億円; 3000万円 → 3000 万円), as money is
written in plans; elsewhere the scale is multiplied out (十二万人 → 120000 人). The target year is
the year followed by まで/までに, else the last year. The indicator is the text before the target (or
before its baseline), without the year phrase and trailing particles. Nothing here raises: text that
cannot be read gives empty fields.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from criteria.application import Kpi
from criteria.normalize import YearRef, find_years, fold, normalize, number_spans, parse_number
from criteria.report import ParsedKpi
from criteria.vocab import units

logger = logging.getLogger(__name__)

_MAX_TEXT = 2000
_UNIT = re.compile("|".join(re.escape(u) for u in sorted(units(), key=len, reverse=True)), re.IGNORECASE)
_UNTIL = re.compile(r"\s*(?:末|度末|中|頃|ごろ|時点)?\s*(?:まで|迄)")
_AFTER_YEAR = re.compile(
    r"\s*(?:末|度末|中|頃|ごろ|時点)?\s*(?:までに|まで|迄に|迄|にかけて|から|より|比で|比|には|に|で|の)?"
)
_KIND_NOTE = re.compile(r"[(\[【]?\s*(?:アウトカム|アウトプット)(?:指標)?\s*[)\]】]?")
_BARE_END = re.compile(r"\s*(?:$|[、,。.)）]|に|を|へ|まで|以上|以下|程度|へ)")
_SCALED_MONEY = {"万": 10**4, "億": 10**8, "千": 10**3}
_TRIM_CHARS = " \t\u3000、,:：|・-=~をがはにのでもへと"
_TRIM_TAIL_WORDS = (
    "現状",
    "現在",
    "基準値",
    "から",
    "より",
    "約",
    "年間で",
    "累計で",
    "延べ",
    "累計",
    "合計",
)
_TRIM_HEAD_WORDS = ("までに", "まで", "目標", "kpi", "KPI", "比で", "比べて", "比")
_BASELINE_AFTER = re.compile(r"\s*(?:度)?(?:比|から|より|実績|時点の|の実績|→|⇒|->|=>)")
_SEPARATOR = "|"


@dataclass(frozen=True, kw_only=True)
class _Target:
    value: int | float
    unit: str
    start: int
    end: int


def deadline(ref: YearRef) -> tuple[int, bool | None]:
    """The target year of a KPI deadline, as ``(year, fiscal)``.

    A year with a month is read as the period that deadline closes: January to March of year Y
    belong to fiscal year Y-1 (April to March), so 「2028年3月末まで」 is the end of 2027年度 →
    ``(2027, True)``; April to December stay calendar years (「2028年9月まで」 → ``(2028, False)``).
    A fiscal year (年度, FY) or a year alone is kept as written.
    """
    if ref.month is not None and ref.fiscal is not True:
        if ref.month <= 3:
            return ref.year - 1, True
        return ref.year, False
    return ref.year, ref.fiscal


def _target_year(text: str, years: list[YearRef]) -> YearRef | None:
    """The year followed by まで; else the last year that is not a baseline (令和元年度比, 2024年から)."""
    for ref in years:
        if _UNTIL.match(text, ref.end):
            return ref
    targets = [ref for ref in years if not _BASELINE_AFTER.match(text, ref.end)]
    return targets[-1] if targets else None


def _without_years(text: str, years: list[YearRef]) -> str:
    parts: list[str] = []
    position = 0
    for ref in years:
        parts.append(text[position : ref.start])
        after = _AFTER_YEAR.match(text, ref.end)
        position = after.end() if after else ref.end
        parts.append(_SEPARATOR * (position - ref.start))
    parts.append(text[position:])
    return "".join(parts)


def _candidates(text: str) -> tuple[list[_Target], list[_Target]]:
    """Numbers followed by a unit, and plain arabic numbers ending a phrase."""
    with_unit: list[_Target] = []
    bare: list[_Target] = []
    for match in number_spans(text):
        token = match.group()
        value = parse_number(token)
        if value is None:
            continue
        unit_match = _UNIT.match(text, match.end())
        if unit_match is not None:
            unit = unit_match.group()
            if unit.startswith("円") and token[-1] in _SCALED_MONEY and len(token) > 1:
                unit = token[-1] + unit
                scaled = value / _SCALED_MONEY[token[-1]]
                value = int(scaled) if float(scaled).is_integer() else scaled
            with_unit.append(_Target(value=value, unit=unit, start=match.start(), end=unit_match.end()))
        elif (
            token[0].isdigit()
            and text[max(0, match.start() - 1) : match.start()] != "第"
            and _BARE_END.match(text, match.end())
        ):
            bare.append(_Target(value=value, unit="", start=match.start(), end=match.end()))
    return with_unit, bare


def _trim(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_TRIM_CHARS)
        for word in _TRIM_TAIL_WORDS:
            if text.endswith(word):
                text = text[: -len(word)]
        for word in _TRIM_HEAD_WORDS:
            if text.startswith(word):
                text = text[len(word) :]
    return text


def _indicator(text: str) -> str:
    return _trim(" ".join(text.replace(_SEPARATOR, " ").split()))


def _kind(text: str) -> str | None:
    folded = fold(text)
    outcome, output = "アウトカム" in folded, "アウトプット" in folded
    if outcome == output:
        return None
    return "outcome" if outcome else "output"


def _parse(text: str) -> ParsedKpi:
    normal = normalize(text)[:_MAX_TEXT]
    years = find_years(normal)
    target_year = _target_year(normal, years)
    year, fiscal = deadline(target_year) if target_year is not None else (None, None)
    rest = _without_years(normal, years)
    rest = _KIND_NOTE.sub(lambda m: _SEPARATOR * len(m.group()), rest)
    with_unit, bare = _candidates(rest)
    target = with_unit[-1] if with_unit else (bare[-1] if bare else None)
    if target is not None:
        first = next(c for c in [*with_unit, target] if c is target or _BASELINE_AFTER.match(rest, c.end))
        indicator = _indicator(rest[: first.start]) or _indicator(rest[target.end :])
    else:
        indicator = _indicator(rest) if years else ""
    return ParsedKpi(
        text=text,
        kind=_kind(text),
        indicator=indicator,
        target_value=target.value if target is not None else None,
        unit=target.unit if target is not None else "",
        target_year=year,
        fiscal_year=fiscal,
    )


@functools.lru_cache(maxsize=4096)
def parse_kpi_text(text: str) -> ParsedKpi:
    """Read one KPI sentence; fields that cannot be read stay empty (never raises).

    Remembered per text: every answer re-checks the whole draft, and its KPI sentences rarely
    change (``ParsedKpi`` is frozen, so sharing it is safe)."""
    if not text.strip():
        return ParsedKpi(text=text)
    try:
        return _parse(text)
    except Exception:  # the parser must never break a check or a dialog turn
        logger.exception("could not parse KPI text %r", text[:200])
        return ParsedKpi(text=text)


def parse_kpi(kpi: Kpi) -> ParsedKpi:
    """The KPI as the checks understand it: structured fields win, empty ones come from ``kpi.text``.

    ``fiscal_year`` follows ``target_year``: when the year is given as a field without the flag,
    the flag parsed from the text is used only if the text names the same year.
    """
    parsed = parse_kpi_text(kpi.text)
    year: int | None
    fiscal: bool | None
    if kpi.target_year is not None:
        year = kpi.target_year
        if kpi.fiscal_year is not None:
            fiscal = kpi.fiscal_year
        else:
            fiscal = parsed.fiscal_year if parsed.target_year == year else None
    else:
        year = parsed.target_year
        fiscal = parsed.fiscal_year if kpi.fiscal_year is None else kpi.fiscal_year
    return ParsedKpi(
        text=kpi.text,
        kind=kpi.kind.value if kpi.kind is not None else parsed.kind,
        indicator=kpi.indicator.strip() or parsed.indicator,
        target_value=kpi.target_value if kpi.target_value is not None else parsed.target_value,
        unit=kpi.unit.strip() or parsed.unit,
        target_year=year,
        fiscal_year=fiscal,
    )
