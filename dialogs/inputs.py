"""Turning typed answers into field values, one function per input kind.

Each parser returns ``Parsed(value)`` or ``Invalid(key)``, where ``key`` names the notice the
renderers show (``dialog.invalid_choice`` …). Text is kept verbatim: only emptiness and length are
judged, so nothing the person typed is altered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from criteria.bounded import bounded_int
from criteria.kpi import deadline
from criteria.normalize import normalize, number_spans, parse_number, parse_year
from dialogs.flow import Choice, RecordField, Step
from dialogs.words import fold, words

MAX_ANSWER_CHARS = 100_000


@dataclass(frozen=True)
class Parsed:
    value: Any


@dataclass(frozen=True)
class Invalid:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


Result = Parsed | Invalid


def is_blank(text: str) -> bool:
    """True for text with nothing visible (spaces, full-width spaces, zero-width characters)."""
    # one pass, stopping at the first visible character (most answers: the first one)
    return not any(not ch.isspace() and unicodedata.category(ch)[0] not in "ZC" for ch in text)


def parse_text(text: str) -> Result:
    if is_blank(text):
        return Invalid("empty")
    if len(text) > MAX_ANSWER_CHARS:
        return Invalid("too_long", {"limit": MAX_ANSWER_CHARS, "length": len(text)})
    return Parsed(text)


def parse_list(text: str) -> Result:
    checked = parse_text(text)
    if isinstance(checked, Invalid):
        return checked
    if fold(text) in words().none:
        return Parsed([])
    pattern = "[" + re.escape(words().list_separators) + "]"
    items = [item.strip() for item in re.split(pattern, text)]
    return Parsed([item for item in items if item and not is_blank(item)])


def parse_yesno(text: str) -> Result:
    folded = fold(text)
    if folded in words().yes:
        return Parsed(True)
    if folded in words().no:
        return Parsed(False)
    return Invalid("invalid_yesno")


def _resolve_choice(token: str, choices: tuple[Choice, ...]) -> str | None:
    folded = fold(token)
    if folded.isdigit():
        index = bounded_int(folded)
        return choices[index - 1].value if index is not None and 1 <= index <= len(choices) else None
    for choice in choices:
        if folded in (fold(choice.value), fold(choice.label)):
            return choice.value
    partial = [c.value for c in choices if folded and folded in fold(c.label)]
    return partial[0] if len(partial) == 1 else None


def parse_choice(text: str, choices: tuple[Choice, ...]) -> Result:
    value = _resolve_choice(text, choices)
    if value is None:
        return Invalid("invalid_choice", {"count": len(choices)})
    return Parsed(value)


def parse_multichoice(text: str, choices: tuple[Choice, ...]) -> Result:
    whole = _resolve_choice(text, choices)
    if whole is not None:
        return Parsed([whole])
    pattern = "[" + re.escape(words().choice_separators) + "]+"
    tokens = [t for t in re.split(pattern, unicodedata.normalize("NFKC", text)) if t.strip()]
    picked: list[str] = []
    for token in tokens:
        value = _resolve_choice(token, choices)
        if value is None:
            return Invalid("invalid_choice", {"count": len(choices)})
        if value not in picked:
            picked.append(value)
    if not picked:
        return Invalid("invalid_choice", {"count": len(choices)})
    return Parsed([c.value for c in choices if c.value in picked])


def _first_number(text: str) -> int | float | None:
    """The number typed, or the only number in a short answer such as 「15社」「約15」."""
    whole = parse_number(text)
    if whole is not None:
        return whole
    found = [n for n in (parse_number(m.group(0)) for m in number_spans(normalize(text))) if n is not None]
    return found[0] if len(found) == 1 else None


def parse_number_input(text: str) -> Result:
    number = _first_number(text)
    if number is None:
        return Invalid("invalid_number")
    return Parsed(number)


def parse_year_input(text: str) -> Result:
    """A target year as ``(western year, fiscal?)``: 令和10年度, R10, 2028年3月末, or a bare 2030."""
    found = parse_year(text)
    if found is not None and 1900 <= found.year <= 2200:
        return Parsed(deadline(found))
    bare = parse_number(text)
    if isinstance(bare, int) and 1900 <= bare <= 2200:
        return Parsed((bare, None))
    return Invalid("invalid_year")


def parse_step(step: Step, text: str) -> Result:
    """A typed answer to a step, by the step's kind."""
    if step.kind == "list":
        return parse_list(text)
    if step.kind == "yesno":
        return parse_yesno(text)
    if step.kind == "choice":
        return parse_choice(text, step.choices)
    if step.kind == "multichoice":
        return parse_multichoice(text, step.choices)
    return parse_text(text)


def parse_field(spec: RecordField, text: str) -> Result:
    """A typed value for one record field, by the field's kind."""
    if spec.kind == "choice":
        return parse_choice(text, spec.choices)
    if spec.kind == "number":
        return parse_number_input(text)
    if spec.kind == "year":
        return parse_year_input(text)
    return parse_text(text)
