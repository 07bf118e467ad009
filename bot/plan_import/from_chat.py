"""A plan sent to the bot in a chat (Slack DM, Telegram private chat): import it, say what happened.

Owns the channel-neutral part of an upload: the file's kind (a .docx plan or a .json application
file), the import into the person's lab, and the same diff-and-ask rule as ``dxlab import`` — in a
chat the question is answered by sending the file again with the word 「上書き」 or 「空欄だけ」 as
its message, so nothing is kept half-done between messages. The adapters download the file
(with ``MAX_INPUT_BYTES``), check the person's role, post ``UploadResult.lines`` (escaped for
their platform) and then run a 進捗 turn, which shows the scorecard and asks the question the
person's position was moved to (the first empty or weak one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import ValidationError

from bot.appfile import answers_of
from bot.errors import UserError
from bot.plan_import import read_plan
from bot.plan_import.merge import Choice, chosen_answers, diff
from bot.plan_import.report import found_lines, transition_lines, unplaced_lines
from bot.plan_import.result import PlanImport
from bot.plan_import.resume import place_cursor, resume_step
from bot.service import to_engine_draft
from criteria.application import Application
from criteria.checking import run_checks
from dialogs.flow import default_flow
from dialogs.words import fold
from renderers.messages import message
from storage.base import Store

ACCEPTED_SUFFIXES = (".docx", ".json")
CHAT_UNPLACED_SHOWN = 20
"""取り込めなかった記述 listed in a chat reply (each ≤ 120 characters); the rest are counted."""


@dataclass(frozen=True)
class UploadResult:
    """What to tell the person (plain Japanese lines) and whether the draft was imported into."""

    lines: tuple[str, ...]
    imported: bool


def is_plan_name(name: str) -> bool:
    """Whether a sent file is one dxlab tries to import (others are refused with a reason)."""
    return PurePath(name).suffix.lower() in (*ACCEPTED_SUFFIXES, ".doc", ".pdf", ".zip", ".rtf", ".odt")


def _choice(caption: str) -> Choice | None:
    word = fold(caption)
    if word in (fold(message("plan_import.answer_overwrite")), fold(message("plan_import.answer_yes"))):
        return "all"
    if word in (fold(message("plan_import.answer_only_empty")), fold("空欄"), fold("空欄のみ")):
        return "only_empty"
    return None


def _read(data: bytes, name: str) -> tuple[dict[str, object], PlanImport | None]:
    if PurePath(name).suffix.lower() == ".json":
        try:
            app = Application.model_validate(json.loads(data.decode("utf-8-sig")))
        except (UnicodeDecodeError, json.JSONDecodeError, ValidationError, TypeError) as exc:
            raise UserError(message("plan_import.chat_bad_json", name=name)) from exc
        return answers_of(app), None
    plan = read_plan(data, name=name)
    return dict(plan.answers), plan


def import_upload(
    store: Store,
    *,
    lab_id: int,
    person_id: int,
    data: bytes,
    name: str,
    caption: str,
    channel: str,
) -> UploadResult:
    """Import one sent file into the lab's draft for the person; never raises ``UserError``."""
    flow = default_flow()
    try:
        answers, plan = _read(data, name)
    except UserError as exc:
        return UploadResult(lines=(exc.message,), imported=False)
    lines: list[str] = []
    if plan is not None:
        lines += found_lines(plan, flow)
    found = diff(flow, store.draft(lab_id).answers, answers)
    choice = "all" if not found.conflicts else _choice(caption)
    if choice is None:
        lines.append(message("plan_import.chat_diff_intro"))
        lines += [
            message("plan_import.diff_changed", title=c.title, old=c.old, new=c.new) for c in found.changed
        ]
        lines += [message("plan_import.diff_added", title=c.title, new=c.new) for c in found.added]
        lines.append(message("plan_import.chat_diff_question"))
        return UploadResult(lines=tuple(lines), imported=False)
    chosen = chosen_answers(answers, found, choice)
    if chosen:
        store.replace_draft(lab_id, chosen, person_id=person_id, channel=channel)
    if plan is not None:
        lines += unplaced_lines(plan, limit=CHAT_UNPLACED_SHOWN)
        lines += transition_lines(plan)
    if choice == "only_empty":
        lines.append(message("plan_import.diff_only_empty", count=len(chosen)))
    elif chosen:
        lines.append(message("plan_import.report_imported", count=len(chosen)))
    else:
        lines.append(message("plan_import.report_nothing_new"))
    draft = to_engine_draft(store.draft(lab_id))
    step = resume_step(flow, draft, run_checks(draft.application()))
    place_cursor(store, lab_id, person_id, step, channel=channel)
    return UploadResult(lines=tuple(lines), imported=True)
