"""What reading a plan gives: draft answers, where each came from, and what could not be placed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unplaced:
    """Text of the document that fits no question: the title it was under and its lines."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PlanImport:
    """A plan read into draft answers (Application field path → value, as ``dxlab import`` sets).

    ``sources`` names the document's title each answer came from; ``unplaced`` is kept for the
    「取り込めなかった記述」 note; ``transition_notes`` holds what the plan says to the transition
    questions (``current_activity``, ``problems``, ``iot_to_dx``); ``iot_plan`` is True when the
    document is a 地方版IoT推進ラボ's plan.
    """

    name: str
    answers: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    unplaced: tuple[Unplaced, ...] = ()
    transition_notes: dict[str, str] = field(default_factory=dict)
    category_notes: tuple[str, ...] = ()
    """Members whose 区分 cell could not be read (「名称：区分」), so the person can check them."""
    iot_plan: bool = False
