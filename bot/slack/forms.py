"""The record modal's submission: read the typed values, derive, validate field by field.

Errors are keyed by block id (the field name) so Slack shows them beside the field; the values
that pass go to the engine as a ``SubmitRecord``, which parses them exactly like typed answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs import flow_names, inputs
from dialogs.flow import Step
from dialogs.progress import year_display
from renderers.messages import message
from renderers.slack.elements import FIELD_ACTION


def read_values(state: Mapping[str, Any]) -> dict[str, str]:
    """``view.state.values`` → field name → the typed text or the chosen option's value."""
    values: dict[str, str] = {}
    for block_id, elements in state.items():
        element = elements.get(FIELD_ACTION) if isinstance(elements, Mapping) else None
        if not isinstance(element, Mapping):
            continue
        chosen = element.get("selected_option")
        if isinstance(chosen, Mapping):
            values[block_id] = str(chosen.get("value", ""))
        elif element.get("value") is not None:
            values[block_id] = str(element["value"])
    return values


def _derived_text(name: str, value: Any, derived: Mapping[str, Any]) -> str:
    if name == "target_year" or (isinstance(value, int) and name.endswith("_year")):
        return year_display(int(value), derived.get("fiscal_year"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def complete(step: Step, values: Mapping[str, str]) -> dict[str, str]:
    """Fill blank fields from a deriving field (a KPI sentence), as the typed dialog does."""
    assert step.record is not None
    result = {k: v for k, v in values.items() if not inputs.is_blank(v)}
    for spec in step.record.fields:
        text = result.get(spec.name)
        if spec.derive is None or text is None:
            continue
        derived = flow_names.derive(spec.derive, {spec.name: text})
        for name, value in derived.items():
            if name in {f.name for f in step.record.fields} and name not in result:
                result[name] = _derived_text(name, value, derived)
    return result


def validate(step: Step, values: Mapping[str, str]) -> dict[str, str]:
    """Errors by field name (empty when the record can be saved)."""
    assert step.record is not None
    errors: dict[str, str] = {}
    for spec in step.record.fields:
        raw = values.get(spec.name)
        if raw is None:
            if spec.required:
                errors[spec.name] = message("slack.modal_required", label=spec.label)
            continue
        if spec.kind == "choice":
            result = inputs.parse_choice(raw, spec.choices)
        elif spec.kind == "number":
            result = inputs.parse_number_input(raw)
        elif spec.kind == "year":
            result = inputs.parse_year_input(raw)
        else:
            result = inputs.parse_text(raw)
        if isinstance(result, inputs.Invalid):
            errors[spec.name] = message(f"dialog.{result.key}", **dict(result.params))
    return errors
