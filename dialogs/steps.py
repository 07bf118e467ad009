"""Step handlers: what a turn does with one kind of step, so the engine names no step or field.

Owns the ``TurnContext`` a handler works on (the engine's turn is one), the ``StepHandler``
protocol, and the handler of ordinary questions (text, list, yes/no, choice, multichoice). The
records handler is ``dialogs.records.RecordTurn``; the engine picks a handler by step kind.

Buttons are structured: a ``Pick`` carries a choice's value (or, on platforms with little room for
it, the choice's number), which is taken as it is — never re-read as typed text.
"""

from __future__ import annotations

from typing import Any, Protocol

from dialogs import inputs, progress
from dialogs.flow import Choice, Flow, Step
from dialogs.replies import Question, Reply
from dialogs.state import Cursor, Draft, digest


class TurnContext(Protocol):
    """What a step handler needs of the engine's turn."""

    flow: Flow
    replies: list[Reply]

    @property
    def draft(self) -> Draft: ...

    @property
    def cursor(self) -> Cursor: ...

    def set_cursor(self, **changes: Any) -> None: ...

    def set_draft(self, draft: Draft) -> None: ...

    def say(self, key: str, **params: Any) -> None: ...

    def go(self, step: Step | None) -> None: ...

    def previous_step(self, before: Step | None) -> Step | None: ...

    def advance(self, after: Step) -> None: ...

    def save(self, path: str, value: Any, *, title: str, shown: str | None = None) -> None: ...

    def skip_step(self, step: Step) -> None: ...

    def notice_overwrite(self, step: Step) -> None: ...


class StepHandler(Protocol):
    """One step's part of a turn. ``skip`` and ``back`` return ``False`` when the step has nothing
    of its own to skip or go back over (the turn then moves between steps)."""

    def ask(self) -> None: ...

    def text(self, text: str) -> None: ...

    def pick(self, value: str) -> None: ...

    def act(self, action: str, value: str) -> None: ...

    def skip(self) -> bool: ...

    def back(self) -> bool: ...


def choice_value(value: str, choices: tuple[Choice, ...]) -> str | None:
    """The choice a button means: its value, or its number (1-based) when the platform sends that."""
    for choice in choices:
        if choice.value == value:
            return choice.value
    if value.isdigit() and 1 <= int(value) <= len(choices):
        return choices[int(value) - 1].value
    return None


def picked_values(value: str, choices: tuple[Choice, ...]) -> list[str] | None:
    """The choices of a multichoice button (values or numbers, comma-separated), in choice order."""
    tokens = [t for t in value.split(",") if t]
    resolved = [choice_value(t, choices) for t in tokens]
    if not tokens or any(r is None for r in resolved):
        return None
    return [c.value for c in choices if c.value in resolved]


class QuestionStep:
    """An ordinary question: one answer for one field."""

    def __init__(self, turn: TurnContext, step: Step) -> None:
        self.turn = turn
        self.step = step

    def ask(self) -> None:
        step, draft = self.step, self.turn.draft
        self.turn.set_cursor(shown=digest(draft.answers.get(step.field)))
        self.turn.replies.append(
            Question(
                step_id=step.id,
                field=step.field,
                kind=step.kind,
                title=step.title,
                prompt=step.prompt,
                example=step.example,
                help=step.help,
                required=step.required,
                choices=step.choices,
                progress=progress.progress(self.turn.flow, draft, step),
                current=progress.current_display(step, draft),
                answered_by=draft.authors.get(step.field, ""),
                needs_review=step.field in draft.review,
            )
        )

    def text(self, text: str) -> None:
        step = self.step
        if inputs.is_blank(text):
            if step.required and not self.turn.draft.has_answer(step.field):
                self.turn.say("empty_required", title=step.title, example=step.example)
                self.ask()
                return
            self.turn.skip_step(step)
            return
        result = inputs.parse_step(step, text)
        if isinstance(result, inputs.Invalid):
            self.turn.say(result.key, **dict(result.params))
            self.ask()
            return
        self.take(result.value)

    def pick(self, value: str) -> None:
        """A button: the choice's value itself (no typed-text parsing)."""
        step = self.step
        taken: Any = None
        if step.kind in ("choice", "yesno"):
            chosen = choice_value(value, step.choices)
            taken = chosen if step.kind == "choice" or chosen is None else chosen == "yes"
        elif step.kind == "multichoice":
            taken = picked_values(value, step.choices)
        else:
            self.text(value)  # a free-text question has no buttons: treat the value as typed
            return
        if taken is None:
            self.turn.say("stale_button")
            self.ask()
            return
        self.take(taken)

    def take(self, value: Any) -> None:
        self.turn.notice_overwrite(self.step)
        self.turn.save(self.step.field, value, title=self.step.title)
        self.turn.advance(self.step)

    def act(self, action: str, value: str) -> None:
        self.turn.say("stale_button")  # questions have no actions of their own
        self.ask()

    def skip(self) -> bool:
        return False

    def back(self) -> bool:
        return False
