"""The appendices of the draft 実施計画書: 審査の視点 セルフチェック and 面談で想定される質問.

Owns how a ``CheckReport`` is shown to the team preparing the application: one row per viewpoint
(and the basic requirement) with a verdict mark (○ △ × and － for the optional その他) and the
findings with their hints, then the interview questions chosen by ``interview`` with an empty
column for the team's notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from criteria.report import VIEWPOINT_SLUGS, CheckReport, Finding, ViewpointResult
from criteria.viewpoints import bonus_label
from renderers.docx.blocks import Sections, column, fixed, table, wording
from renderers.docx.interview import interview_questions
from renderers.docx.model import Block, Cell, Heading, Text
from renderers.docx.sanitize import clean_text


def _finding_lines(findings: Sequence[Finding]) -> list[Text]:
    """・message / → hint for every warning or error."""
    lines: list[Text] = []
    for finding in findings:
        if finding.severity == "ok":
            continue
        lines.append(Text(wording("finding", message=clean_text(finding.message).replace("\n", " "))))
        if finding.hint.strip():
            lines.append(Text(wording("finding_hint", hint=clean_text(finding.hint).replace("\n", " "))))
    return lines


def _verdict_cells(slug: str, result: ViewpointResult, bonus: Sequence[str] = ()) -> tuple[Cell, Cell]:
    optional = slug == "other" and result.verdict == "missing"
    mark = wording("mark_optional" if optional else f"mark_{result.verdict}")
    lines = _finding_lines(result.findings)
    if slug == "other" and bonus:
        lines.append(Text(wording("bonus_items", items="、".join(bonus_label(b) for b in bonus))))
    if not lines:
        lines.append(Text(wording("no_findings_optional" if optional else f"no_findings_{result.verdict}")))
    return fixed(mark), tuple(lines)


def _eligibility_row(report: CheckReport) -> tuple[Cell, ...]:
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
    return fixed(wording("eligibility_label")), fixed(wording(mark)), tuple(lines)


def self_check(report: CheckReport) -> list[Block]:
    """別紙1: the verdict of every viewpoint with the findings' hints."""
    out = Sections()
    out.add(Heading(1, wording("appendix_check")))
    out.note(wording("check_intro"))
    out.note(wording("check_legend"))
    out.note(wording("check_readiness", percent=round(report.readiness * 100)))
    rows: list[tuple[Cell, ...]] = [_eligibility_row(report)]
    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        if result is not None:
            rows.append((fixed(clean_text(result.label)), *_verdict_cells(slug, result, report.bonus)))
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


def interview(report: CheckReport, *, transition: bool) -> list[Block]:
    """別紙2: the questions expected in the 面談審査, with a column for the team's notes."""
    out = Sections()
    out.add(Heading(1, wording("appendix_interview")))
    out.note(wording("interview_intro"))
    questions = interview_questions(report, transition=transition)
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
