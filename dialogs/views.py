"""Read-only views of a draft for the person: scorecard, review, edit menu, records menu.

Owns how the state is summarised (never how it changes): each function takes the flow, the draft
and, where needed, the check report, and returns a structured reply.
"""

from __future__ import annotations

from criteria.report import CheckReport, Finding
from dialogs import progress
from dialogs.flow import Flow, Step
from dialogs.replies import (
    EditMenu,
    EditMenuItem,
    Problem,
    RecordMenu,
    Review,
    ReviewItem,
    ReviewSection,
    Scorecard,
    ViewpointScore,
)
from dialogs.state import Draft


def scorecard(
    flow: Flow,
    draft: Draft,
    report: CheckReport,
    marked: frozenset[str],
    pending: frozenset[str] = frozenset(),
) -> Scorecard:
    """進捗: answered questions per section and the six viewpoints (``marked``: changed since IoT;
    ``pending``: not reached yet, shown as 「これから」 unless the application already meets it)."""
    return Scorecard(
        sections=progress.section_progress(flow, draft),
        viewpoints=tuple(
            ViewpointScore(
                slug,
                result.label,
                result.verdict,
                sum(1 for f in result.findings if f.severity != "ok"),
                slug in marked,
                slug in pending and result.verdict != "meets",
            )
            for slug, result in report.viewpoints.items()
        ),
        readiness=report.readiness,
        percent=progress.percent_answered(flow, draft),
        eligible=report.eligibility.municipality_participates,
        transition=draft.answers.get("transition_from_iot_lab") is True,
    )


def review(flow: Flow, draft: Draft, report: CheckReport) -> Review:
    """確認: every answer by section (kept ones that no longer apply too), then the problems."""
    sections = []
    for section in flow.sections:
        items = []
        for step in section.steps:
            status = progress.step_status(step, draft)
            if status == "inactive" and step.field not in draft.answers:
                continue
            items.append(
                ReviewItem(
                    step_id=step.id,
                    title=step.title,
                    value=progress.current_display(step, draft) or "",
                    status=status,
                    answered_by=draft.authors.get(step.field, ""),
                )
            )
        sections.append(ReviewSection(section.title, tuple(items)))
    labels = {slug: v.label for slug, v in report.viewpoints.items()}
    notes = tuple(
        _problem(flow, f, labels) for f in report.all_findings() if f.code == "requirement.elsewhere"
    )
    return Review(tuple(sections), tuple(_problem(flow, f, labels) for f in report.problems()), notes)


def _problem(flow: Flow, finding: Finding, labels: dict[str, str]) -> Problem:
    step = flow.step_for_field(finding.field) if finding.field else None
    return Problem(
        finding=finding,
        viewpoint_label=labels.get(finding.viewpoint, ""),
        step_id=step.id if step else None,
        step_title=step.title if step else "",
    )


def edit_menu(flow: Flow, draft: Draft) -> EditMenu:
    """修正 without argument: the questions that apply, numbered."""
    return EditMenu(
        tuple(
            EditMenuItem(i, s.id, s.title, s.section_title, progress.step_status(s, draft))
            for i, s in enumerate(progress.active_steps(flow, draft), 1)
        )
    )


def record_menu(flow: Flow, draft: Draft, step: Step) -> RecordMenu:
    """The records of a records step so far, then 追加 / 完了."""
    assert step.record is not None
    records = draft.answers.get(step.field) or []
    return RecordMenu(
        step_id=step.id,
        title=step.title,
        record_label=step.record.label,
        records=tuple(progress.record_summary(step.record, r) for r in records if isinstance(r, dict)),
        progress=progress.progress(flow, draft, step),
        needs_review=step.field in draft.review,
    )
