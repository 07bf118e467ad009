"""``dxlab check FILE.json [--json]``: every viewpoint check on an application file.

Owns the command line of the checks: load and validate the file (a bad file is a ``UserError``,
exit 2), run ``criteria.checking.run_checks`` and print either the stable ``CheckReport`` JSON
(``--json``) or a readable Japanese report drawn with rich: the six viewpoints with ✅/⚠/❌ and
each finding's message and hint, the KPIs as understood, the bonus items and, for a lab moving
from the 地方版IoT推進ラボ, what is still open. Exit 0 whenever the file was checked.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.appfile import load_application
from criteria.application import Application
from criteria.checking import run_checks
from criteria.eras import wareki_year, wareki_year_with_western
from criteria.report import CheckReport, Finding, ParsedKpi, ViewpointResult
from criteria.requirements import REQUIREMENTS, field_label
from criteria.transition import transition_gap
from criteria.viewpoints import bonus_label
from renderers.messages import message

if TYPE_CHECKING:  # rich loads only for the readable report, not for --json (start-up time)
    from rich.table import Table
    from rich.text import Text

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``check`` on the ``dxlab`` parser."""
    help_text = message("check.help")
    parser: argparse.ArgumentParser = subparsers.add_parser("check", help=help_text, description=help_text)
    parser.add_argument("file", type=Path, metavar="FILE.json", help=message("check.help_file"))
    parser.add_argument("--json", action="store_true", help=message("check.help_json"))
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=message("cli.help_db"))
    parser.set_defaults(handler=run)
    return parser


def clean(text: str) -> str:
    """Text safe for a terminal: control characters dropped, lone surrogates replaced."""
    return _UNPRINTABLE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)


def report_json(report: CheckReport) -> str:
    """The stable ``dxlab check --json`` text (lone surrogates replaced so it can be written)."""
    text = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


def _text(text: str) -> Text:
    """Plain text (never rich markup) that folds anywhere, as Japanese has no spaces to wrap at."""
    from rich.text import Text

    return Text(text, overflow="fold")


def _findings_cell(findings: list[Finding]) -> Text:
    if not findings:
        return _text(message("check.no_findings"))
    lines: list[str] = []
    for item in findings:
        key = "check.finding_note" if item.severity == "ok" else "check.finding_problem"
        lines.append(message(key, message=clean(item.message)))
        if item.hint:
            lines.append(message("check.finding_hint", hint=clean(item.hint)))
    return _text("\n".join(lines))


def _requirements_cell(result: ViewpointResult) -> Text:
    """Each sub-requirement: met with the sentence it was read from, or what is missing and how."""
    if not result.requirements:
        return _findings_cell(result.findings)
    lines: list[str] = []
    core = {spec.slug: spec.core for spec in REQUIREMENTS.get(result_slug(result), ())}
    for item in result.requirements:
        if item.status == "met":
            where = field_label(item.evidence[0].field) if item.evidence else ""
            quote = clean(item.evidence[0].quote) if item.evidence else ""
            lines.append(message("check.req_met", label=item.label, where=where, quote=quote))
        elif item.status == "not_applicable":
            lines.append(message("check.req_na", label=item.label))
        else:
            key = (
                "check.req_absent_core"
                if item.status == "absent" and core.get(item.slug)
                else "check.req_open"
            )
            lines.append(message(key, label=item.label))
        for found in result.findings:
            if found.requirement != item.slug or found.code == "requirement.met":
                continue
            key = "check.finding_note" if found.severity == "ok" else "check.finding_problem"
            lines.append(message(key, message=clean(found.message)))
            if found.hint and found.severity != "ok":
                lines.append(message("check.finding_hint", hint=clean(found.hint)))
    return _text("\n".join(lines))


def result_slug(result: ViewpointResult) -> str:
    """The viewpoint slug of a result (from its sub-requirements)."""
    return result.requirements[0].slug.split(".", 1)[0] if result.requirements else ""


def _viewpoints_table(report: CheckReport) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=True)
    table.add_column(message("check.col_viewpoint"), min_width=14, max_width=14, overflow="fold")
    table.add_column(message("check.col_verdict"), no_wrap=True)
    table.add_column(message("check.col_findings"), ratio=1, overflow="fold")
    for result in report.viewpoints.values():
        table.add_row(
            _text(result.label),
            Text(message(f"check.verdict_{result.verdict}")),
            _requirements_cell(result),
        )
    return table


