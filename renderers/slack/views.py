"""Slack views: the record modal (members, KPIs, key persons) and the App Home tab.

The modal is built from the flow's record fields: a static select for long choice lists, radio
buttons for short ones (KPI kind), a number input for numbers, and a text input for years so that
和暦 such as 令和10年度 can be typed. Block ids are the field names, so validation errors
(``response_action: errors``) appear beside their field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs import progress
from dialogs.flow import RecordField, Step
from dialogs.replies import Scorecard
from renderers.messages import message
from renderers.slack import limits
from renderers.slack.blocks import command_button
from renderers.slack.elements import (
    FIELD_ACTION,
    RECORD_CALLBACK,
    Block,
    actions,
    context,
    option,
    plain,
    section,
)
from renderers.slack.limits import mrkdwn_escape, shorten
from renderers.text import marks

RADIO_MAX = 5


def field_display(spec: RecordField, value: Any, record: Mapping[str, Any]) -> str | None:
    """A stored field value as the modal shows it (a choice stays its value: the select shows it)."""
    if spec.choices:
        return None if value is None or value == "" else str(value)
    return progress.field_display(spec, value, record)


def _element(spec: RecordField, value: Any, record: Mapping[str, Any]) -> dict[str, Any]:
    shown = field_display(spec, value, record)
    element: dict[str, Any]
    if spec.kind == "choice":
        options = [option(c.label, c.value) for c in spec.choices]
        if len(options) <= RADIO_MAX:
            element = {"type": "radio_buttons", "options": options[: limits.RADIO_OPTIONS]}
        else:
            element = {
                "type": "static_select",
                "placeholder": plain(message("slack.placeholder_choose"), limits.PLACEHOLDER),
                "options": options[: limits.SELECT_OPTIONS],
            }
        chosen = [o for o in element["options"] if o["value"] == value]
        if chosen:
            element["initial_option"] = chosen[0]
    elif spec.kind == "number":
        element = {"type": "number_input", "is_decimal_allowed": True}
        if shown is not None:
            element["initial_value"] = shown
    else:
        element = {"type": "plain_text_input", "multiline": spec.kind == "text" and len(spec.example) > 30}
        if shown is not None:
            element["initial_value"] = shorten(shown, limits.INPUT_VALUE)
    element["action_id"] = FIELD_ACTION
    return element


_TYPED_ONLY = re.compile(r"[（(][^）)]*スキップ[^）)]*[）)]|[^。]*「スキップ」[^。]*。")


def form_text(text: str) -> str:
    """A label or prompt as a form shows it: without the instructions for typing (「スキップ」…),
    which a form does not need (an optional field is simply left empty)."""
    return _TYPED_ONLY.sub("", text).strip() or text


def record_modal(
    step: Step,
    *,
    metadata: str,
    record: Mapping[str, Any] | None = None,
    number: int | None = None,
) -> dict[str, Any]:
    """The modal for one record of ``step``; ``number`` (1-based) when editing a stored one."""
    assert step.record is not None
    spec = step.record
    record = record or {}
    title = (
        message("slack.modal_title_edit", label=spec.label, number=number)
        if number is not None
        else message("slack.modal_title", label=spec.label)
    )
    blocks: list[Block] = [context(mrkdwn_escape(form_text(step.prompt)))]
    derived_from = next((i for i, f in enumerate(spec.fields) if f.derive), len(spec.fields))
    for index, spec_field in enumerate(spec.fields):
        hint = message("slack.modal_derive_hint") if spec_field.derive else ""
        if spec_field.example and spec_field.kind != "choice":  # a select needs no 「例: 1」
            hint = (hint + " " if hint else "") + message("slack.modal_hint", example=spec_field.example)
        block: Block = {
            "type": "input",
            "block_id": spec_field.name,
            "label": plain(form_text(spec_field.label), limits.INPUT_LABEL),
            "element": _element(spec_field, record.get(spec_field.name), record),
            # A field after a deriving one (a KPI sentence) may be filled from it: we check those
            # ourselves after deriving, and show errors beside them. The others are as the flow says.
            "optional": not spec_field.required or index > derived_from,
        }
        if hint:
            block["hint"] = plain(hint, limits.INPUT_HINT)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": RECORD_CALLBACK,
        "private_metadata": metadata[: limits.PRIVATE_METADATA],
        "title": plain(title, limits.VIEW_TITLE),
        "submit": plain(message("slack.modal_submit"), limits.VIEW_TITLE),
        "close": plain(message("slack.modal_close"), limits.VIEW_TITLE),
        "blocks": blocks[: limits.VIEW_BLOCKS],
    }


@dataclass(frozen=True)
class HomeModel:
    """What the App Home shows: the lab and its scorecard."""

    lab_name: str
    scorecard: Scorecard


def home_view(model: HomeModel) -> dict[str, Any]:
    """The App Home tab: progress by section, the six viewpoints, continue and export."""
    card = model.scorecard
    verdict = marks()["verdict"]
    blocks: list[Block] = [
        {"type": "header", "text": plain(message("slack.home_title"), 150)},
        section(message("slack.home_lab", lab=model.lab_name, escape=mrkdwn_escape)),
        section(
            message("slack.home_progress", percent=card.percent, readiness=round(card.readiness * 100))
            + "\n"
            + "\n".join(
                message(
                    "slack.home_section",
                    title=s.title,
                    answered=s.answered,
                    total=s.total,
                    escape=mrkdwn_escape,
                )
                for s in card.sections
            )
        ),
        {"type": "divider"},
        section(
            message("slack.home_viewpoints")
            + "\n"
            + "\n".join(
                message(
                    "slack.home_viewpoint",
                    mark=verdict.get(v.verdict, ""),
                    label=v.label,
                    problems=v.problems,
                )
                for v in card.viewpoints
            )
        ),
    ]
    if not card.eligible:
        blocks.append(section(message("slack.home_not_eligible")))
    blocks += actions(
        [command_button("start", style="primary"), command_button("export"), command_button("review")]
    )
    blocks.append(context(message("slack.home_hint")))
    return {"type": "home", "blocks": blocks[: limits.VIEW_BLOCKS]}


def home_notice(lab_name: str, text: str) -> dict[str, Any]:
    """The App Home tab when the draft cannot be shown (``text``: why, plain text)."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(message("slack.home_title"), 150)},
        section(message("slack.home_lab", lab=lab_name, escape=mrkdwn_escape)),
        section(mrkdwn_escape(text)),
        context(message("slack.home_hint")),
    ]
    return {"type": "home", "blocks": blocks}
