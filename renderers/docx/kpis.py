"""The KPI table of the draft 実施計画書 (3（1）): one clean row per KPI, its sentence only as a note.

Owns what a KPI row shows: the indicator (with its qualifier, 「累計」), the kind, the baseline as
value, unit and year (「9.8億円」 over 「（令和6年度）」), the target as value and unit (or a change
relative to the baseline, 「基準値比」 over 「+30%」) and the target year, from the KPI's own fields filled
by the checks' reading (``criteria.report.ParsedKpi``). The sentence the person wrote is never
printed under the indicator: it becomes a note below the table only when it says something the
row does not (a number the row does not show), and never when it is stale — a KPI edited field by
field whose sentence still names the old target or year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from criteria.application import KPI_KIND_LABELS, Kpi, KpiKind
from criteria.eras import wareki_year, wareki_year_with_western
from criteria.kpi import deadline, parse_kpi, parse_kpi_text
from criteria.normalize import find_years, normalize, number_spans, parse_number
from criteria.report import ParsedKpi
from renderers.docx.blocks import column, fixed, placeholder, table, wording
from renderers.docx.model import Block, Cell, Paragraphs, Text
from renderers.docx.sanitize import clean_lines, clean_text

# An answer such as 「0件（令和7年度）」: the value, then a parenthesised aside (its year).
_VALUE_AND_ASIDE = re.compile(r"^(?P<value>.*?\S)\s*(?P<aside>[（(][^（()）]*[）)])\s*$")
_SCALES = {"千": 10**3, "万": 10**4, "億": 10**8, "兆": 10**12}
# Factors by which a number in a sentence may differ from the same number in a cell: 12億 in the
# sentence is 12 億円 in the cell; 三割 is +30%.
_FACTORS = (1, 10**3, 10**4, 10**8, 10**12, 0.1)

# Column widths in mm (they add up to the 160 mm text width). 基準値 holds 「（令和6年度末）」 on one
# line, 種別 「アウトプット」, 目標年度 「令和10年度」 over 「(2028年度)」.
_WIDTHS = {"no": 10, "indicator": 52, "kind": 24, "baseline": 29, "target": 23, "year": 22}


def _number(value: float) -> str:
    """1,200 / 12.5: a value as the KPI table shows it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return format(value, ",")


@dataclass(frozen=True)
class KpiRow:
    """One KPI as the table shows it, and the note below the table (``None`` when none)."""

    cells: tuple[Cell, ...]
    note: str | None


def merged(kpi: Kpi, parsed: ParsedKpi | None) -> ParsedKpi:
    """The KPI's own fields, filled by the checks' reading (``parsed``, or read here when absent)."""
    reading = parsed if parsed is not None else parse_kpi(kpi)
    kind = kpi.kind.value if kpi.kind is not None else reading.kind
    return reading.model_copy(
        update={
            "kind": kind,
            "indicator": kpi.indicator.strip() or reading.indicator,
            "target_value": kpi.target_value if kpi.target_value is not None else reading.target_value,
            "unit": kpi.unit.strip() or reading.unit,
            "target_year": kpi.target_year if kpi.target_year is not None else reading.target_year,
            "fiscal_year": kpi.fiscal_year if kpi.fiscal_year is not None else reading.fiscal_year,
        }
    )


def _scaled(value: float, unit: str) -> tuple[float, str]:
    """12, 億円 → 1.2e9, 円: a value and unit without a leading scale word, for comparison."""
    unit = normalize(unit).strip()
    if len(unit) > 1 and unit[0] in _SCALES:
        return value * _SCALES[unit[0]], unit[1:]
    return value, unit


def is_stale(kpi: Kpi) -> bool:
    """Whether ``kpi.text`` names another target, unit or year than the KPI's own fields.

    That is a KPI first written as a sentence and then edited field by field: its sentence is the
    old one and must not be shown as if it were current.
    """
    if not kpi.text.strip():
        return False
    said = parse_kpi_text(kpi.text)
    if kpi.target_year is not None and said.target_year is not None and kpi.target_year != said.target_year:
        return True
    if kpi.target_value is None or said.target_value is None:
        return False
    field_value, field_unit = _scaled(kpi.target_value, kpi.unit or said.unit)
    said_value, said_unit = _scaled(said.target_value, said.unit)
    if kpi.unit.strip() and said.unit.strip() and field_unit != said_unit:
        return True
    return abs(field_value - said_value) > 1e-9 * max(1.0, abs(field_value))


def _numbers(texts: Iterable[str]) -> set[float]:
    found: set[float] = set()
    for text in texts:
        for match in number_spans(normalize(text)):
            value = parse_number(match.group())
            if value is not None:
                found.add(float(value))
    return found


def _years(texts: Iterable[str]) -> set[int]:
    return {ref.year for text in texts for ref in find_years(normalize(text))}


