"""The secretariat commands for chat channels, channel-neutral: text in, text (or a file) out.

Owns what ``/dxlab faq|eligibility|compare`` (Slack) and ``/faq``, ``/eligibility`` (Telegram) do,
so each adapter only parses its event and sends the result with its own escaping:

- ``faq_reply("質問")`` — the best answers with their sources, or whom to ask.
- ``eligibility_reply("1 1 1,2 2 2 2")`` — stateless: the answers so far travel in the command
  text (one per question, in order); with all of them the verdict, otherwise the next question.
- ``compare_file(store, person_id, labs)`` — the reviewers' workbook, for the secretariat and
  administrators only (``PermissionDenied`` otherwise).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.errors import UserError
from bot.roles import Action, Policy
from bot.secretariat.compare import iter_reviewed, labs_with_drafts, review_sheet, sheet_bytes
from bot.secretariat.texts import Escape, faq_text, question_text, search, verdict_text
from bot.service import DialogService
from bot.wiring import build_engine
from criteria import eligibility_questionnaire as eq
from renderers.messages import message
from storage.base import Lab
from storage.sqlite import SQLiteStore

log = logging.getLogger(__name__)

#: ``/dxlab <name>`` in Slack; ``/<name>`` in Telegram (compare answers with a file in both).
SLACK_COMMANDS: frozenset[str] = frozenset({"faq", "eligibility", "compare"})
TELEGRAM_COMMANDS: tuple[str, ...] = ("faq", "eligibility", "compare")
#: Telegram buttons of the eligibility questionnaire carry ``q|<answers so far>`` (a few bytes).
ELIGIBILITY_PREFIX = "q|"


@dataclass(frozen=True, kw_only=True)
class ChatFile:
    """A file to post: its name, content and the message that goes with it."""

    filename: str
    content: bytes
    comment: str


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


def compare_file(store: SQLiteStore, person_id: int, lab_names: Sequence[str] = ()) -> ChatFile:
    """The comparison workbook, if the person may compare (``PermissionDenied`` / ``UserError``)."""
    Policy(store).require(person_id, Action.COMPARE)
    service = DialogService(store=store, engine=build_engine())
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
    return ChatFile(
        filename="dxlab-review.xlsx",
        content=sheet_bytes(sheet, ".xlsx"),
        comment=message("secretariat.chat_compare_ready", count=len(sheet.rows)),
    )


def slack_reply(store: Any, *, person_id: int, command: str, argument: str) -> str | ChatFile:
    """What ``/dxlab faq|eligibility|compare ARGUMENT`` answers: plain text (escape it) or a file."""
    if command == "faq":
        return faq_reply(argument, command="/dxlab faq")
    if command == "eligibility":
        return eligibility_reply(argument, command="/dxlab eligibility")
    try:
        if not isinstance(store, SQLiteStore):
            raise UserError(message("secretariat.denied", action=message("secretariat.action_compare")))
        names = [name.strip() for name in argument.split(",") if name.strip()]
        return compare_file(store, person_id, names)
    except UserError as exc:
        return exc.message


def add_telegram_commands(application: Any, service: DialogService) -> None:
    """Add ``/faq``, ``/eligibility`` and ``/compare`` (the workbook, secretariat only) to a PTB Application.

    Call it before the channel adds its own handlers: in the default group the first matching handler
    wins, so these run instead of the unknown-command reply and later groups still see the update.
    """
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup
    from telegram.ext import CallbackQueryHandler, CommandHandler

    from renderers.telegram.html import escape_html, split_html

    async def on_command(update: Any, context: Any) -> None:
        msg = update.effective_message
        if msg is None or not msg.text:
            return
        command = msg.text.split()[0].lstrip("/").split("@")[0].lower()
        argument = " ".join(context.args or [])
        if command == "compare":
            await _send_compare(msg, update.effective_user, context.args or [])
            return

        def work() -> str:
            if command == "faq":
                return faq_reply(argument, command="/faq", escape=escape_html)
            return eligibility_reply(argument, command="/eligibility", escape=escape_html)

        text = await asyncio.to_thread(work)
        keyboard = _keyboard(argument) if command == "eligibility" else None
        await _reply(msg, text, keyboard)

    def _keyboard(answers: str) -> Any:
        options = eligibility_choices(answers)
        if not options:
            return None
        rows = [
            [InlineKeyboardButton(label, callback_data=ELIGIBILITY_PREFIX + data)] for label, data in options
        ]
        return InlineKeyboardMarkup(rows)

    async def _reply(msg: Any, text: str, keyboard: Any) -> None:
        pieces = split_html(text)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            await msg.reply_text(piece, parse_mode="HTML", reply_markup=keyboard if last else None)

    async def on_eligibility_button(update: Any, context: Any) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        answers = (query.data or "")[len(ELIGIBILITY_PREFIX) :]
        await query.answer()
        await query.edit_message_reply_markup(reply_markup=None)  # one tap per question
        text = await asyncio.to_thread(eligibility_reply, answers, command="/eligibility", escape=escape_html)
        await _reply(query.message, text, _keyboard(answers))

    async def _send_compare(msg: Any, user: Any, names: list[str]) -> None:
        """The workbook as a document, for the secretariat; otherwise why not."""
        if user is None:
            return
        store = service.store

        def work() -> ChatFile | str:
            person = store.person(
                user.full_name or str(user.id), channel="telegram", external_id=str(user.id)
            )
            try:
                return compare_file(store, person.id, names)
            except UserError as exc:  # PermissionDenied is a UserError
                return exc.message

        result = await asyncio.to_thread(work)
        if isinstance(result, str):
            await msg.reply_text(escape_html(result), parse_mode="HTML")
            return
        await msg.reply_document(document=result.content, filename=result.filename, caption=result.comment)

    application.add_handler(CommandHandler(list(TELEGRAM_COMMANDS), on_command))
    application.add_handler(
        CallbackQueryHandler(on_eligibility_button, pattern=f"^{re.escape(ELIGIBILITY_PREFIX)}")
    )
