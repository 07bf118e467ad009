"""Where a draft stands: which questions apply, which are answered, and how answers read back.

Owns the derived views of a draft that every reply needs: active steps (conditions applied),
progress (step i/n, % answered), an answer's status and its display text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.flow import Choice, Flow, RecordField, RecordSpec, Step
from dialogs.replies import AnswerStatus, Progress, SectionProgress
from dialogs.state import Draft, is_answered
from dialogs.words import words


def active_steps(flow: Flow, draft: Draft) -> tuple[Step, ...]:
    """The steps whose condition holds for the current answers, in flow order."""
    answers = dict(draft.answers)
    return tuple(s for s in flow.steps if s.when is None or s.when.holds(answers))


def is_active(step: Step, draft: Draft) -> bool:
    return step.when is None or step.when.holds(dict(draft.answers))


def step_status(step: Step, draft: Draft) -> AnswerStatus:
    if not is_active(step, draft):
        return "inactive"
    if step.field in draft.review:
        return "review"
    if draft.has_answer(step.field) or (step.kind in ("yesno", "list") and step.field in draft.answers):
        return "answered"
    if step.field in draft.skipped:
        return "skipped"
    return "empty"


def percent_answered(flow: Flow, draft: Draft) -> int:
    steps = active_steps(flow, draft)
    if not steps:
        return 100
    done = sum(1 for s in steps if step_status(s, draft) in ("answered", "review"))
    return round(100 * done / len(steps))


def question_count(flow: Flow) -> int:
    """The number of questions the person is told about, from the welcome on: every step of the
    flow. It never changes with the answers (a question that does not apply is passed over, its
    number with it), so 「質問 i/N」 keeps one N."""
    return len(flow.steps)


def progress(flow: Flow, draft: Draft, step: Step) -> Progress:
    """Progress as shown with a question: section, i/N (the step's place in the flow, of
    ``question_count``), % answered."""
    order = [s.id for s in flow.steps]
    index = order.index(step.id) + 1 if step.id in order else len(order)
    section_ids = [sec.id for sec in flow.sections]
    return Progress(
        section_title=step.section_title,
        section_index=section_ids.index(step.section_id) + 1,
        section_count=len(section_ids),
        step_index=index,
        step_count=question_count(flow),
        percent=percent_answered(flow, draft),
    )


def section_progress(flow: Flow, draft: Draft) -> tuple[SectionProgress, ...]:
    out = []
    for section in flow.sections:
        steps = [s for s in section.steps if is_active(s, draft)]
        done = sum(1 for s in steps if step_status(s, draft) in ("answered", "review"))
        out.append(SectionProgress(section.title, done, len(steps)))
    return tuple(out)


def year_display(year: int, fiscal: bool | None) -> str:
    """2028年度 (a fiscal year) or 2028年."""
    return words().display["fiscal_year" if fiscal else "calendar_year"].format(year=year)


def field_display(spec: RecordField, value: Any, record: Mapping[str, Any]) -> str | None:
    """One record field as the person reads it (``None`` when empty): labels, years, numbers."""
    if value is None or value == "":
        return None
    if spec.choices:
        return choice_label(spec.choices, str(value))
    if spec.kind == "year" and isinstance(value, int):
        return year_display(value, record.get("fiscal_year"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return words().display["list_joiner"].join(str(v) for v in value)
    return str(value)


def record_summary(spec: RecordSpec, record: dict[str, Any]) -> str:
    """One line for a record, from the flow's ``summary`` pattern (missing fields left blank)."""
    values = {f.name: field_display(f, record.get(f.name), record) or "" for f in spec.fields}
    try:
        return spec.summary.format_map(_Blank(values)).strip()
    except (ValueError, IndexError):
        return " / ".join(v for v in values.values() if v)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def display_value(step: Step, value: Any) -> str:
    """An answer as text for the person: labels for choices, はい/いいえ, joined lists, records."""
    shown = words().display
    if step.kind == "yesno":
        return shown["yes"] if value else shown["no"]
    if step.kind in ("choice", "multichoice"):
        items = value if isinstance(value, list) else [value]
        labels = [choice_label(step.choices, str(v)) for v in items]
        return shown["list_joiner"].join(labels)
    if step.kind == "list":
        items = value if isinstance(value, list) else []
        return shown["list_joiner"].join(str(v) for v in items) if items else shown["none"]
    if step.kind == "records" and step.record is not None:
        records = value if isinstance(value, list) else []
        return "\n".join(
            f"{i}. {record_summary(step.record, r)}" for i, r in enumerate(records, 1) if isinstance(r, dict)
        )
    return "" if value is None else str(value)


def choice_label(choices: tuple[Choice, ...], value: str) -> str:
    """The label of ``value`` among ``choices`` (the value itself when unknown)."""
    for choice in choices:
        if choice.value == value:
            return choice.label
    return value


def current_display(step: Step, draft: Draft) -> str | None:
    """The current answer's display text, or ``None`` when unanswered."""
    if step.field not in draft.answers:
        return None
    value = draft.answers[step.field]
    if not is_answered(value) and step.kind not in ("yesno", "list"):
        return None
    return display_value(step, value)


__all__ = [
    "active_steps",
    "choice_label",
    "current_display",
    "display_value",
    "field_display",
    "is_active",
    "percent_answered",
    "progress",
    "question_count",
    "record_summary",
    "section_progress",
    "step_status",
    "year_display",
]
