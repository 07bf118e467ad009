"""Applications side by side for reviewers: one row per lab, one column per viewpoint and key text.

Owns what the 事務局 compares (the seed asks for identical documents for new and transitioning
labs so that reviewers can compare them 「横並びで」): each lab's draft is checked with the same
checks as ``dxlab check`` and laid out as a ``renderers.xlsx.Sheet`` — the six viewpoint verdicts,
readiness, the basic requirement, member categories, KPI counts and the key texts. Writing the
file (xlsx or csv) is ``export_review``, one lab at a time; who may compare is ``bot.roles`` (``compare``).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from bot.errors import UserError
from bot.files import write_atomically, write_bytes_atomically
from bot.service import DialogService
from criteria.application import CATEGORY_LABELS, Application, KpiKind
from criteria.report import VIEWPOINT_SLUGS, CheckReport
from criteria.viewpoints import bonus_label
from criteria.viewpoints import label as viewpoint_label
from dialogs.state import build_application
from renderers.messages import message
from renderers.xlsx import Column, Sheet, Value, csv_bytes, fit_width, write_csv, write_xlsx, xlsx_bytes
from storage.base import Lab

FORMATS = (".xlsx", ".csv")
_TEXT_WIDTH = 48.0
_FINDINGS_SHOWN = 8


@dataclass(frozen=True, kw_only=True)
class Reviewed:
    """One lab's application, its check report and when its draft last changed."""

    lab: Lab
    app: Application
    report: CheckReport
    updated_at: str


def _m(key: str, **params: Any) -> str:
    return message(f"secretariat.{key}", **params)


def iter_reviewed(
    service: DialogService, labs: Iterable[Lab], *, skip_empty: bool = False
) -> Iterator[Reviewed]:
    """Each lab's current draft, checked, one lab at a time: the draft is read and the application
    built once, the change time is the draft's own (no history fetched); ``skip_empty`` leaves out
    labs without an answer."""
    for lab in labs:
        draft = service.store.draft(lab.id)
        if skip_empty and not draft.answers:
            continue
        app = build_application(draft.answers)
        yield Reviewed(
            lab=lab,
            app=app,
            report=service.engine.checker(app),
            updated_at=draft.updated_at[:16].replace("T", " "),
        )


def reviewed(service: DialogService, labs: Sequence[Lab]) -> list[Reviewed]:
    """Check every lab's current draft."""
    return list(iter_reviewed(service, labs))


def labs_with_drafts(service: DialogService, labs: Sequence[Lab]) -> list[Lab]:
    """The labs whose draft has at least one answer."""
    return [lab for lab in labs if service.store.draft(lab.id).answers]


def _categories(app: Application) -> str:
    counts = Counter(m.category for m in app.members if m.category is not None)
    return _m("list_separator").join(
        _m("category_count", label=label, count=counts[category])
        for category, label in CATEGORY_LABELS.items()
        if counts[category]
    )


def _initiatives(app: Application) -> str:
    return "\n".join(
        _m("initiative_line", title=i.title or i.description[:40], kind=i.type.label if i.type else "")
        for i in app.initiatives
        if i.title or i.description
    )


def _findings(report: CheckReport) -> str:
    lines = [
        _m(
            "finding_line",
            viewpoint=viewpoint_label(f.viewpoint) if f.viewpoint else _m("basic_requirement"),
            message=f.message,
        )
        for f in report.problems()
    ]
    return "\n".join(lines[:_FINDINGS_SHOWN])


def _row(item: Reviewed) -> dict[str, Value]:
    app, report = item.app, item.report
    kinds = Counter(k.kind for k in report.kpis)
    row: dict[str, Value] = {
        "lab": item.lab.name,
        "lab_name": app.lab_name,
        "region": app.region,
        "joint_regions": _m("list_separator").join(app.joint_regions),
        "transition": _m("flag_yes") if app.transition_from_iot_lab else _m("flag_no"),
        "readiness": report.readiness,
        "eligibility": _m("eligible_yes")
        if report.eligibility.municipality_participates
        else _m("eligible_no"),
        "problems": len(report.problems()),
    }
    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        row[f"viewpoint_{slug}"] = _m(f"verdict_{result.verdict}") if result else ""
    row |= {
        "bonus": _m("list_separator").join(bonus_label(slug) for slug in report.bonus),
        "members": len(app.members),
        "categories": _categories(app),
        "kpi_total": len(report.kpis),
        "kpi_outcome": kinds[KpiKind.OUTCOME.value],
        "kpi_output": kinds[KpiKind.OUTPUT.value],
        "kpi_dated": sum(1 for k in report.kpis if k.target_year is not None),
        "vision": app.vision,
        "regional_issues": app.regional_issues,
        "needs": app.customer_social_needs,
        "transformation": app.transformation,
        "initiatives": _initiatives(app),
        "self_reliance": app.self_reliance_scenario,
        "secretariat": app.secretariat,
        "municipality_role": app.municipality_role,
        "progress": app.progress_management,
        "findings": _findings(report),
        "updated": item.updated_at,
    }
    return row


