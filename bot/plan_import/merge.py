"""Importing into a draft that already has answers: what would change, and what to write.

Owns the comparison of imported answers with the current draft — answers that would be added
(the draft has none) and answers that would be replaced — and the three choices a person has:
replace (``all``), fill only what is empty (``only_empty``), or change nothing. The store keeps
every earlier answer in the history whichever is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from dialogs.flow import Flow
from dialogs.progress import display_value
from dialogs.state import is_answered

Choice = Literal["all", "only_empty", "none"]
_SHOWN_CHARS = 40


@dataclass(frozen=True)
class Change:
    """One answer the import would set: ``old`` is ``None`` when the draft has no answer yet."""

    field: str
    title: str
    old: str | None
    new: str


@dataclass(frozen=True)
class Diff:
    added: tuple[Change, ...]
    changed: tuple[Change, ...]
    unchanged: int

    @property
    def conflicts(self) -> bool:
        """Whether the import would replace an answer someone gave."""
        return bool(self.changed)


def _shown(flow: Flow, path: str, value: Any) -> str:
    step = flow.step_for_field(path)
    text = display_value(step, value) if step is not None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _title(flow: Flow, path: str) -> str:
    step = flow.step_for_field(path)
    return step.title if step is not None else path


def diff(flow: Flow, current: Mapping[str, Any], imported: Mapping[str, Any]) -> Diff:
    """How ``imported`` would change ``current`` (flow order; unknown fields last)."""
    order = {step.field: n for n, step in enumerate(flow.steps)}
    added: list[Change] = []
    changed: list[Change] = []
    unchanged = 0
    for path in sorted(imported, key=lambda p: (order.get(p, len(order)), p)):
        new = imported[path]
        old = current.get(path)
        if old == new:
            unchanged += 1
            continue
        change = Change(
            field=path,
            title=_title(flow, path),
            old=_shown(flow, path, old) if is_answered(old) else None,
            new=_shown(flow, path, new),
        )
        (changed if change.old is not None else added).append(change)
    return Diff(added=tuple(added), changed=tuple(changed), unchanged=unchanged)


def chosen_answers(imported: Mapping[str, Any], found: Diff, choice: Choice) -> dict[str, Any]:
    """The answers to write for ``choice`` (only those that differ from the draft)."""
    if choice == "none":
        return {}
    fields = [c.field for c in found.added]
    if choice == "all":
        fields += [c.field for c in found.changed]
    return {path: imported[path] for path in fields}