def _kpi_target(kpi: ParsedKpi) -> str:
    if kpi.target_value is None:
        if kpi.relative_change:
            return message("check.kpi_change", change=kpi.relative_change)
        return message("check.kpi_unknown")
    value = kpi.target_value
    shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    return message("check.kpi_target", value=shown, unit=clean(kpi.unit))


def _kpi_baseline(kpi: ParsedKpi) -> str:
    parts: list[str] = []
    if kpi.baseline_value is not None:
        value = kpi.baseline_value
        shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
        parts.append(message("check.kpi_target", value=shown, unit=clean(kpi.baseline_unit)))
    if kpi.baseline_year is not None and 1868 <= kpi.baseline_year <= 9999:
        parts.append(message("check.kpi_year", year=wareki_year(kpi.baseline_year, fiscal=True)))
    return "".join(parts) or "－"


def _kpi_deadline(kpi: ParsedKpi) -> str:
    if kpi.target_year is None or not 1868 <= kpi.target_year <= 9999:
        return message("check.kpi_unknown") if kpi.target_year is None else str(kpi.target_year)
    return wareki_year_with_western(kpi.target_year, fiscal=bool(kpi.fiscal_year))


def _kpi_table(report: CheckReport) -> Table:
    from rich.table import Table

    table = Table(title=message("check.kpis_title"), expand=True)
    columns = (("number", 1), ("kind", 3), ("indicator", 5), ("target", 2), ("baseline", 3), ("deadline", 3))
    for key, ratio in columns:
        table.add_column(message(f"check.col_kpi_{key}"), ratio=ratio, overflow="fold")
    for number, kpi in enumerate(report.kpis, start=1):
        kind = message(f"check.kpi_kind_{kpi.kind}") if kpi.kind else message("check.kpi_unknown")
        indicator = clean(kpi.indicator) or message("check.kpi_unknown")
        table.add_row(
            str(number),
            _text(kind),
            _text(indicator),
            _text(_kpi_target(kpi)),
            _text(_kpi_baseline(kpi)),
            _text(_kpi_deadline(kpi)),
        )
    return table


def render_report(app: Application, report: CheckReport, out: TextIO) -> None:
    """Write the readable Japanese report of ``report`` to ``out``."""
    from rich.console import Console, Group
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False, markup=False)
    name = clean(app.lab_name).strip()
    parts: list[Any] = [
        Text(
            message("check.title_with_name", name=name) if name else message("check.title"),
            style="bold",
            overflow="fold",
        ),
        _text(message("check.readiness", percent=round(report.readiness * 100))),
        _text(
            message(
                "check.eligibility_ok"
                if report.eligibility.municipality_participates
                else "check.eligibility_ng"
            )
        ),
    ]
    if report.eligibility.findings:
        parts.append(_findings_cell(report.eligibility.findings))
    parts.append(_viewpoints_table(report))
    if report.bonus:
        items = message("check.bonus_separator").join(bonus_label(slug) for slug in report.bonus)
        parts.append(_text(message("check.bonus", items=items)))
    else:
        parts.append(_text(message("check.bonus_none")))
    if report.kpis:
        parts.append(_kpi_table(report))
    if app.transition_from_iot_lab:
        gap = transition_gap(report)
        if gap:
            lines = [message("check.transition_title")]
            lines += [message("check.transition_item", title=item.title, detail=item.detail) for item in gap]
            parts.append(_text("\n".join(lines)))
    done = all(r.verdict == "meets" for r in report.viewpoints.values()) and not report.problems()
    parts.append(_text(message("check.summary_ready" if done else "check.summary_todo")))
    console.print(Group(*parts))


def run(args: argparse.Namespace) -> int:
    """Check ``args.file`` and print the result; returns the exit status (0 once checked)."""
    app = load_application(args.file)
    report = run_checks(app)
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    if args.json:
        out.write(report_json(report) + "\n")
    else:
        render_report(app, report, out)
    return 0
