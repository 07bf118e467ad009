"""Engine replies as Slack messages: mrkdwn text from ``templates/slack`` plus buttons.

Text comes from the same reply types as the terminal, rendered with the mrkdwn escape so typed
``<!channel>`` stays text; long answers are shown shortened (the store keeps them whole). The
replies of one turn are packed into as few messages as fit 50 blocks each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.events import RECORD_ADD, RECORD_DONE
from dialogs.flow import Choice
from dialogs.replies import (
    Completed,
    EditMenu,
    ExportRequest,
    Question,
    RecordFieldQuestion,
    RecordMenu,
    Reply,
    Review,
)
from renderers.messages import message
from renderers.slack import limits
from renderers.slack.elements import (
    ACT,
    COMMAND,
    EDIT_PICK,
    FORM,
    FORM_EDIT,
    MULTI_SELECT,
    MULTI_SUBMIT,
    PICK,
    Block,
    actions,
    button,
    context,
    encode,
    option,
    plain,
    sections,
    static_select,
)
from renderers.slack.limits import mrkdwn_escape, shorten
from renderers.text import render_reply

CURRENT_SHOWN = 1_500
REVIEW_VALUE_SHOWN = 600


@dataclass(frozen=True)
class SlackMessage:
    """One ``chat.postMessage``: notification text and blocks."""

    text: str
    blocks: tuple[Block, ...]


def reply_text(reply: Reply) -> str:
    """The mrkdwn text of a reply (user text escaped)."""
    return render_reply(reply, escape=mrkdwn_escape, folder="slack")


def command_button(name: str, step_id: str = "", *, style: str | None = None) -> dict[str, Any]:
    return button(message(f"slack.button_{name}"), f"{COMMAND}_{name}", encode(s=step_id), style=style)


def _choice_buttons(step_id: str, choices: Sequence[Choice]) -> list[dict[str, Any]]:
    return [button(c.label, f"{PICK}_{i}", encode(s=step_id, v=c.value)) for i, c in enumerate(choices)]


def _question(reply: Question) -> list[Block]:
    blocks = sections(reply_text(reply))
    if reply.current is not None and len(reply.current) > CURRENT_SHOWN:
        blocks.append(context(message("slack.shortened")))
    if reply.kind == "multichoice" and reply.choices:
        boxes = {
            "type": "checkboxes",
            "action_id": MULTI_SELECT,
            "options": [option(c.label, c.value) for c in reply.choices[: limits.CHECKBOX_OPTIONS]],
        }
        submit = button(
            message("slack.button_submit_choices"), MULTI_SUBMIT, encode(s=reply.step_id), style="primary"
        )
        blocks.append(
            {
                "type": "actions",
                "block_id": f"{MULTI_SELECT}:{reply.step_id}"[:255],
                "elements": [boxes, submit],
            }
        )
    elif reply.choices:
        blocks += actions(_choice_buttons(reply.step_id, reply.choices))
    blocks += actions(
        [command_button(name, reply.step_id) for name in ("back", "skip", "edit", "status", "review", "help")]
    )
    if reply.kind in ("text", "list"):
        blocks.append(context(message("slack.type_answer_hint")))
    return blocks


def _record_field(reply: RecordFieldQuestion) -> list[Block]:
    blocks = sections(reply_text(reply))
    if reply.choices:
        blocks += actions(_choice_buttons(reply.step_id, reply.choices))
    blocks += actions(
        [
            button(message("slack.button_open_form"), FORM, encode(s=reply.step_id), style="primary"),
            command_button("back", reply.step_id),
            command_button("skip", reply.step_id),
        ]
    )
    blocks.append(context(message("slack.type_field_hint")))
    return blocks


def _record_menu(reply: RecordMenu) -> list[Block]:
    blocks = sections(reply_text(reply))
    elements = [
        button(message("slack.button_open_form"), FORM, encode(s=reply.step_id), style="primary"),
        button(message("slack.button_add_typed"), f"{ACT}_add", encode(s=reply.step_id, a=RECORD_ADD)),
        button(message("slack.button_done_records"), f"{ACT}_done", encode(s=reply.step_id, a=RECORD_DONE)),
    ]
    if reply.records:
        options = [
            option(f"{i}. {summary}", encode(s=reply.step_id, i=i - 1))
            for i, summary in enumerate(reply.records, 1)
        ]
        placeholder = message("slack.placeholder_edit_record", label=reply.record_label)
        elements.append(static_select(placeholder, FORM_EDIT, options))
    blocks += actions(elements)
    blocks += actions([command_button(name, reply.step_id) for name in ("back", "status", "review")])
    return blocks


def _edit_menu(reply: EditMenu) -> list[Block]:
    blocks = sections(reply_text(reply))
    options = [option(f"{item.number}. {item.title}", item.step_id) for item in reply.items]
    for start in range(0, len(options), limits.SELECT_OPTIONS):
        chunk = options[start : start + limits.SELECT_OPTIONS]
        blocks += actions(
            [static_select(message("slack.placeholder_edit_menu"), f"{EDIT_PICK}_{start}", chunk)]
        )
    blocks += actions([command_button("back")])
    return blocks


def reply_blocks(reply: Reply) -> list[Block]:
    """The blocks of one reply (none for an export request: the adapter uploads a file)."""
    if isinstance(reply, ExportRequest):
        return []
    if isinstance(reply, Question):
        return _question(reply)
    if isinstance(reply, RecordFieldQuestion):
        return _record_field(reply)
    if isinstance(reply, RecordMenu):
        return _record_menu(reply)
    if isinstance(reply, EditMenu):
        return _edit_menu(reply)
    blocks = sections(reply_text(reply))
    if isinstance(reply, Review) and any(
        len(item.value) > REVIEW_VALUE_SHOWN for sec in reply.sections for item in sec.items
    ):
        blocks.append(context(message("slack.shortened")))
    if isinstance(reply, Completed):
        blocks += actions(
            [command_button(n) for n in ("review", "status")] + [command_button("export", style="primary")]
        )
    return blocks


def fallback_text(blocks: Sequence[Block]) -> str:
    """Notification text: the first section's text, shortened."""
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict) and text.get("text"):
            return shorten(str(text["text"]), limits.FALLBACK_TEXT)
    return " "


def pack(blocks_per_reply: Sequence[list[Block]]) -> list[SlackMessage]:
    """Group blocks into messages of at most 50 blocks, keeping a reply's blocks together."""
    messages: list[list[Block]] = []
    current: list[Block] = []
    for blocks in blocks_per_reply:
        if current and len(current) + len(blocks) > limits.MESSAGE_BLOCKS:
            messages.append(current)
            current = []
        for start in range(0, len(blocks), limits.MESSAGE_BLOCKS):
            chunk = blocks[start : start + limits.MESSAGE_BLOCKS]
            if len(current) + len(chunk) > limits.MESSAGE_BLOCKS:
                messages.append(current)
                current = []
            current += chunk
    if current:
        messages.append(current)
    return [SlackMessage(fallback_text(m), tuple(m)) for m in messages]


def render_messages(replies: Sequence[Reply]) -> list[SlackMessage]:
    """All replies of one turn as Slack messages."""
    return pack([b for b in (reply_blocks(r) for r in replies) if b])


def text_message(text: str) -> SlackMessage:
    """A plain message (our wording, already escaped where it holds user text)."""
    blocks = tuple(sections(text))
    return SlackMessage(shorten(text, limits.FALLBACK_TEXT), blocks)


__all__ = ["SlackMessage", "plain", "render_messages", "reply_blocks", "reply_text", "text_message"]
