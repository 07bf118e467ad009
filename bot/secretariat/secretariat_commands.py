"""The secretariat's chat commands ``faq``, ``eligibility`` and ``compare``, registered once.

Owns what ``/dxlab faq|eligibility|compare`` (Slack), ``/faq``, ``/eligibility``, ``/compare``
(Telegram and ``dxlab chat``) answer; the router checks the role, each channel escapes and sends:

- ``faq_reply("質問")`` — the best answers with their sources, or whom to ask.
- ``eligibility_reply("1 1 1,2 2 2 2")`` — stateless: the answers so far travel in the command
  text (one per question, in order); with all of them the verdict, otherwise the next question.
- ``compare_file(service, person_id, labs)`` — the reviewers' workbook, for the secretariat and
  administrators only (``PermissionDenied`` otherwise).

The eligibility buttons are structured: each carries the action ``eligibility`` and, as its
value, every answer given so far plus its own (a few bytes), so the questionnaire keeps no state.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.core.commands import Caller, ChatCommand, Choice, ChoicesOut, FileOut, Output, TextOut
from bot.errors import UserError
from bot.roles import Action
from bot.secretariat.texts import Escape, faq_text, question_text, search, verdict_text
from bot.service import DialogService
from criteria import eligibility_questionnaire as eq
from renderers.messages import message
from storage.base import Lab

log = logging.getLogger(__name__)

ELIGIBILITY = "eligibility"
ChatFile = FileOut


def faq_reply(query: str, *, command: str = "/faq", escape: Escape = None) -> str:
    """The FAQ answer text for a chat message."""
    if not query.strip():
        return message("secretariat.chat_faq_usage", command=command, escape=escape)
    return faq_text(query, search(query), escape)


def _read_answers(tokens: Sequence[str]) -> tuple[dict[str, tuple[str, ...]], str | None]:
    """The answers given in order, and the first token that could not be read (if any)."""
    answers: dict[str, tuple[str, ...]] = {}
    for item, token in zip(eq.questions(), tokens, strict=False):
        parsed = eq.parse_answer(item.id, token)
        if parsed is None:
            return answers, token
        answers[item.id] = parsed
    return answers, None


def eligibility_choices(text: str) -> list[tuple[str, str]]:
    """Buttons for the next question: ``(label, all answers so far + this choice)``.

    Stateless: each button carries every answer given so far (choice numbers, a few bytes), so
    pressing it is the same as typing them after ``/eligibility``."""
    tokens = text.split()
    answers, bad = _read_answers(tokens)
    pending = eq.next_question(answers)
    if pending is None or bad is not None:
        return []
    given = tokens[: len(answers)]
    numbers = [str(i) for i in range(1, len(pending.choices) + 1)]
    options = [(c.label, " ".join([*given, n])) for c, n in zip(pending.choices, numbers, strict=True)]
    options += [(combo.label, " ".join([*given, combo.answer])) for combo in pending.combos]
    return options


def eligibility_reply(text: str, *, command: str = "/eligibility", escape: Escape = None) -> str:
    """The verdict for answers given in order, or the next question to answer."""
    tokens = text.split()
    answers, bad = _read_answers(tokens)
    problem = ""
    if bad is not None:
        problem = message(
            "secretariat.chat_el_not_understood", number=len(answers) + 1, text=bad[:40], escape=escape
        )
    pending = eq.next_question(answers)
    if pending is None:
        return verdict_text(eq.evaluate(answers), escape)
    lines = [problem] if problem else []
    if answers:
        example = " ".join([*tokens[: len(answers)], "…"])
        lines.append(
            message(
                "secretariat.chat_el_next", done=len(answers), command=command, example=example, escape=escape
            )
        )
    else:
        lines.append(message("secretariat.chat_el_usage", command=command, escape=escape))
    lines.append(question_text(pending, escape))
    return "\n\n".join(lines)


def compare_file(service: DialogService, person_id: int, lab_names: Sequence[str] = ()) -> FileOut:
    """The comparison workbook, if the person may compare (``PermissionDenied`` / ``UserError``)."""
    service.policy.require(person_id, Action.COMPARE)
    # the workbook (openpyxl) loads only when a comparison is asked for: it is a tenth of a
    # second of every `dxlab chat` start-up otherwise
    from bot.secretariat.compare import iter_reviewed, labs_with_drafts, review_sheet, sheet_bytes

    store = service.store
    labs: list[Lab] = []
    for name in lab_names:
        lab = store.find_lab(name)
        if lab is None:
            raise UserError(message("cli.unknown_lab", lab=name))
        labs.append(lab)
    labs = labs or labs_with_drafts(service, store.labs())
    if not labs:
        raise UserError(message("secretariat.compare_no_labs"))
    sheet = review_sheet(iter_reviewed(service, labs))  # only the rows kept, lab by lab
    return FileOut(
        filename="dxlab-review.xlsx",
        content=sheet_bytes(sheet, ".xlsx"),
        comment=message("secretariat.chat_compare_ready", count=len(sheet.rows)),
    )


def secretariat_commands(service: DialogService) -> list[ChatCommand]:
    """``faq`` and ``eligibility`` (anyone) and ``compare`` (the secretariat and admins)."""

    def faq_command(caller: Caller, args: str) -> Sequence[Output]:
        return [TextOut(faq_reply(args, command=caller.usage("faq")))]

    def eligibility_command(caller: Caller, args: str) -> Sequence[Output]:
        text = eligibility_reply(args, command=caller.usage(ELIGIBILITY))
        options = eligibility_choices(args)
        if not options:
            return [TextOut(text)]
        return [ChoicesOut(text, tuple(Choice(label, ELIGIBILITY, value) for label, value in options))]

    def compare_command(caller: Caller, args: str) -> Sequence[Output]:
        names = [name.strip() for name in args.replace("、", ",").split(",") if name.strip()]
        if caller.channel != "slack" and "," not in args and "、" not in args:
            names = args.split()
        try:
            return [compare_file(service, caller.person.id, names)]
        except UserError as exc:
            return [TextOut(exc.message)]

    return [
        ChatCommand(name="faq", handler=faq_command, args="QUESTION"),
        ChatCommand(name=ELIGIBILITY, handler=eligibility_command, args="ANSWERS"),
        ChatCommand(name="compare", handler=compare_command, args="LABS", action=Action.COMPARE),
    ]
