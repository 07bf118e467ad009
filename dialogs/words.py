"""The words the engine recognises in user input, loaded from ``words.yaml``.

Owns command detection (``戻る``, ``/back`` …) and the yes/no/none/add/done vocabularies. Matching is
on the NFKC form, case-insensitive, with surrounding spaces (also full-width) removed.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from criteria.yamlfile import parse_yaml

CommandName = Literal["back", "skip", "edit", "status", "review", "export", "help", "quit", "start"]
COMMAND_NAMES: tuple[CommandName, ...] = (
    "back",
    "skip",
    "edit",
    "status",
    "review",
    "export",
    "help",
    "quit",
    "start",
)


def fold(text: str) -> str:
    """The comparison form of a word: NFKC, stripped, lower case."""
    return unicodedata.normalize("NFKC", text).strip().lower()


@dataclass(frozen=True)
class Words:
    """All vocabularies of ``words.yaml``, folded."""

    commands: dict[str, CommandName]
    yes: frozenset[str]
    no: frozenset[str]
    none: frozenset[str]
    record_add: frozenset[str]
    record_done: frozenset[str]
    record_delete: frozenset[str]
    record_edit: frozenset[str]
    list_separators: str
    choice_separators: str
    display: dict[str, str]

    def command(self, text: str) -> tuple[CommandName, str] | None:
        """``(name, argument)`` when ``text`` starts with a command word, else ``None``."""
        folded = fold(text)
        if not folded:
            return None
        head, _, rest = folded.partition(" ")
        name = self.commands.get(head)
        if name is None:
            return None
        return name, rest.strip()


def _set(data: dict[str, object], key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"words.yaml: {key}: expected a list of strings")
    return frozenset(fold(v) for v in value)


@functools.cache
def words() -> Words:
    """The shipped vocabularies, loaded once and validated."""
    raw = parse_yaml(Path(__file__).with_name("words.yaml").read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("words.yaml: expected a mapping")
    data = cast(dict[str, object], raw)
    commands: dict[str, CommandName] = {}
    raw_commands = data.get("commands")
    if not isinstance(raw_commands, dict):
        raise ValueError("words.yaml: commands: expected a mapping")
    for name, aliases in raw_commands.items():
        if name not in COMMAND_NAMES:
            raise ValueError(f"words.yaml: commands.{name}: unknown command")
        if not isinstance(aliases, list):
            raise ValueError(f"words.yaml: commands.{name}: expected a list")
        for alias in aliases:
            commands[fold(str(alias))] = cast(CommandName, name)
    seps = data.get("list_separators")
    csep = data.get("choice_separators")
    if not isinstance(seps, str) or not isinstance(csep, str):
        raise ValueError("words.yaml: separators must be strings")
    return Words(
        commands=commands,
        yes=_set(data, "yes"),
        no=_set(data, "no"),
        none=_set(data, "none"),
        record_add=_set(data, "record_add"),
        record_done=_set(data, "record_done"),
        record_delete=_set(data, "record_delete"),
        record_edit=_set(data, "record_edit"),
        list_separators=seps,
        choice_separators=csep,
        display=_display(data),
    )


def _display(data: dict[str, object]) -> dict[str, str]:
    raw = data.get("display")
    needed = {"yes", "no", "none", "list_joiner", "fiscal_year", "calendar_year"}
    if not isinstance(raw, dict) or not needed <= set(raw):
        raise ValueError(f"words.yaml: display: expected {', '.join(sorted(needed))}")
    return {str(k): str(v) for k, v in raw.items()}
