"""The edit menu (修正 / /edit): jump back to any answered question, by number or by name.

Owns resolving what the person asked to edit (a number of the menu, a step id, field or title, or
part of a title or section) and the jump itself, which remembers where the person was so that they
come back there once the edited question is answered. The engine's turn is the ``EditTurnContext``.
"""

from __future__ import annotations

from typing import Protocol

from criteria.bounded import bounded_int
from dialogs import progress
from dialogs.flow import Step
from dialogs.steps import TurnContext
from dialogs.words import fold

#: ``return_to`` when the person was past the last question.
DONE = "__done__"


class EditTurnContext(TurnContext, Protocol):
    def ask(self) -> None: ...


class EditMenuTurn:
    """The edit menu's part of one turn."""

    def __init__(self, turn: EditTurnContext) -> None:
        self.turn = turn

    def targets(self) -> tuple[Step, ...]:
        return progress.active_steps(self.turn.flow, self.turn.draft)

    def resolve(self, argument: str) -> Step | None:
        key = fold(argument)
        targets = self.targets()
        if key.isdigit():
            index = bounded_int(key)
            return targets[index - 1] if index is not None and 1 <= index <= len(targets) else None
        for step in self.turn.flow.steps:
            if key in (fold(step.id), fold(step.field), fold(step.title)):
                return step
        partial = [s for s in targets if key and (key in fold(s.title) or key in fold(s.section_title))]
        return partial[0] if partial else None

    def edit(self, argument: str) -> None:
        """``修正``: the menu; ``修正 ビジョン`` / ``修正 3``: that question at once."""
        if not argument.strip():
            self.turn.set_cursor(awaiting="edit_menu", entry=None)
            self.turn.ask()
            return
        self.jump(argument)

    def pick(self, text: str) -> None:
        """An answer to the menu (a number or a name)."""
        self.turn.set_cursor(awaiting="answer")
        self.jump(text, menu=True)

    def jump(self, argument: str, *, menu: bool = False) -> None:
        turn = self.turn
        target = self.resolve(argument)
        if target is None or not progress.is_active(target, turn.draft):
            turn.say("edit_unknown", argument=argument)
            if menu:
                turn.set_cursor(awaiting="edit_menu")
            turn.ask()
            return
        if turn.cursor.return_to is None:
            here = DONE if turn.cursor.done else turn.cursor.step_id
            if here is not None and here != target.id:
                turn.set_cursor(return_to=here)
        turn.go(target)
