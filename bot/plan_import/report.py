"""The per-file report of an import, in Japanese, for the terminal and the chat channels.

Owns what a person is told about one imported file: which answers were found and under which
title, the 「取り込めなかった記述」 note, members whose 区分 could not be read, and for a
地方版IoT推進ラボ's plan the gap marks and the transition questions. Wording lives in
``renderers/messages/plan_import.yaml``; the person's own text is only ever a variable.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.plan_import.merge import Diff
from bot.plan_import.result import PlanImport
from bot.plan_import.transition import QUESTION_KEYS, gap_marks
from dialogs.flow import Flow
from dialogs.state import build_application
from renderers.messages import message

Escape = Callable[[str], str] | None
_UNPLACED_CHARS = 120


def _one_line(text: str, limit: int = _UNPLACED_CHARS) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def found_lines(result: PlanImport, flow: Flow, *, escape: Escape = None) -> list[str]:
    """読み取った項目: each answer's question title and the document title it came from."""
    lines = [message("plan_import.report_found", count=len(result.answers))]
    order = {step.field: n for n, step in enumerate(flow.steps)}
    for path in sorted(result.answers, key=lambda p: (order.get(p, len(order)), p)):
        step = flow.step_for_field(path)
        title = step.title if step is not None else path
        value = result.answers[path]
        if isinstance(value, list) and step is not None and step.kind == "records":
            title = message("plan_import.report_records", title=title, count=len(value))
        source = result.sources.get(path, "")
        lines.append(message("plan_import.report_found_item", title=title, source=source, escape=escape))
    return lines


def unplaced_lines(result: PlanImport, *, escape: Escape = None, limit: int | None = None) -> list[str]:
    """取り込めなかった記述, one line per block (shortened; the file itself is unchanged).

    ``limit`` caps the blocks listed (a chat message has a size limit); the rest are counted."""
    lines: list[str] = []
    if result.unplaced:
        lines.append(message("plan_import.report_unplaced", count=len(result.unplaced)))
        shown = result.unplaced if limit is None else result.unplaced[:limit]
        for block in shown:
            lines.append(
                message(
                    "plan_import.report_unplaced_item",
                    heading=_one_line(block.heading, 40),
                    text=_one_line(" ".join(block.lines)),
                    escape=escape,
                )
            )
        if len(shown) < len(result.unplaced):
            lines.append(message("plan_import.report_unplaced_more", count=len(result.unplaced) - len(shown)))
    if result.category_notes:
        lines.append(message("plan_import.report_categories"))
        lines.extend(
            message("plan_import.report_category_item", text=_one_line(n), escape=escape)
            for n in result.category_notes
        )
    return lines


def transition_lines(result: PlanImport, *, escape: Escape = None) -> list[str]:
    """For an IoT-era plan: what the DX lab adds (要追記 / 記載あり) and the transition questions."""
    if not result.iot_plan:
        return []
    app = build_application(result.answers)
    lines = [message("plan_import.iot_intro")]
    for mark in gap_marks(app):
        optional = set(mark.item.viewpoints) <= {"other"}  # その他 is a bonus, never required
        key = ("iot_gap_optional" if optional else "iot_gap_open") if mark.open else "iot_gap_done"
        lines.append(message(f"plan_import.{key}", title=mark.item.title, detail=mark.item.detail))
    lines.append(message("plan_import.iot_questions"))
    for name in QUESTION_KEYS:
        question = message(f"plan_import.question_{name}")
        answer = result.transition_notes.get(name, "")
        if answer.strip():
            lines.append(
                message(
                    "plan_import.iot_question_answered",
                    question=question,
                    answer=_one_line(answer),
                    escape=escape,
                )
            )
        else:
            lines.append(message("plan_import.iot_question_open", question=question))
    return lines


def diff_lines(found: Diff) -> list[str]:
    """The answers an import would replace (前 → 後), then those it would add."""
    lines = [message("plan_import.diff_changed", title=c.title, old=c.old, new=c.new) for c in found.changed]
    lines += [message("plan_import.diff_added", title=c.title, new=c.new) for c in found.added]
    if found.unchanged:
        lines.append(message("plan_import.diff_unchanged", count=found.unchanged))
    return lines
