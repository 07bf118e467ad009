"""The state the engine works on: the shared draft of a lab and one person's cursor in it.

The draft is shared by everyone working on a lab's application; the cursor (where a person is,
a record half entered, a menu awaiting a number) is each person's own. Both are immutable; both
serialise to plain JSON so storage can keep them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import ValidationError

from criteria.application import Application

Awaiting = Literal["answer", "record_menu", "edit_menu"]


@dataclass(frozen=True)
class Draft:
    """A lab's answers, keyed by Application field path (``vision``, ``other.open_data``).

    ``skipped`` holds fields a person chose to skip; ``review`` fields flagged 要再確認 because an
    answer they depend on changed; ``authors`` who last answered each field (for display).
    """

    answers: Mapping[str, Any] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()
    review: frozenset[str] = frozenset()
    authors: Mapping[str, str] = field(default_factory=dict)

    def has_answer(self, path: str) -> bool:
        return is_answered(self.answers.get(path))

    def with_answer(self, path: str, value: Any, *, author: str = "") -> Draft:
        answers = dict(self.answers)
        answers[path] = value
        authors = dict(self.authors)
        if author:
            authors[path] = author
        return replace(
            self,
            answers=answers,
            authors=authors,
            skipped=self.skipped - {path},
            review=self.review - {path},
        )

    def application(self) -> Application:
        """The draft as an Application (fields that do not validate are left out, never lost)."""
        return build_application(self.answers)


def digest(value: Any) -> str:
    """A short fingerprint of a stored value (``None`` included), stable across processes."""
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def is_answered(value: Any) -> bool:
    """Whether a stored value counts as an answer (empty strings and lists do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict):
        return bool(value)
    return True


def build_application(answers: Mapping[str, Any]) -> Application:
    """Nest ``other.open_data``-style paths and validate; drop only the fields that fail."""
    data: dict[str, Any] = {}
    for path, value in answers.items():
        head, _, rest = path.partition(".")
        if rest:
            data.setdefault(head, {})[rest] = value
        else:
            data[head] = value
    try:
        return Application.model_validate(data)
    except ValidationError as exc:
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        return Application.model_validate({k: v for k, v in data.items() if k not in bad})


@dataclass(frozen=True)
class RecordEntry:
    """A record being entered field by field (``editing`` is the index of a record being redone)."""

    field_index: int = 0
    values: Mapping[str, Any] = field(default_factory=dict)
    editing: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"field_index": self.field_index, "values": dict(self.values), "editing": self.editing}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordEntry:
        return cls(
            field_index=int(data.get("field_index", 0)),
            values=dict(data.get("values") or {}),
            editing=data.get("editing"),
        )


@dataclass(frozen=True)
class Cursor:
    """Where one person is in the dialog.

    ``shown`` is the digest of the answer the current question showed (to notice when someone
    else answered it in the meantime); ``mine`` maps the fields this person answered to the
    digest of their answer (to tell them when someone else changed it afterwards).
    """

    step_id: str | None = None
    done: bool = False
    awaiting: Awaiting = "answer"
    entry: RecordEntry | None = None
    return_to: str | None = None
    shown: str | None = None
    mine: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "step_id": self.step_id,
            "done": self.done,
            "awaiting": self.awaiting,
            "entry": self.entry.to_json() if self.entry else None,
            "return_to": self.return_to,
            "shown": self.shown,
            "mine": dict(self.mine),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Cursor:
        if not data:
            return cls()
        awaiting = data.get("awaiting", "answer")
        entry = data.get("entry")
        return cls(
            step_id=data.get("step_id"),
            done=bool(data.get("done", False)),
            awaiting=awaiting if awaiting in ("answer", "record_menu", "edit_menu") else "answer",
            entry=RecordEntry.from_json(entry) if isinstance(entry, Mapping) else None,
            return_to=data.get("return_to"),
            shown=data.get("shown"),
            mine=dict(data.get("mine") or {}),
        )


@dataclass(frozen=True)
class DialogState:
    """Everything ``handle`` needs: the shared draft, this person's cursor and name."""

    draft: Draft = field(default_factory=Draft)
    cursor: Cursor = field(default_factory=Cursor)
    person: str = ""
