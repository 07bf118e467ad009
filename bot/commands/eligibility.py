"""``dxlab eligibility``: the guided eligibility questionnaire in the terminal.

Asks the questions one by one (a TTY prompt, or one answer per line from a pipe, like
``dxlab chat``); answers given as options (``--secretariat municipality --types 1,2 …``) are not
asked, so a script can give them all and get the verdict at once. ``--lab NAME`` first fills in
what the lab's draft already says (needs the right to view that draft). ``--json`` prints the
verdict as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from bot.errors import UserError
from bot.roles import Action, console_person
from bot.secretariat.texts import question_text, verdict_json, verdict_text
from bot.wiring import add_db_option, build_service
from criteria import eligibility_questionnaire as eq
from renderers.messages import message


def _option(question_id: str) -> str:
    return question_id.replace("_", "-")


def add_parser(subparsers: Any) -> None:
    help_text = message("secretariat.help_eligibility")
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "eligibility", help=help_text, description=help_text
    )
    for item in eq.questions():
        parser.add_argument(
            f"--{_option(item.id)}",
            dest=item.id,
            default=None,
            help=message(f"secretariat.help_el_{item.id}"),
        )
    parser.add_argument("--json", action="store_true", help=message("secretariat.help_json"))
    parser.add_argument("--lab", default=None, help=message("secretariat.help_el_lab"))
    parser.add_argument("--user", default=None, help=message("secretariat.help_actor"))
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _given(args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    answers: dict[str, tuple[str, ...]] = {}
    for item in eq.questions():
        raw = getattr(args, item.id, None)
        if raw is None:
            continue
        parsed = eq.parse_answer(item.id, raw)
        if parsed is None:
            choices = ", ".join(c.value for c in item.choices)
            raise UserError(
                message("secretariat.el_bad_option", option=_option(item.id), value=raw, choices=choices)
            )
        answers[item.id] = parsed
    return answers


def _prefill(args: argparse.Namespace) -> dict[str, tuple[str, ...]]:
    service = build_service(args.db)
    store = service.store
    try:
        lab = store.find_lab(args.lab)
        if lab is None:
            raise UserError(message("cli.unknown_lab", lab=args.lab))
        person = console_person(store, args.user)
        service.policy.require(person.id, Action.VIEW_DRAFT, lab)
        app = service.application(lab)
        return eq.answers_from_application(app)
    finally:
        store.close()


def _lines(source: TextIO, interactive: bool) -> Iterator[str]:
    if not interactive:
        for line in source:
            yield line.rstrip("\r\n")
        return
    while True:
        try:
            yield input(message("cli.prompt"))
        except EOFError:
            return


def ask(
    answers: dict[str, tuple[str, ...]], source: TextIO, out: TextIO, *, interactive: bool
) -> dict[str, tuple[str, ...]] | None:
    """Ask every unanswered question; ``None`` when the input ends first."""
    pending = eq.next_question(answers)
    if pending is None:
        return answers
    out.write(message("secretariat.el_intro", count=len(eq.questions())) + "\n")
    lines = _lines(source, interactive)
    while pending is not None:
        out.write("\n" + question_text(pending) + "\n")
        out.flush()
        while True:
            line = next(lines, None)
            if line is None:
                return None
            parsed = eq.parse_answer(pending.id, line)
            if parsed is not None:
                answers[pending.id] = parsed
                break
            out.write(
                message("secretariat.el_not_understood", text=line[:40], count=len(pending.choices)) + "\n"
            )
            out.flush()
        pending = eq.next_question(answers)
    out.write("\n")
    return answers


def run(args: argparse.Namespace) -> int:
    """Ask what is missing, then print the verdict with its reasons (exit 0; 2 on bad options)."""
    answers: dict[str, tuple[str, ...]] = {}
    if args.lab:
        answers.update(_prefill(args))
    answers.update(_given(args))
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    out = sys.stderr if args.json else sys.stdout
    if args.lab and answers:
        shown = ", ".join(f"{k}={','.join(v)}" for k, v in answers.items())
        out.write(message("secretariat.el_prefilled", lab=args.lab, answers=shown) + "\n")
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    complete = ask(answers, sys.stdin, out, interactive=interactive)
    if complete is None:
        raise UserError(message("secretariat.el_incomplete"))
    verdict = eq.evaluate(complete)
    if args.json:
        sys.stdout.write(json.dumps(verdict_json(verdict), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(verdict_text(verdict) + "\n")
    return 0
