"""Small Block Kit element builders, each within Slack's limits, and the action ids we use.

Button values carry the step they belong to (``{"s": step_id, "v": value}``), so a button pressed
on an old message is recognised as stale by the engine instead of answering the wrong question.
"""

from __future__ import annotations

import json
from typing import Any

from renderers.slack import limits
from renderers.slack.limits import shorten

Block = dict[str, Any]

PICK = "dx_pick"  # a choice of a question or record field: Pick(step, value)
MULTI_SELECT = "dx_multi_select"  # the checkboxes of a multichoice question (state only)
MULTI_SUBMIT = "dx_multi"  # 決定 under the checkboxes
COMMAND = "dx_cmd"  # dx_cmd_<name>: back, skip, edit, status, review, export, help, start
FORM = "dx_form"  # open the record modal (new record)
FORM_EDIT = "dx_form_edit"  # open the record modal on a stored record (a select)
EDIT_PICK = "dx_edit_pick"  # the edit menu select: jump to a step
ACT = "dx_rec"  # dx_rec_<action>: a record menu's action button: Act(step, action, value)
RECORD_CALLBACK = "dx_record"  # the record modal's callback_id
FIELD_ACTION = "v"  # every input element of the record modal


def encode(**values: Any) -> str:
    """A compact JSON value for a button or option."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def decode(value: str | None) -> dict[str, Any]:
    """The mapping encoded by ``encode``; empty for anything else (old or forged values)."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": shorten(text, limit) or " ", "emoji": True}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": shorten(text, limits.SECTION_TEXT)}}


def sections(text: str) -> list[Block]:
    return [section(piece) for piece in limits.split_text(text)]


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shorten(text, limits.SECTION_TEXT)}]}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, limits.BUTTON_TEXT),
        "action_id": action_id[: limits.ACTION_ID],
        "value": value[: limits.BUTTON_VALUE],
    }
    if style:
        element["style"] = style
    return element


def option(text: str, value: str, limit: int = limits.OPTION_TEXT) -> dict[str, Any]:
    return {"text": plain(text, limit), "value": value[: limits.OPTION_VALUE]}


def actions(elements: list[dict[str, Any]]) -> list[Block]:
    """Actions blocks of at most 25 elements each."""
    size = limits.ACTIONS_ELEMENTS
    return [{"type": "actions", "elements": elements[i : i + size]} for i in range(0, len(elements), size)]


def static_select(placeholder: str, action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": plain(placeholder, limits.PLACEHOLDER),
        "options": options[: limits.SELECT_OPTIONS],
    }
