"""Named code the flow YAML may refer to: choice lists and derivers.

The flow names code only through this module (``choices_from: member_category``,
``derive: kpi_text``), never through embedded expressions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from criteria.application import (
    CATEGORY_LABELS,
    INITIATIVE_TYPE_LABELS,
    KPI_KIND_LABELS,
    Application,
    OtherItems,
)
from criteria.eras import wareki_year
from criteria.kpi import parse_kpi_text

_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "member_category": tuple((c.value, label) for c, label in CATEGORY_LABELS.items()),
    "initiative_type": tuple((t.value, label) for t, label in INITIATIVE_TYPE_LABELS.items()),
    "kpi_kind": tuple((k.value, label + "指標") for k, label in KPI_KIND_LABELS.items()),
}

Deriver = Callable[[Mapping[str, Any]], dict[str, Any]]


def _derive_kpi_text(record: Mapping[str, Any]) -> dict[str, Any]:
    """Fill indicator, target value, unit and target year from a KPI sentence."""
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return {}
    parsed = parse_kpi_text(text)
    found: dict[str, Any] = {}
    if parsed.indicator:
        found["indicator"] = parsed.indicator
    if parsed.target_value is not None:
        found["target_value"] = parsed.target_value
    if parsed.unit:
        found["unit"] = parsed.unit
    if parsed.target_year is not None:
        found["target_year"] = parsed.target_year
        found["fiscal_year"] = parsed.fiscal_year
    baseline = baseline_text(parsed.baseline_value, parsed.baseline_unit, parsed.baseline_year)
    if baseline:
        found["baseline"] = baseline
    return found


def baseline_text(value: int | float | None, unit: str, year: int | None) -> str:
    """A baseline read from a KPI sentence, as the baseline answer: 「3社（令和6年度）」."""
    if value is None:
        return ""
    number = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return number + unit + (f"（{wareki_year(year, fiscal=True)}）" if year is not None else "")


_DERIVERS: dict[str, Deriver] = {"kpi_text": _derive_kpi_text}


def choices(name: str) -> tuple[tuple[str, str], ...]:
    """The (value, label) pairs of a registered choice list; ``KeyError`` if unknown."""
    return _CHOICES[name]


def choice_label(name: str, value: str) -> str:
    """The label of one value of a choice list (the value itself when unknown)."""
    return dict(_CHOICES.get(name, ())).get(value, value)


def has_deriver(name: str) -> bool:
    return name in _DERIVERS


def derive(name: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """Run a registered deriver on a partial record; returns the fields it could fill."""
    return _DERIVERS[name](record)


def is_application_field(path: str) -> bool:
    """Whether ``path`` (``vision``, ``other.open_data``) names a field of the Application."""
    head, _, rest = path.partition(".")
    if head not in Application.model_fields:
        return False
    if not rest:
        return True
    return head == "other" and rest in OtherItems.model_fields
