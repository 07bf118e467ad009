"""Inline keyboard ``callback_data``: what a button means, in at most 64 bytes of UTF-8.

Owns the encoding of button actions. Labels never go into the data (they are Japanese and long);
values are short choice numbers. A step id that would not fit is replaced by a short hash
(``#`` + 10 hex digits) that ``decode`` maps back through the list of known step ids, so the data
stays valid across restarts without any table.

Formats: ``p|<step>|<value>`` a choice (→ ``Pick``), ``m|<step>|<mask>`` a multichoice toggle (the
whole selection as a bit mask, so a repeated press is harmless), ``e|<number>`` an edit-menu entry,
``a|<step>|<action>:<value>`` an action with its value (→ ``Act``: a record menu's buttons),
``k|<step>|<command>`` a drafting command (→ ``Command``: skip this question; the completion
message's review / status / export), refused as stale once ``<step>`` is no longer asked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from criteria.bounded import bounded_int

MAX_BYTES = 64
SEP = "|"


@dataclass(frozen=True)
class PickData:
    """A choice button: answer ``step_id`` with ``value``."""

    step_id: str
    value: str


@dataclass(frozen=True)
class ToggleData:
    """A multichoice button: show the keyboard of ``step_id`` with ``mask`` selected."""

    step_id: str
    mask: int


@dataclass(frozen=True)
class EditData:
    """An edit-menu button: jump to question ``number``."""

    number: int


@dataclass(frozen=True)
class ActData:
    """An action button of ``step_id``: ``action`` (a record menu's add/done/edit/delete) and its value."""

    step_id: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class CommandData:
    """A drafting command's button; ``step_id`` the question it was shown with ("" for none)."""

    name: str
    step_id: str = ""


CallbackData = PickData | ToggleData | EditData | ActData | CommandData


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def step_key(step_id: str) -> str:
    """The short form of a step id: ``#`` and 10 hex digits of its SHA-1."""
    return "#" + hashlib.sha1(step_id.encode("utf-8")).hexdigest()[:10]


def _pack(kind: str, step_id: str, value: str) -> str:
    if SEP in value:
        raise ValueError(f"callback value must not contain {SEP!r}: {value!r}")
    data = SEP.join((kind, step_id, value))
    if SEP in step_id or step_id.startswith("#") or _size(data) > MAX_BYTES:
        data = SEP.join((kind, step_key(step_id), value))
    if _size(data) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def encode(data: CallbackData) -> str:
    """The ``callback_data`` string of a button (never more than 64 bytes)."""
    if isinstance(data, PickData):
        return _pack("p", data.step_id, data.value)
    if isinstance(data, ToggleData):
        return _pack("m", data.step_id, str(data.mask))
    if isinstance(data, ActData):
        return _pack("a", data.step_id, f"{data.action}:{data.value}")
    if isinstance(data, CommandData):
        return _pack("k", data.step_id, data.name)
    return f"e{SEP}{int(data.number)}"


def decode(raw: str, step_ids: Iterable[str]) -> CallbackData | None:
    """The action of ``raw``; ``None`` when it is not ours or names an unknown step."""
    parts = raw.split(SEP)
    try:
        if parts[0] == "e" and len(parts) == 2:
            number = bounded_int(parts[1])
            return EditData(number) if number is not None else None
        if parts[0] == "k" and len(parts) == 3 and not parts[1]:
            return CommandData(parts[2])
        if parts[0] not in ("p", "m", "a", "k") or len(parts) != 3:
            return None
        kind, key, value = parts
        step_id = key
        if key.startswith("#"):
            found = next((s for s in step_ids if step_key(s) == key), None)
            if found is None:
                return None
            step_id = found
        if kind == "p":
            return PickData(step_id, value)
        if kind == "k":
            return CommandData(value, step_id)
        if kind == "a":
            action, sep, argument = value.partition(":")
            return ActData(step_id, action, argument) if sep and action else None
        mask = bounded_int(value)
        return ToggleData(step_id, mask) if mask is not None else None
    except ValueError:
        return None
