"""Tables of a 実施計画書: which kind each is, and the records or fields it holds.

Owns the reading of KPI tables (指標/KPI, 現状/基準値, 目標/目標値, 単位, 年度/期限 in any order
and wording), member tables (名称, 区分, 役割), key-person tables (氏名, 所属, 役割) and the
two-column form at the top of a plan (ラボの名称 | …). Columns are found by the words of the
header row (``vocabulary.yaml``), never by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.plan_import.blocks import Table
from bot.plan_import.titles import is_placeholder
from bot.plan_import.vocabulary import Vocabulary, key
from criteria.application import MemberCategory, parse_category, parse_kpi_kind
from criteria.kpi import deadline, parse_kpi_text
from criteria.normalize import parse_number, parse_year

TableKind = Literal["kpis", "members", "key_persons", "form", "unknown"]
_NUMBER_WITH_UNIT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(.*?)\s*$")


@dataclass
class TableRead:
    """What one table gave: records for a records field, or form answers, and rows not read."""

    kind: TableKind
    records: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _columns(header: tuple[str, ...], words: dict[str, tuple[str, ...]]) -> dict[int, str]:
    """Column index → column kind, by the first kind with a word in the header cell."""
    found: dict[int, str] = {}
    for index, cell in enumerate(header):
        folded = key(cell)
        if not folded:
            continue
        if index > 0 and header[index - 1] == cell and index - 1 in found:
            found[index] = found[index - 1]  # a header cell merged over two columns
            continue
        for kind, kind_words in words.items():
            if any(key(word) == folded or key(word) in folded for word in kind_words):
                if kind not in found.values() or kind == "skip":
                    found[index] = kind
                break
    return found


def _clean(cell: str) -> str:
    text = cell.strip()
    return "" if is_placeholder(text) else text


def _rows(table: Table) -> list[tuple[str, ...]]:
    return [row for row in table.rows[1:] if any(_clean(c) for c in row)]


def _cell(row: tuple[str, ...], index: int) -> str:
    return _clean(row[index]) if index < len(row) else ""


def _year(text: str) -> tuple[int | None, bool | None]:
    ref = parse_year(unicodedata.normalize("NFKC", text))
    if ref is None:
        return None, None
    return deadline(ref)


def _target(text: str) -> tuple[int | float | None, str]:
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _NUMBER_WITH_UNIT.match(normal)
    if match:
        value = parse_number(match.group(1).replace(",", ""))
        return value, match.group(2)
    value = parse_number(normal)
    return value, ""


def _values(row: tuple[str, ...], columns: dict[int, str]) -> dict[str, str]:
    """Column kind → the row's text (columns of one kind, under a merged header, joined)."""
    values: dict[str, str] = {}
    for index, kind in sorted(columns.items()):
        text = _cell(row, index)
        if kind == "skip" or not text:
            continue
        if kind in values and text != values[kind]:
            values[kind] = f"{values[kind]} {text}"
        else:
            values[kind] = text
    return values


def _kpi(row: tuple[str, ...], columns: dict[int, str]) -> dict[str, Any]:
    values = _values(row, columns)
    record: dict[str, Any] = {}
    lines = [line.strip() for line in values.get("indicator", "").split("\n") if line.strip()]
    if lines:
        record["indicator"] = lines[0]
        if len(lines) > 1:
            record["text"] = "\n".join(lines[1:])
    if values.get("kind"):
        kind = parse_kpi_kind(values["kind"])
        if isinstance(kind, str) and kind in ("outcome", "output"):
            record["kind"] = str(kind)
    if values.get("baseline"):
        record["baseline"] = _joined(values["baseline"])
    if values.get("target"):
        value, unit = _target(values["target"])
        if value is not None:
            record["target_value"] = value
            if unit and not values.get("unit"):
                record["unit"] = unit
        else:
            record.setdefault("text", values["target"])
    if values.get("unit"):
        record["unit"] = values["unit"]
    if values.get("year"):
        year, fiscal = _year(values["year"])
        if year is not None:
            record["target_year"] = year
            if fiscal is not None:
                record["fiscal_year"] = fiscal
    return record