# (column key, wrapped, width in characters or None to fit the content, number format)
_LAYOUT: tuple[tuple[str, bool, float | None, str | None], ...] = (
    ("lab", True, None, None),
    ("lab_name", True, None, None),
    ("region", True, None, None),
    ("joint_regions", True, None, None),
    ("transition", False, None, None),
    ("readiness", False, 10, "0%"),
    ("eligibility", False, 12, None),
    ("problems", False, 10, None),
    *((f"viewpoint_{slug}", False, 14, None) for slug in VIEWPOINT_SLUGS),
    ("bonus", True, 24, None),
    ("members", False, 10, None),
    ("categories", True, 30, None),
    ("kpi_total", False, 9, None),
    ("kpi_outcome", False, 12, None),
    ("kpi_output", False, 12, None),
    ("kpi_dated", False, 12, None),
    ("vision", True, _TEXT_WIDTH, None),
    ("regional_issues", True, _TEXT_WIDTH, None),
    ("needs", True, _TEXT_WIDTH, None),
    ("transformation", True, _TEXT_WIDTH, None),
    ("initiatives", True, _TEXT_WIDTH, None),
    ("self_reliance", True, _TEXT_WIDTH, None),
    ("secretariat", True, 24, None),
    ("municipality_role", True, _TEXT_WIDTH, None),
    ("progress", True, _TEXT_WIDTH, None),
    ("findings", True, 60, None),
    ("updated", False, 17, None),
)


def _header(key: str) -> str:
    if key.startswith("viewpoint_"):
        return viewpoint_label(key.removeprefix("viewpoint_"))
    return _m(f"col_{key}")


def _columns(rows: Sequence[dict[str, Value]] | None) -> tuple[Column, ...]:
    """The layout's columns; widths fitted to ``rows`` (``None``: CSV, which has no widths)."""
    columns: list[Column] = []
    for key, wrap, width, number_format in _LAYOUT:
        header = _header(key)
        if width is None:
            width = fit_width(header, [r[key] for r in rows], maximum=30) if rows is not None else 12
        columns.append(Column(key=key, header=header, wrap=wrap, width=width, number_format=number_format))
    return tuple(columns)


def review_sheet(items: Iterable[Reviewed]) -> Sheet:
    """The comparison table of ``items``, one row per lab (each item may be dropped once its row
    is made: pass ``iter_reviewed`` to keep only the rows in memory)."""
    rows = [_row(item) for item in items]
    columns = _columns(rows)
    return Sheet(
        title=_m("compare_sheet"),
        columns=columns,
        rows=tuple(tuple(row[c.key] for c in columns) for row in rows),
    )


def sheet_bytes(sheet: Sheet, suffix: str) -> bytes:
    """The file content for ``.xlsx`` or ``.csv``."""
    if suffix == ".csv":
        return csv_bytes(sheet)
    return xlsx_bytes(sheet)


def export(sheet: Sheet, path: Path) -> None:
    """Write the table to ``path`` (``.xlsx`` or ``.csv``) whole or not at all."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(_m("compare_bad_suffix", path=str(path)))
    write_bytes_atomically(path, sheet_bytes(sheet, suffix))


def export_review(
    service: DialogService, labs: Iterable[Lab], path: Path, *, skip_empty: bool = False
) -> int:
    """Check ``labs`` one at a time and write the table to ``path`` whole or not at all; returns
    the number of rows. A CSV is streamed (one lab in memory at a time); a workbook keeps only
    the rows' values, as its column widths are fitted to them before the first row is written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UserError(_m("compare_bad_suffix", path=str(path)))
    items = iter_reviewed(service, labs, skip_empty=skip_empty)
    first = next(items, None)
    if first is None:
        raise UserError(_m("compare_no_labs"))
    items = itertools.chain([first], items)
    if suffix == ".xlsx":
        sheet = review_sheet(items)
        write_atomically(path, lambda handle: write_xlsx(sheet, handle))
        return len(sheet.rows)
    columns = _columns(None)
    count = 0

    def write(handle: BinaryIO) -> None:
        nonlocal count
        rows = (_row(item) for item in items)
        count = write_csv(columns, (tuple(row[c.key] for c in columns) for row in rows), handle)

    write_atomically(path, write)
    return count