def adds_to_row(
    sentence: str, shown: Sequence[str], values: Iterable[float | None], years: Iterable[int | None]
) -> bool:
    """Whether ``sentence`` holds a number or year that the row (``shown`` texts, ``values``,
    ``years``) does not: only then is the sentence worth printing beside the row."""
    normal = normalize(sentence)
    refs = find_years(normal)
    known_years = {y for y in years if y is not None} | _years(shown)
    if any(ref.year not in known_years and deadline(ref)[0] not in known_years for ref in refs):
        return True
    rest = list(normal)
    for ref in refs:
        rest[ref.start : ref.end] = " " * (ref.end - ref.start)
    known = {float(v) for v in values if v is not None} | _numbers(shown)
    for value in _numbers(["".join(rest)]):
        if not any(abs(value / factor - k) < 1e-9 * max(1.0, abs(k)) for factor in _FACTORS for k in known):
            return True
    return False


def _indicator(kpi_reading: ParsedKpi) -> str:
    indicator = " ".join(clean_text(kpi_reading.indicator).split())
    qualifier = " ".join(clean_text(kpi_reading.qualifier).split())
    if indicator and qualifier and qualifier not in indicator:
        return wording("kpi_indicator_qualified", indicator=indicator, qualifier=qualifier)
    return indicator


def _baseline(kpi: Kpi, reading: ParsedKpi) -> Cell:
    typed = " ".join(clean_lines(kpi.baseline)).strip()
    if typed:
        parts = _VALUE_AND_ASIDE.match(typed)
        if parts is None:
            return (Text(typed),)
        return (Text(parts.group("value")), Text(parts.group("aside")))
    if reading.baseline_value is None:
        return (placeholder(),)
    unit = clean_text(reading.baseline_unit or reading.unit).strip()
    value = Text(f"{_number(reading.baseline_value)}{unit}")
    if reading.baseline_year is None:
        return (value,)
    fiscal = reading.fiscal_year is not False  # ParsedKpi has no flag of its own for the baseline
    return (value, Text(wording("kpi_baseline_year", year=wareki_year(reading.baseline_year, fiscal=fiscal))))


def _target(reading: ParsedKpi) -> Cell:
    """「1,200人」; a change relative to the baseline as 「基準値比」 over 「+30%」 (below the value)."""
    change = clean_text(reading.relative_change).strip()
    relative = (Text(wording("kpi_relative")), Text(change)) if change else ()
    if reading.target_value is None:
        return relative or (placeholder(),)
    return (Text(f"{_number(reading.target_value)}{clean_text(reading.unit).strip()}"), *relative)


def _year(year: int | None, fiscal: bool | None) -> Cell:
    if year is None:
        return (placeholder(),)
    full = wareki_year_with_western(year, fiscal=bool(fiscal))
    era = wareki_year(year, fiscal=bool(fiscal))
    rest = full[len(era) :].strip()
    return (Text(era), Text(rest)) if rest else (Text(full),)


def kpi_row(number: int, kpi: Kpi, parsed: ParsedKpi | None) -> KpiRow:
    """The cells of KPI ``number`` and, when its sentence adds something, that sentence."""
    reading = merged(kpi, parsed)
    sentence = " ".join(line.strip() for line in clean_lines(kpi.text) if line.strip())
    indicator = _indicator(reading)
    note = None
    if indicator:
        what: Cell = (Text(indicator),)
        baseline_text = kpi.baseline
        if (
            sentence
            and not is_stale(kpi)
            and adds_to_row(
                sentence,
                (indicator, baseline_text, reading.relative_change),
                (reading.target_value, reading.baseline_value),
                (reading.target_year, reading.baseline_year),
            )
        ):
            note = sentence
    elif sentence and not is_stale(kpi):
        what = (Text(sentence),)  # no indicator could be read: the sentence is all there is
    else:
        what = (placeholder(),)
    kind = KPI_KIND_LABELS.get(KpiKind(reading.kind)) if reading.kind in set(KpiKind) else None
    cells = (
        fixed(str(number)),
        what,
        fixed(kind) if kind else (placeholder(),),
        _baseline(kpi, reading),
        _target(reading),
        _year(reading.target_year, reading.fiscal_year),
    )
    return KpiRow(cells=cells, note=note)


def kpi_blocks(kpis: Sequence[Kpi], parsed: Sequence[ParsedKpi]) -> list[Block]:
    """The KPI table, then the notes: the sentences that add something, and the legend of kinds."""
    readings: list[ParsedKpi | None] = list(parsed) if len(parsed) == len(kpis) else [None] * len(kpis)
    rows = [kpi_row(n, k, p) for n, (k, p) in enumerate(zip(kpis, readings, strict=True), start=1)]
    blocks: list[Block] = [
        table(
            (
                column("col_no", _WIDTHS["no"], "center"),
                column("col_kpi_indicator", _WIDTHS["indicator"], "left"),
                column("col_kpi_kind", _WIDTHS["kind"], "center"),
                column("col_kpi_baseline", _WIDTHS["baseline"], "center"),
                column("col_kpi_target", _WIDTHS["target"], "center"),
                column("col_kpi_year", _WIDTHS["year"], "center"),
            ),
            (row.cells for row in rows),
        )
    ]
    notes = [
        Text(wording("kpi_sentence_note", number=n, text=row.note))
        for n, row in enumerate(rows, start=1)
        if row.note is not None
    ]
    notes.append(Text(wording("kpi_note")))
    blocks.append(Paragraphs(tuple(notes), kind="note"))
    return blocks
