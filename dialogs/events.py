"""What can happen to a dialog: the engine's input events, platform-free.

Adapters turn a typed line, a Slack button or a Telegram callback into one of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dialogs.words import CommandName


@dataclass(frozen=True)
class Start:
    """The person opens the dialog (or comes back): show where they are."""


@dataclass(frozen=True)
class Text:
    """A typed message: an answer, or a command such as 戻る or /back."""

    text: str


@dataclass(frozen=True)
class Command:
    """A command from a button or a slash command.

    ``step_id``, when given, is the step the button was shown with: if the person has moved on
    since, the command is refused as stale (checked inside the turn's transaction).
    """

    name: CommandName
    argument: str = ""
    step_id: str | None = None


@dataclass(frozen=True)
class Pick:
    """A button pressed for one choice of ``step_id`` (ignored if that step is no longer asked)."""

    step_id: str
    value: str


#: The actions of a record menu's buttons (``Act``): add one, done, edit / delete record N.
RECORD_ADD = "record_add"
RECORD_DONE = "record_done"
RECORD_EDIT = "record_edit"
RECORD_DELETE = "record_delete"


@dataclass(frozen=True)
class Act:
    """A button that carries an action id and a value for ``step_id`` (never a word to re-parse):
    a record menu's 追加 / 完了 / 編集 N / 削除 N. Ignored as stale once that step is no longer asked."""

    step_id: str
    action: str
    value: str = ""


@dataclass(frozen=True)
class SubmitRecord:
    """A whole record submitted at once (a Slack modal); ``index`` replaces an existing record."""

    step_id: str
    values: Mapping[str, Any] = field(default_factory=dict)
    index: int | None = None


Event = Start | Text | Command | Pick | Act | SubmitRecord
