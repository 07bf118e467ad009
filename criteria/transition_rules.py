"""Transition deadlines and which reminder is due (``transition_rules.yaml``). Pure: no clock, no I/O.

Owns the rules of the 当面2～3年 transition period of the 地方版IoT推進ラボ: the programme-wide start
and length (overridable per lab), the reminder stages — ``d180``/``d90``/``d30``/``d7`` before the
deadline, ``overdue-YYYY-Www`` once per ISO week after it, and one ``escalation`` to the
coordinators — and the registry vocabularies (statuses, kinds) with the spellings accepted on import.
Only the latest stage due fires: a lab first seen 20 days before its deadline gets ``d30`` once.
"""

from __future__ import annotations

import calendar
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from pydantic import field_validator, model_validator

from criteria.data import DataModel, load
from criteria.seed import SeedQuotes

Audience = Literal["lab", "coordinators"]
ESCALATION = "escalation"
OVERDUE_PREFIX = "overdue-"


class _Term(DataModel):
    label: str
    aliases: tuple[str, ...]


class RulesFile(DataModel):
    """``transition_rules.yaml``."""

    programme_start: date
    transition_years: int
    offsets_days: tuple[int, ...]
    overdue_weekly: bool
    escalation_after_days: int
    seed: SeedQuotes
    statuses: dict[str, _Term]
    finished_statuses: tuple[str, ...]
    kinds: dict[str, _Term]
    transition_kinds: tuple[str, ...]

    @field_validator("transition_years")
    @classmethod
    def _years(cls, value: int) -> int:
        if value not in (2, 3):
            raise ValueError("the transition period is 2 or 3 years (当面2～3年)")
        return value

    @field_validator("offsets_days")
    @classmethod
    def _offsets(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if not value or any(v < 0 for v in value) or len(set(value)) != len(value):
            raise ValueError("offsets must be distinct non-negative day counts")
        return tuple(sorted(value, reverse=True))

    @model_validator(mode="after")
    def _known(self) -> RulesFile:
        if not set(self.finished_statuses) <= set(self.statuses):
            raise ValueError("finished_statuses must name statuses")
        if not set(self.transition_kinds) <= set(self.kinds):
            raise ValueError("transition_kinds must name kinds")
        return self


_FILE = load("transition_rules.yaml", RulesFile)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Programme-wide deadline settings; ``replace(SETTINGS, transition_years=2)`` to change one."""

    programme_start: date
    transition_years: int
    offsets_days: tuple[int, ...]
    overdue_weekly: bool = True
    escalation_after_days: int = 1

    def __post_init__(self) -> None:
        if self.transition_years not in (2, 3):
            raise ValueError("transition_years must be 2 or 3")
        object.__setattr__(self, "offsets_days", tuple(sorted(set(self.offsets_days), reverse=True)))


SETTINGS = Settings(
    programme_start=_FILE.programme_start,
    transition_years=_FILE.transition_years,
    offsets_days=_FILE.offsets_days,
    overdue_weekly=_FILE.overdue_weekly,
    escalation_after_days=_FILE.escalation_after_days,
)

STATUSES: tuple[str, ...] = tuple(_FILE.statuses)
KINDS: tuple[str, ...] = tuple(_FILE.kinds)
FINISHED: frozenset[str] = frozenset(_FILE.finished_statuses)
DEFAULT_STATUS = STATUSES[0]


def settings(**changes: object) -> Settings:
    """The YAML settings with some values changed (``settings(transition_years=2)``)."""
    return replace(SETTINGS, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class Stage:
    """A reminder due today: its stage name and who it is for."""

    name: str
    audience: Audience
    days_left: int


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold().replace("_", " ")


def _parse(text: str, terms: dict[str, _Term]) -> str | None:
    folded = _fold(text)
    for slug, term in terms.items():
        if folded == _fold(slug) or folded in {_fold(a) for a in (term.label, *term.aliases)}:
            return slug
    return None


def parse_status(text: str) -> str | None:
    """The status slug of ``text`` (slug, label or alias, any width), or ``None``."""
    return _parse(text, _FILE.statuses)


def parse_kind(text: str) -> str | None:
    """The kind slug of ``text`` (slug, label or alias, any width), or ``None``."""
    return _parse(text, _FILE.kinds)


def status_label(slug: str) -> str:
    return _FILE.statuses[slug].label


def kind_label(slug: str) -> str:
    return _FILE.kinds[slug].label


def is_finished(status: str) -> bool:
    """Whether the lab is done with the transition (移行完了 / 移行しない): no more reminders."""
    return status in FINISHED


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def deadline(
    *, kind: str, iot_selected_on: date | None, own_deadline: date | None, rules: Settings = SETTINGS
) -> date | None:
    """The lab's transition deadline: its own when given, else start + length for an IoT lab.

    The period starts at the programme start, or at the lab's IoT-lab selection when that came
    later. Kinds without a transition (a DX lab, an applicant) have no deadline of their own.
    """
    if own_deadline is not None:
        return own_deadline
    if kind not in _FILE.transition_kinds:
        return None
    start = max(rules.programme_start, iot_selected_on or rules.programme_start)
    return add_years(start, rules.transition_years)


def overdue_stage(today: date) -> str:
    """``overdue-2025-W49``: one key per ISO week."""
    year, week, _ = today.isocalendar()
    return f"{OVERDUE_PREFIX}{year}-W{week:02d}"


def lab_stage(end: date, today: date, rules: Settings = SETTINGS) -> str | None:
    """The one reminder stage for the lab on ``today`` (the latest whose window is open)."""
    left = (end - today).days
    if left < 0:
        return overdue_stage(today) if rules.overdue_weekly else None
    opened = [offset for offset in rules.offsets_days if left <= offset]
    return f"d{opened[-1]}" if opened else None


def due_stages(
    *, status: str, end: date | None, today: date, rules: Settings = SETTINGS
) -> tuple[Stage, ...]:
    """Every reminder due on ``today``: the lab's stage and, past the deadline, the escalation.

    A reminder's identity is (lab, deadline, stage): callers record it once and skip it afterwards,
    so calling this every day sends each stage once.
    """
    if end is None or is_finished(status):
        return ()
    left = (end - today).days
    found: list[Stage] = []
    name = lab_stage(end, today, rules)
    if name is not None:
        found.append(Stage(name=name, audience="lab", days_left=left))
    if -left >= max(rules.escalation_after_days, 1):
        found.append(Stage(name=ESCALATION, audience="coordinators", days_left=left))
    return tuple(found)
