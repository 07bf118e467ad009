"""Inline keyboards for engine replies: choices, yes/no, the records menu and the edit menu.

Owns which reply gets which buttons. Button labels come from the flow (choice labels) or the
``telegram`` message catalogue; what a button does is in its ``callback_data``
(``renderers.telegram.callbacks``), which never carries a label.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.events import RECORD_ADD, RECORD_DELETE, RECORD_DONE, RECORD_EDIT
from dialogs.flow import Choice
from dialogs.replies import Completed, EditMenu, Question, RecordFieldQuestion, RecordMenu, Reply
from renderers.messages import message
from renderers.telegram.callbacks import ActData, CommandData, EditData, PickData, ToggleData, encode

EDIT_COLUMNS = 6
MAX_RECORD_ROWS = 20  # Telegram allows 100 buttons; a menu of 20 records stays readable
MAX_LABEL = 60


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _button(
    label: str, data: PickData | ToggleData | EditData | ActData | CommandData
) -> InlineKeyboardButton:
    return InlineKeyboardButton(_label(label), callback_data=encode(data))


def choice_keyboard(step_id: str, choices: Sequence[Choice]) -> InlineKeyboardMarkup:
    """One button per choice (answers with the choice's number, as if typed)."""
    return InlineKeyboardMarkup(
        [[_button(c.label, PickData(step_id, str(i)))] for i, c in enumerate(choices, 1)]
    )


def multichoice_keyboard(step_id: str, choices: Sequence[Choice], mask: int = 0) -> InlineKeyboardMarkup:
    """Toggle buttons showing the selection ``mask``, and 決定 once something is selected."""
    rows = []
    for i, c in enumerate(choices):
        on = bool(mask & (1 << i))
        label = message("telegram.multi_on" if on else "telegram.multi_off", label=c.label)
        rows.append([_button(label, ToggleData(step_id, mask ^ (1 << i)))])
    picked = [str(i + 1) for i in range(len(choices)) if mask & (1 << i)]
    if picked:
        rows.append([_button(message("telegram.multi_submit"), PickData(step_id, ",".join(picked)))])
    return InlineKeyboardMarkup(rows)


def record_menu_keyboard(step_id: str, count: int = 0) -> InlineKeyboardMarkup:
    """追加 and 完了, and for each record so far 編集 N / 削除 N (actions, nothing to type)."""
    rows = [
        [_button(message("telegram.record_add"), ActData(step_id, RECORD_ADD))],
        [_button(message("telegram.record_done"), ActData(step_id, RECORD_DONE))],
    ]
    rows += [
        [
            _button(message("telegram.record_edit_n", number=n), ActData(step_id, RECORD_EDIT, str(n))),
            _button(message("telegram.record_delete_n", number=n), ActData(step_id, RECORD_DELETE, str(n))),
        ]
        for n in range(1, min(count, MAX_RECORD_ROWS) + 1)
    ]
    return InlineKeyboardMarkup(rows)


def edit_menu_keyboard(menu: EditMenu) -> InlineKeyboardMarkup:
    buttons = [_button(str(item.number), EditData(item.number)) for item in menu.items]
    return InlineKeyboardMarkup([buttons[i : i + EDIT_COLUMNS] for i in range(0, len(buttons), EDIT_COLUMNS)])


def skip_keyboard(step_id: str) -> InlineKeyboardMarkup:
    """An optional question's one button: skip it (as /skip, refused once the question has passed)."""
    return InlineKeyboardMarkup([[_button(message("telegram.button_skip"), CommandData("skip", step_id))]])


def completed_keyboard() -> InlineKeyboardMarkup:
    """What to do once every question was visited: review, the scorecard, the Word file."""
    return InlineKeyboardMarkup(
        [
            [_button(message(f"telegram.button_{name}"), CommandData(name))]
            for name in ("review", "status", "export")
        ]
    )


def keyboard_for(reply: Reply, *, group: bool = False) -> InlineKeyboardMarkup | None:
    """The inline keyboard that goes with ``reply``, if any. In a group a question without choices
    gets none (it asks for a reply instead, so people can answer with the bot's privacy mode on)."""
    if isinstance(reply, Question) and reply.choices:
        if reply.kind == "multichoice":
            return multichoice_keyboard(reply.step_id, reply.choices)
        return choice_keyboard(reply.step_id, reply.choices)
    if isinstance(reply, RecordFieldQuestion) and reply.choices:
        return choice_keyboard(reply.step_id, reply.choices)
    if isinstance(reply, Question) and not reply.required and not group:
        return skip_keyboard(reply.step_id)
    if isinstance(reply, Completed):
        return completed_keyboard()
    if isinstance(reply, RecordMenu):
        return record_menu_keyboard(reply.step_id, len(reply.records))
    if isinstance(reply, EditMenu) and reply.items:
        return edit_menu_keyboard(reply)
    return None
