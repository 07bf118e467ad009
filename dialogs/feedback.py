"""Live feedback after an answer: what the check now says, in time and honestly.

Owns which findings the person is told about right after an answer:

- only what they have answered or passed: a finding about a question still ahead (a member list
  not yet asked, KPIs after the vision) is held back, and a viewpoint none of whose questions has
  been reached is 「これから」 in the scorecard, not ❌;
- a sub-requirement that becomes met is announced with the sentence it was read from;
- a problem that went away is announced only for a viewpoint with no new problem in the same
  answer, and never by repeating the old problem's wording (no 「改善されました（…がありません）」).
"""

from __future__ import annotations

from criteria.report import CheckReport, Finding
from criteria.requirements import field_label
from criteria.viewpoints import VIEWPOINTS
from dialogs import progress
from dialogs.flow import Flow
from dialogs.replies import FindingsUpdate, MetRequirement
from dialogs.state import Cursor, Draft


def reached_fields(flow: Flow, draft: Draft, cursor: Cursor) -> frozenset[str]:
    """The fields whose question the person has answered, skipped, or is on (or passed)."""
    steps = progress.active_steps(flow, draft)
    reached = {s.field for s in steps if progress.step_status(s, draft) in ("answered", "review", "skipped")}
    if cursor.done:
        reached.update(s.field for s in steps)
    elif cursor.step_id is not None:
        ids = [s.id for s in steps]
        if cursor.step_id in ids:
            reached.update(s.field for s in steps[: ids.index(cursor.step_id) + 1])
    return frozenset(reached)


def pending_viewpoints(reached: frozenset[str]) -> frozenset[str]:
    """Viewpoints none of whose questions has been reached yet (shown as 「これから」)."""
    return frozenset(
        slug for slug, spec in VIEWPOINTS.items() if spec.core_fields and not set(spec.core_fields) & reached
    )


def _base(field: str) -> str:
    return field.split("[", 1)[0]


def timely(item: Finding, reached: frozenset[str]) -> bool:
    """Whether a finding speaks of something the person has answered or passed.

    A finding about a field waits until that field's question is reached; one about no field in
    particular waits until its viewpoint has a question reached.
    """
    field = _base(item.field)
    if field:
        return field in reached or field.split(".", 1)[0] in reached
    return item.viewpoint not in pending_viewpoints(reached)


def _statuses(report: CheckReport) -> dict[str, str]:
    return {r.slug: r.status for v in report.viewpoints.values() for r in v.requirements}


def _met(old: CheckReport, new: CheckReport) -> tuple[MetRequirement, ...]:
    before = _statuses(old)
    out: list[MetRequirement] = []
    for slug, result in new.viewpoints.items():
        if slug == "other":
            continue
        for item in result.requirements:
            if item.status == "met" and before.get(item.slug) not in (None, "met") and item.evidence:
                evidence = item.evidence[0]
                out.append(
                    MetRequirement(
                        viewpoint=slug,
                        label=item.label,
                        quote=evidence.quote,
                        where=field_label(evidence.field),
                    )
                )
    return tuple(out)


def _problems(report: CheckReport) -> dict[tuple[str, str], Finding]:
    return {f.key: f for f in report.problems()}


def update(old: CheckReport, new: CheckReport, reached: frozenset[str]) -> FindingsUpdate | None:
    """What one answer changed, told in time; ``None`` when there is nothing to say."""
    old_problems, new_problems = _problems(old), _problems(new)
    added = tuple(
        f
        for k, f in new_problems.items()
        if (k not in old_problems or old_problems[k].severity != f.severity) and timely(f, reached)
    )
    met = _met(old, new)
    troubled = {f.viewpoint for f in added}
    announced = {m.viewpoint for m in met}
    resolved = tuple(
        f
        for k, f in old_problems.items()
        if k not in new_problems and f.viewpoint not in troubled | announced and timely(f, reached)
    )
    met = tuple(m for m in met if m.viewpoint not in troubled)
    if not (added or resolved or met):
        return None
    labels = {slug: v.label for slug, v in new.viewpoints.items()}
    return FindingsUpdate(added, resolved, labels, met)
