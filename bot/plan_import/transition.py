"""A 地方版IoT推進ラボ's plan: recognise it, and mark what the 地域DX推進ラボ asks that it did not.

Owns the transition side of an import: a plan is an IoT-era plan when the form says so (移行 あり)
or its title or lab name names an IoT推進ラボ and no DX推進ラボ; then the draft is marked as a
transition (``transition_from_iot_lab``, ``iot_lab_name``), the gap items of
``criteria.transition`` are checked against the imported draft (方向性 and 変革 new, ウェルビーイング,
企業支援 ②, データ連携基盤), and the study group's transition questions (current activity,
problems, what changes from IoT to DX) are paired with what the plan says about them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from bot.plan_import.result import PlanImport
from bot.plan_import.vocabulary import key, vocabulary
from criteria.application import Application
from criteria.checking import run_checks
from criteria.transition import GAP, GapItem, is_open

_IOT_LAB = re.compile(r"([^\s「『（(]{0,30}IoT推進ラボ)")

QUESTION_KEYS = ("current_activity", "problems", "iot_to_dx")
"""The transition questions, in the order they are asked (texts in ``plan_import.yaml``)."""


@dataclass(frozen=True)
class GapMark:
    """One thing the DX lab asks that the IoT lab did not, and whether the imported plan has it."""

    item: GapItem
    open: bool


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _names_iot(text: str) -> bool:
    vocab = vocabulary()
    folded = key(text)
    names_iot = any(key(w) in folded for w in vocab.iot_words)
    return names_iot and not any(key(w) in folded for w in vocab.dx_words)


def apply_transition(result: PlanImport, *, cover: tuple[str, ...]) -> PlanImport:
    """Mark an IoT-era plan as a transition (the form's answer, if any, is kept as written)."""
    answers = dict(result.answers)
    lab_name = str(answers.get("lab_name", ""))
    declared = answers.get("transition_from_iot_lab")
    iot = declared is True or (
        declared is None and (any(_names_iot(line) for line in cover) or _names_iot(lab_name))
    )
    if not iot:
        return result
    answers["transition_from_iot_lab"] = True
    if not answers.get("iot_lab_name"):
        found = (m.group(1) for line in (lab_name, *cover) if (m := _IOT_LAB.search(_nfkc(line))))
        named = next((name for name in found if name not in ("地方版IoT推進ラボ", "IoT推進ラボ")), "")
        if named:
            answers["iot_lab_name"] = named
    if _names_iot(lab_name):
        # The IoT lab's name is not the DX lab's: keep it as the 移行元 and ask the new name.
        answers.pop("lab_name", None)
    return replace(result, answers=answers, iot_plan=True)


def gap_marks(app: Application) -> list[GapMark]:
    """Every gap item with whether the draft still needs work on it (procedure items excluded)."""
    report = run_checks(app)
    return [GapMark(item=item, open=is_open(item, report)) for item in GAP if item.viewpoints]


def unanswered_questions(result: PlanImport) -> tuple[str, ...]:
    """The transition questions the plan says nothing about."""
    return tuple(k for k in QUESTION_KEYS if not result.transition_notes.get(k, "").strip())