def _joined(cell: str) -> str:
    """A cell's lines as one answer: 「42億円」 over 「（令和5年度）」 → 「42億円（令和5年度）」."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    text = lines[0] if lines else ""
    for line in lines[1:]:
        text += line if line.startswith(("（", "(")) else " " + line
    return text


def without_derivable(record: dict[str, Any]) -> dict[str, Any]:
    """Drop the structured values a KPI's sentence already says (dxlab writes both in its table).

    A KPI entered as one sentence comes back as that sentence, so the round trip gives the same
    answer; values the sentence does not say (or says differently) are kept. A baseline cell the
    sentence itself gives (「（基準値 3社）」) is dropped too.
    """
    text = record.get("text", "")
    if not text:
        return record
    parsed = parse_kpi_text(text)
    derived = {
        "indicator": parsed.indicator,
        "target_value": parsed.target_value,
        "unit": parsed.unit,
        "target_year": parsed.target_year,
        "fiscal_year": parsed.fiscal_year,
    }
    same = all(record.get(name) == value for name, value in derived.items() if name in record)
    if not same:
        return record
    kept = {name: value for name, value in record.items() if name not in derived}
    said = getattr(parsed, "baseline_value", None)
    baseline = str(kept.get("baseline", ""))
    if said is not None and baseline and _first_number(baseline) == said and _first_number(text) is not None:
        kept.pop("baseline")
    return kept


def _first_number(text: str) -> int | float | None:
    normal = unicodedata.normalize("NFKC", text).replace(",", "")
    match = re.search(r"[0-9]+(?:\.[0-9]+)?", normal)
    return parse_number(match.group()) if match else None


def guess_category(text: str, vocab: Vocabulary) -> MemberCategory | None:
    """A member category from a 区分 cell or, failing that, from words of the name."""
    parsed = parse_category(text)
    if isinstance(parsed, MemberCategory):
        return parsed
    folded = key(text)
    for category, words in vocab.member_name_categories.items():
        if any(key(word) in folded for word in words):
            return category
    stripped = unicodedata.normalize("NFKC", text).strip()
    if stripped and stripped[-1] in vocab.municipality_suffixes and len(stripped) <= 8:
        return MemberCategory.MUNICIPALITY
    return None


def _member(
    row: tuple[str, ...], columns: dict[int, str], vocab: Vocabulary, notes: list[str]
) -> dict[str, Any]:
    values = _values(row, columns)
    record: dict[str, Any] = {"name": values.get("name", "")}
    category_text = values.get("category", "")
    category = guess_category(category_text, vocab) if category_text else None
    if category is None:
        category = guess_category(record["name"], vocab)
        if category_text:
            notes.append(f"{record['name']}：{category_text}")
    if category is not None:
        record["category"] = category.value
    if values.get("role"):
        record["role"] = values["role"]
    return record


def _person(row: tuple[str, ...], columns: dict[int, str]) -> dict[str, Any]:
    values = _values(row, columns)
    return {name: values[name] for name in ("name", "organization", "role") if values.get(name)}


def _has(columns: dict[int, str], *kinds: str) -> bool:
    return all(kind in columns.values() for kind in kinds)


def classify(table: Table, vocab: Vocabulary, context: str | None) -> tuple[TableKind, dict[int, str]]:
    """What a table is, from its header row (``context``: the field of the title above it)."""
    if not table.rows:
        return "unknown", {}
    header = table.rows[0]
    kpi = _columns(header, vocab.kpi_columns)
    people = _columns(header, vocab.person_columns)
    members = _columns(header, vocab.member_columns)
    if _has(kpi, "indicator") and (_has(kpi, "target") or _has(kpi, "year")):
        return "kpis", kpi
    if context == "kpis" and (_has(kpi, "target") or _has(kpi, "year")):
        return "kpis", kpi
    if "name" in people.values() and any(key(w) in key(c) for c in header for w in ("氏名", "名前")):
        return "key_persons", people
    if context == "key_persons" and _has(people, "name"):
        return "key_persons", people
    if _has(members, "name") and (_has(members, "category") or _has(members, "role")):
        return "members", members
    if len(header) == 2 and all(len(row) == 2 for row in table.rows):
        return "form", {}
    return "unknown", {}


def read_table(table: Table, vocab: Vocabulary, context: str | None) -> TableRead:
    """Read one table; rows of a kind it cannot read are left to the caller as ``unknown``."""
    kind, columns = classify(table, vocab, context)
    result = TableRead(kind=kind)
    if kind == "kpis":
        result.records = [r for r in (_kpi(row, columns) for row in _rows(table)) if r]
    elif kind == "members":
        result.records = [_member(row, columns, vocab, result.notes) for row in _rows(table)]
        result.records = [r for r in result.records if r.get("name")]
    elif kind == "key_persons":
        result.records = [r for r in (_person(row, columns) for row in _rows(table)) if r.get("name")]
    return result
