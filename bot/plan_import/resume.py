"""Where the dialog goes on after an import: the first question still empty or weak.

Owns the choice of that question — a required question that is empty, skipped, flagged 要再確認
or named by a warning of the checks, else any empty question — and writing it as the person's
position (never over a record they are half-way through entering).
"""

from __future__ import annotations

from criteria.report import CheckReport
from dialogs import progress
from dialogs.flow import Flow, Step
from dialogs.state import Cursor, Draft, digest
from storage.base import Snapshot, Store, TurnWrite

_OPEN = ("empty", "skipped", "review")


def _weak_fields(report: CheckReport) -> set[str]:
    fields: set[str] = set()
    for finding in report.problems():
        if finding.viewpoint == "other" or not finding.field:
            continue  # その他 is optional: never the reason to go back
        fields.add(finding.field.split("[", 1)[0])
    return fields


def resume_step(flow: Flow, draft: Draft, report: CheckReport) -> Step | None:
    """The first question to continue with, or ``None`` when nothing is empty or weak."""
    weak = _weak_fields(report)
    steps = progress.active_steps(flow, draft)
    for step in steps:
        status = progress.step_status(step, draft)
        if step.required and status in _OPEN:
            return step
        if status == "answered" and step.field in weak:
            return step
    return next((s for s in steps if progress.step_status(s, draft) in _OPEN), None)


def place_cursor(store: Store, lab_id: int, person_id: int, step: Step | None, *, channel: str) -> bool:
    """Put the person on ``step``; ``False`` (nothing written) while they are entering a record."""
    if step is None:
        return False

    def compute(snapshot: Snapshot) -> tuple[TurnWrite, bool]:
        cursor = Cursor.from_json(snapshot.cursor)
        if cursor.entry is not None or cursor.awaiting != "answer":
            return TurnWrite(draft=snapshot.draft, cursor=cursor.to_json()), False
        moved = Cursor(
            step_id=step.id,
            shown=digest(snapshot.draft.answers.get(step.field)),
            mine=dict(cursor.mine),
        )
        return TurnWrite(draft=snapshot.draft, cursor=moved.to_json()), True

    _, moved = store.turn(lab_id, person_id, compute, channel=channel)
    return bool(moved)
