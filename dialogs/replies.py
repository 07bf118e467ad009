"""What the engine answers: structured replies, never platform text.

Renderers turn these into terminal lines, Slack Block Kit or Telegram messages. Every piece of
Japanese wording comes either from the flow YAML (question texts) or from the renderers'
templates (keyed by ``Notice.key``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from criteria.report import Finding
from dialogs.flow import Choice, StepKind

AnswerStatus = Literal["answered", "skipped", "empty", "review", "inactive"]


@dataclass(frozen=True)
class Progress:
    """Where the person is: section, step i of n among the questions that apply, % answered."""

    section_title: str
    section_index: int
    section_count: int
    step_index: int
    step_count: int
    percent: int


@dataclass(frozen=True)
class Question:
    """Ask a step's question. ``current`` shows an existing answer (kept by スキップ)."""

    step_id: str
    field: str
    kind: StepKind
    title: str
    prompt: str
    example: str
    help: str
    required: bool
    choices: tuple[Choice, ...]
    progress: Progress
    current: str | None = None
    answered_by: str = ""
    needs_review: bool = False


@dataclass(frozen=True)
class RecordFieldQuestion:
    """Ask one field of a record being entered (``number`` is the record's 1-based position)."""

    step_id: str
    record_label: str
    number: int
    field_name: str
    label: str
    kind: str
    example: str
    required: bool
    choices: tuple[Choice, ...]
    progress: Progress
    field_index: int
    field_count: int
    current: str | None = None
    intro: str = ""


@dataclass(frozen=True)
class RecordMenu:
    """The records of a step so far, then: add another, or done."""

    step_id: str
    title: str
    record_label: str
    records: tuple[str, ...]
    progress: Progress
    needs_review: bool = False


@dataclass(frozen=True)
class Notice:
    """A short message keyed for the renderers' catalogue (``dialog.<key>``)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MetRequirement:
    """A sub-requirement the last answer made met, with the sentence it was read from."""

    viewpoint: str
    label: str
    quote: str
    where: str


@dataclass(frozen=True)
class FindingsUpdate:
    """What the last answer changed in the check (``dialogs.feedback``): new problems about what
    the person has answered or passed, sub-requirements now met, and problems resolved."""

    added: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    viewpoint_labels: Mapping[str, str] = field(default_factory=dict)
    met: tuple[MetRequirement, ...] = ()

    @property
    def resolved_counts(self) -> dict[str, int]:
        """Resolved problems per viewpoint, in the order first seen."""
        counts: dict[str, int] = {}
        for item in self.resolved:
            counts[item.viewpoint] = counts.get(item.viewpoint, 0) + 1
        return counts


@dataclass(frozen=True)
class SectionProgress:
    title: str
    answered: int
    total: int


@dataclass(frozen=True)
class ViewpointScore:
    slug: str
    label: str
    verdict: str
    problems: int
    transition_new: bool = False
    pending: bool = False


@dataclass(frozen=True)
class Scorecard:
    """進捗: answered questions per section and the six viewpoints' verdicts."""

    sections: tuple[SectionProgress, ...]
    viewpoints: tuple[ViewpointScore, ...]
    readiness: float
    percent: int
    eligible: bool
    transition: bool = False


@dataclass(frozen=True)
class ReviewItem:
    step_id: str
    title: str
    value: str
    status: AnswerStatus
    answered_by: str = ""


@dataclass(frozen=True)
class ReviewSection:
    title: str
    items: tuple[ReviewItem, ...]


@dataclass(frozen=True)
class Problem:
    """A weak or missing point, with the step where it can be fixed."""

    finding: Finding
    viewpoint_label: str
    step_id: str | None
    step_title: str


@dataclass(frozen=True)
class Review:
    """確認: every answer by section, then what is weak or missing and where to fix it, then
    ``notes``: what was read from another answer than its own question (worth a sentence there)."""

    sections: tuple[ReviewSection, ...]
    problems: tuple[Problem, ...]
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class EditMenuItem:
    number: int
    step_id: str
    title: str
    section_title: str
    status: AnswerStatus


@dataclass(frozen=True)
class EditMenu:
    """修正 without argument: a numbered list of questions to jump to."""

    items: tuple[EditMenuItem, ...]


@dataclass(frozen=True)
class TransitionGap:
    """For a lab moving from a 地方版IoT推進ラボ: what the DX lab asks in addition."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HelpText:
    """ヘルプ: the commands."""


@dataclass(frozen=True)
class ExportRequest:
    """出力: the adapter writes the file (``docx`` or ``json``) and tells where."""

    format: Literal["docx", "json"]


@dataclass(frozen=True)
class Completed:
    """Every question has been visited."""

    missing: tuple[str, ...]


@dataclass(frozen=True)
class Goodbye:
    """中断: the adapter ends the session; everything is already saved."""


Reply = (
    Question
    | RecordFieldQuestion
    | RecordMenu
    | Notice
    | FindingsUpdate
    | Scorecard
    | Review
    | EditMenu
    | TransitionGap
    | HelpText
    | ExportRequest
    | Completed
    | Goodbye
)
