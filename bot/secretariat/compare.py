"""Applications side by side for reviewers: one row per lab, one column per viewpoint and key text.

Owns what the 事務局 compares (the seed asks for identical documents for new and transitioning
labs so that reviewers can compare them 「横並びで」): each lab's draft is checked with the same
checks as ``dxlab check`` and laid out as a ``renderers.xlsx.Sheet`` — the six viewpoint verdicts,
readiness, the basic requirement, member categories, KPI counts and the key texts. Writing the
file (xlsx or csv) is ``export``; who may compare is ``bot.roles`` (``compare``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import UserError
from bot.files import write_bytes_atomically
from bot.service import DialogService
from criteria.application import CATEGORY_LABELS, Application, KpiKind
from criteria.report import VIEWPOINT_SLUGS, CheckReport
from criteria.viewpoints import bonus_label
from criteria.viewpoints import label as viewpoint_label
from renderers.messages import message
from renderers.xlsx import Column, Sheet, Value, csv_bytes, fit_width, xlsx_bytes
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


def reviewed(service: DialogService, labs: Sequence[Lab]) -> list[Reviewed]:
    """Check every lab's current draft."""
    found: list[Reviewed] = []
    for lab in labs:
        app = service.application(lab)
        history = service.store.history(lab.id)
        found.append(
            Reviewed(
                lab=lab,
                app=app,
                report=service.report(lab),
                updated_at=history[-1].at[:16].replace("T", " ") if history else "",
            )
        )
    return found


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


def review_sheet(items: Sequence[Reviewed]) -> Sheet:
    """The comparison table of ``items``, one row per lab."""
    rows = [_row(item) for item in items]
    columns: list[Column] = []
    for key, wrap, width, number_format in _LAYOUT:
        header = _header(key)
        columns.append(
            Column(
                key=key,
                header=header,
                wrap=wrap,
                width=width if width is not None else fit_width(header, [r[key] for r in rows], maximum=30),
                number_format=number_format,
            )
        )
    return Sheet(
        title=_m("compare_sheet"),
        columns=tuple(columns),
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
