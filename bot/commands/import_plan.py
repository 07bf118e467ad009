"""``dxlab import FILE… [--lab NAME]``: application files and Word plans into labs' drafts.

Owns the run over several files or folders (each file's own lab name unless ``--lab`` is given;
a report per file; one file's failure never stops the others), the diff-and-ask step when a
draft already has answers (``--yes`` replaces, ``--only-empty`` fills only empty answers, else the
person is asked), and what comes after: the scorecard, and the person's position moved to the
first question still empty or weak, so ``dxlab chat`` continues there.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bot.errors import UserError
from bot.plan_import.files import Loaded, expand, load
from bot.plan_import.merge import Choice, Diff, chosen_answers, diff
from bot.plan_import.report import diff_lines, found_lines, transition_lines, unplaced_lines
from bot.plan_import.resume import place_cursor, resume_step
from bot.roles import console_person
from bot.service import to_engine_draft
from bot.wiring import open_db, policy_for
from criteria.checking import run_checks
from criteria.transition import marked_viewpoints
from dialogs import views
from dialogs.flow import Flow, default_flow
from dialogs.words import fold
from renderers.messages import message
from renderers.text import render_reply
from storage.base import Store

Ask = Callable[[str], str]


def _ask_stdin(question: str) -> str:
    print(question, flush=True)
    line = sys.stdin.readline()
    return line.strip()


def _choice(found: Diff, args: argparse.Namespace, ask: Ask, lab: str) -> Choice:
    if not found.conflicts or args.yes:
        return "all"
    if args.only_empty:
        return "only_empty"
    lines = [message("plan_import.diff_intro", lab=lab), *diff_lines(found)]
    print("\n".join(lines))
    answer = fold(ask(message("plan_import.diff_question")))
    if answer in (fold(message("plan_import.answer_yes")), "y", "yes", "はい", "上書き"):
        return "all"
    if answer in (fold(message("plan_import.answer_only_empty")), "空欄", "空欄のみ"):
        return "only_empty"
    return "none"


def _import_one(store: Store, loaded: Loaded, args: argparse.Namespace, flow: Flow, ask: Ask) -> list[str]:
    lab_name = args.lab or loaded.lab_name
    if not lab_name:
        raise UserError(message("plan_import.lab_required", name=loaded.path.name))
    # the terminal's OS account creates the lab (and becomes its staff) or must be allowed to edit it
    lab = policy_for(store).open_lab(console_person(store, args.user).id, lab_name)  # type: ignore[arg-type]
    out = [message("plan_import.report_title", name=loaded.path.name, lab=lab_name)]
    if loaded.plan is not None:
        out += found_lines(loaded.plan, flow)
    print("\n".join(out))
    out = []
    current = store.draft(lab.id).answers
    found = diff(flow, current, loaded.answers)
    choice = _choice(found, args, ask, lab_name)
    answers = chosen_answers(loaded.answers, found, choice)
    if choice == "none":
        out.append(message("plan_import.diff_declined"))
        return out, False
    if answers:
        person = store.person(args.user or "import", channel="import")
        store.replace_draft(lab.id, answers, person_id=person.id, channel="import")
    if loaded.plan is not None:
        out += unplaced_lines(loaded.plan)
        out += transition_lines(loaded.plan)
    if choice == "only_empty":
        out.append(message("plan_import.diff_only_empty", count=len(answers)))
    elif answers and loaded.plan is None:
        out.append(message("cli.imported", count=len(answers), lab=lab_name))
    elif answers:
        out.append(message("plan_import.report_imported", count=len(answers)))
    else:
        out.append(message("plan_import.report_nothing_new"))
    out += _after(store, lab_name, args, flow)
    return out, True


def _after(store: Store, lab_name: str, args: argparse.Namespace, flow: Flow) -> list[str]:
    """The scorecard, and the reader's position moved to the first empty or weak question."""
    lab = store.lab(lab_name)
    draft = to_engine_draft(store.draft(lab.id))
    report = run_checks(draft.application())
    transition = draft.answers.get("transition_from_iot_lab") is True
    card = views.scorecard(flow, draft, report, marked_viewpoints() if transition else frozenset())
    out = [render_reply(card)]
    step = resume_step(flow, draft, report)
    reader = console_person(store, args.user)
    place_cursor(store, lab.id, reader.id, step, channel="console")
    if step is None:
        out.append(message("plan_import.next_step_done", lab=lab_name))
    else:
        out.append(message("plan_import.next_step", lab=lab_name, title=step.title))
    return out


def run_import(args: argparse.Namespace, *, ask: Ask = _ask_stdin) -> int:
    """Import every named file (each is reported).

    Exit status 0 when every file was imported, 1 when the person declined to overwrite one (it
    is unchanged), 2 when one could not be read (a single bad file raises its ``UserError``).
    """
    files = expand(args.files)
    flow = default_flow()
    store = open_db(args.db)
    failed = declined = 0
    try:
        for path in files:
            try:
                loaded = load(Path(path))
                lines, done = _import_one(store, loaded, args, flow, ask)
            except UserError as exc:
                if len(files) == 1:
                    raise
                failed += 1
                reason = exc.message
                sys.stderr.write(message("plan_import.report_failed", name=Path(path).name, reason=reason))
                sys.stderr.write("\n")
                continue
            print("\n".join(lines))
            declined += not done
    finally:
        store.close()
    if len(files) > 1:
        ok = len(files) - failed - declined
        print(message("plan_import.report_summary", ok=ok, failed=failed, declined=declined))
    return 2 if failed else 1 if declined else 0
