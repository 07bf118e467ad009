"""The appendices of the draft 実施計画書: 審査の視点 セルフチェック and 面談で想定される質問.

Owns how a ``CheckReport`` is shown to the team preparing the application: one row per viewpoint
(and the basic requirement) with a verdict mark (○ △ × and － for the optional その他), the
findings with their hints and the sub-requirements found thin or absent, then the interview
questions chosen by ``interview`` with an empty column for the team's notes.

The self-check never flatters: a viewpoint is ○ only when its verdict is ``meets`` and none of
its sub-requirements is thin or absent; 方向性 is at most △ while a KPI has no readable target or
deadline (or there is no KPI); the readiness shown stays below 100 % while any row is not ○; and
その他 credits an item only when the check reported it (``CheckReport.bonus``) and the document
actually says it (its own answer, or the body mentioning it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from criteria.application import Application
from criteria.normalize import is_substantive, mentions
from criteria.report import (
    VIEWPOINT_SLUGS,
    CheckReport,
    Finding,
    ParsedKpi,
    RequirementResult,
    Verdict,
    ViewpointResult,
)
from criteria.requirements import field_label
from criteria.viewpoints import bonus_items, bonus_label
from criteria.vocab import words
from renderers.docx.blocks import Sections, column, fixed, table, wording
from renderers.docx.interview import interview_questions
from renderers.docx.kpis import merged
from renderers.docx.model import Block, Cell, Heading, Text
from renderers.docx.sanitize import clean_text

_WEAKER: dict[Verdict, Verdict] = {"meets": "weak", "weak": "weak", "missing": "missing"}
_UNREAD_CODES = {"target": "kpi.no_target", "deadline": "kpi.no_deadline"}


@dataclass(frozen=True)
class UnreadKpi:
    """A KPI whose target or deadline could not be read (1-based ``number``)."""

    number: int
    target: bool
    deadline: bool


def unread_kpis(app: Application, report: CheckReport) -> list[UnreadKpi]:
    """The KPIs without a readable target value (or relative change) or target year."""
    parsed: Sequence[ParsedKpi | None] = (
        report.kpis if len(report.kpis) == len(app.kpis) else [None] * len(app.kpis)
    )
    found: list[UnreadKpi] = []
    for number, (kpi, reading) in enumerate(zip(app.kpis, parsed, strict=True), start=1):
        shown = merged(kpi, reading)
        no_target = shown.target_value is None and not shown.relative_change.strip()
        no_deadline = shown.target_year is None
        if no_target or no_deadline:
            found.append(UnreadKpi(number, no_target, no_deadline))
    return found


def credited_bonus(app: Application, report: CheckReport) -> list[str]:
    """The その他 items the self-check may credit: reported by the check and present in the text."""
    items = bonus_items()
    body = "\n".join(
        [
            app.vision,
            app.regional_issues,
            app.customer_social_needs,
            app.transformation,
            app.self_reliance_scenario,
            app.municipality_role,
            app.continuity,
            app.progress_management,
            *(f"{i.title}\n{i.description}" for i in app.initiatives),
        ]
    )
    credited: list[str] = []
    for slug in report.bonus:
        item = items.get(slug)
        if item is None:
            continue
        own = getattr(app.other, item.field, "")
        if is_substantive(own) or mentions(body, words(item.vocab)):
            credited.append(slug)
    return credited


def _finding_lines(findings: Sequence[Finding]) -> list[Text]:
    """・message / → hint for every warning or error; a hint already given in the row is not repeated."""
    lines: list[Text] = []
    hints: set[str] = set()
    for finding in findings:
        if finding.severity == "ok":
            continue
        lines.append(Text(wording("finding", message=clean_text(finding.message).replace("\n", " "))))
        hint = clean_text(finding.hint).replace("\n", " ").strip()
        if hint and hint not in hints:
            hints.add(hint)
            lines.append(Text(wording("finding_hint", hint=hint)))
    return lines


def _short_of(result: ViewpointResult) -> list[RequirementResult]:
    """The sub-requirements found thin or absent."""
    return [r for r in result.requirements if r.status in ("thin", "absent")]


def _requirement_lines(result: ViewpointResult) -> list[Text]:
    """・「label」: thin / absent for every sub-requirement the check did not find met and that no
    finding of the viewpoint speaks about already (``Finding.requirement``)."""
    spoken = {getattr(f, "requirement", "") for f in result.findings if f.severity != "ok"}
    lines: list[Text] = []
    for requirement in _short_of(result):
        if requirement.slug in spoken:
            continue
        label = clean_text(requirement.label).replace("\n", " ")
        lines.append(Text(wording(f"requirement_{requirement.status}", label=label)))
    return lines


def _unread_lines(unread: Sequence[UnreadKpi], findings: Sequence[Finding]) -> list[Text]:
    """A line per unread KPI target or deadline that no finding reports already."""
    reported = {(f.code, f.field) for f in findings if f.severity != "ok"}
    lines: list[Text] = []
    for kpi in unread:
        for what, missing in (("target", kpi.target), ("deadline", kpi.deadline)):
            field = f"kpis[{kpi.number - 1}]"
            if missing and not any(
                code.startswith(_UNREAD_CODES[what]) and f == field for code, f in reported
            ):
                lines += _message_lines(f"kpi_unread_{what}", number=kpi.number)
    return lines


def _message_lines(key: str, **params: object) -> list[Text]:
    """・message / → hint from the messages ``docx.<key>`` and ``docx.<key>_hint``."""
    return [
        Text(wording("finding", message=wording(key, **params))),
        Text(wording("finding_hint", hint=wording(f"{key}_hint", **params))),
    ]


@dataclass(frozen=True)
class _Row:
    mark: str
    lines: tuple[Text, ...]

    @property
    def clear(self) -> bool:
        return self.mark in ("mark_meets", "mark_optional")


def _viewpoint_row(slug: str, result: ViewpointResult, app: Application, report: CheckReport) -> _Row:
    verdict: Verdict = result.verdict
    # その他's items are optional: one left out is never a shortfall
    short = slug != "other" and bool(_short_of(result))
    lines = (_requirement_lines(result) if short else []) + _finding_lines(result.findings)
    if short:
        verdict = _WEAKER[verdict]
    if slug == "direction":
        unread = unread_kpis(app, report)
        extra = _unread_lines(unread, result.findings)
        if not app.kpis:
            extra += _message_lines("kpi_none")
        if unread or not app.kpis:
            verdict = _WEAKER[verdict]
        lines += extra
    if slug == "other":
        credited = credited_bonus(app, report)
        if verdict == "missing" or (verdict == "meets" and not credited):
            mark = "mark_optional"
        else:
            mark = f"mark_{verdict}"
        if credited:
            lines.append(Text(wording("bonus_items", items="、".join(bonus_label(b) for b in credited))))
        if not lines:
            lines.append(
                Text(wording("no_findings_optional" if mark == "mark_optional" else f"no_findings_{verdict}"))
            )
        return _Row(mark, tuple(lines))
    if not lines and verdict == "meets":
        lines = _evidence_lines(result)
    if not lines:
        lines.append(Text(wording(f"no_findings_{verdict}")))
    return _Row(f"mark_{verdict}", tuple(lines))


_EVIDENCE_QUOTE = 36
#: Findings that sum a sub-requirement up better than one quoted sentence (the kinds of members).
_SUMMARY_CODES = frozenset({"members.kinds"})


def _evidence_lines(result: ViewpointResult) -> list[Text]:
    """・label：where「quote」 for every met sub-requirement: what the ○ rests on."""
    lines: list[Text] = []
    summaries = {f.requirement: f.message for f in result.findings if f.code in _SUMMARY_CODES}
    for requirement in result.requirements:
        if requirement.status != "met" or not requirement.evidence:
            continue
        if requirement.slug in summaries:
            label = clean_text(requirement.label)
            summary = summaries[requirement.slug]
            lines.append(Text(wording("requirement_summary", label=label, summary=summary)))
            continue
        evidence = requirement.evidence[0]
        quote = " ".join(clean_text(evidence.quote).split())
        if len(quote) > _EVIDENCE_QUOTE:
            quote = quote[: _EVIDENCE_QUOTE - 1] + "…"
        lines.append(
            Text(
                wording(
                    "requirement_met",
                    label=clean_text(requirement.label),
                    where=field_label(evidence.field),
                    quote=quote,
                )
            )
        )
    return lines


def _eligibility_row(report: CheckReport) -> _Row:
    eligible = report.eligibility
    lines = _finding_lines(eligible.findings)
    if not eligible.municipality_participates:
        mark = "mark_missing"
    else:
        mark = "mark_weak" if lines else "mark_meets"
    if not lines:
        lines = [
            Text(wording("eligibility_ok" if eligible.municipality_participates else "eligibility_missing"))
        ]
    return _Row(mark, tuple(lines))


def _readiness(report: CheckReport, all_clear: bool) -> int:
    """The readiness in %, never 100 while a row of the self-check is not ○."""
    percent = max(0, min(100, round(report.readiness * 100)))
    return percent if all_clear else min(percent, 99)


def self_check(report: CheckReport, app: Application) -> list[Block]:
    """別紙1: the verdict of every viewpoint with the findings' hints."""
    labelled: list[tuple[str, _Row]] = [(wording("eligibility_label"), _eligibility_row(report))]
    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        if result is not None:
            labelled.append((clean_text(result.label), _viewpoint_row(slug, result, app, report)))
    all_clear = all(row.clear for _, row in labelled)
    out = Sections()
    out.add(Heading(1, wording("appendix_check")))
    out.note(wording("check_intro"))
    out.note(wording("check_legend"))
    out.note(wording("check_readiness", percent=_readiness(report, all_clear)))
    rows: list[tuple[Cell, ...]] = [
        (fixed(label), fixed(wording(row.mark)), row.lines) for label, row in labelled
    ]
    out.add(
        table(
            (
                column("col_viewpoint", 34, "left"),
                column("col_verdict", 14, "center"),
                column("col_findings", 112, "left"),
            ),
            rows,
        )
    )
    return out.blocks


def interview(report: CheckReport, app: Application) -> list[Block]:
    """別紙2: the questions expected in the 面談審査, with a column for the team's notes."""
    out = Sections()
    out.add(Heading(1, wording("appendix_interview")))
    out.note(wording("interview_intro"))
    unread = unread_kpis(app, report)
    questions = interview_questions(
        report,
        transition=app.transition_from_iot_lab,
        unread_targets=any(k.target for k in unread),
        unread_deadlines=any(k.deadline for k in unread),
    )
    out.add(
        table(
            (
                column("col_no", 10, "center"),
                column("col_viewpoint", 30, "left"),
                column("col_question", 74, "left"),
                column("col_answer_memo", 46, "left"),
            ),
            (
                (fixed(str(n)), fixed(clean_text(q.group)), fixed(q.text), fixed(""))
                for n, q in enumerate(questions, start=1)
            ),
        )
    )
    return out.blocks
