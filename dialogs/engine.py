"""The conversation engine: ``handle(state, event) -> (new_state, replies)``, pure and synchronous.

Owns the rules of the dialog: which question comes next, how commands are taken, which answers
are flagged 要再確認 when one they depend on changes, and which findings an answer changed. What
a step does with an answer, a button or an action is its step handler's (``dialogs.steps``,
``dialogs.records``), chosen by the step's kind; the engine names no step and no field (the
transition question's field comes from the composition root). It performs no I/O; storage and
platforms are the adapters' business.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from criteria.application import Application
from criteria.checking import run_checks
from criteria.report import CheckReport
from dialogs import feedback, progress, views
from dialogs.edit_menu import DONE, EditMenuTurn
from dialogs.events import Act, Command, Event, Pick, Start, SubmitRecord, Text
from dialogs.flow import Flow, Step, default_flow
from dialogs.records import RecordTurn
from dialogs.replies import (
    Completed,
    ExportRequest,
    Goodbye,
    HelpText,
    Notice,
    Reply,
    TransitionGap,
)
from dialogs.state import Cursor, DialogState, Draft, digest
from dialogs.steps import QuestionStep, StepHandler, TurnContext
from dialogs.words import CommandName, fold, words

Checker = Callable[[Application], CheckReport]
GapProvider = Callable[[], tuple[tuple[str, str], ...]]
TransitionMarks = Callable[[], frozenset[str]]
#: Step kind → its handler; every other kind is an ordinary question.
HANDLERS: dict[str, Callable[[TurnContext, Step], StepHandler]] = {"records": RecordTurn}
REPORT_CACHE_SIZE = 1024  # about 20 KB a report; one per recently active draft


SAVED_EXCERPT = 40  # characters of an answer repeated in 「…を保存しました」


def saved_excerpt(text: str) -> str:
    """The start of an answer, on one line, to confirm what was saved."""
    line = " ".join(text.split())
    return line if len(line) <= SAVED_EXCERPT else line[: SAVED_EXCERPT - 1] + "…"


def _no_gap() -> tuple[tuple[str, str], ...]:
    return ()


def _no_marks() -> frozenset[str]:
    return frozenset()


class Engine:
    """Runs one flow. Construct once; ``handle`` is pure and thread-safe."""

    def __init__(
        self,
        *,
        flow: Flow | None = None,
        checker: Checker = run_checks,
        transition_gap: GapProvider = _no_gap,
        transition_viewpoints: TransitionMarks = _no_marks,
        transition_field: str = "",
    ) -> None:
        """``transition_field`` is the yes/no answer that says the lab moves from a 地方版IoT推進ラボ:
        answering it yes shows ``transition_gap``, and the scorecard marks ``transition_viewpoints``."""
        self.flow = flow or default_flow()
        self.checker = checker
        self.transition_gap = transition_gap
        self.transition_viewpoints = transition_viewpoints
        self.transition_field = transition_field
        self._reports: OrderedDict[str, CheckReport] = OrderedDict()
        self._cache_lock = threading.Lock()

    def handle(self, state: DialogState, event: Event) -> tuple[DialogState, list[Reply]]:
        """Apply ``event`` to ``state``; return the new state and the replies to show."""
        turn = _Turn(self, state)
        turn.notice_changes_by_others()
        if isinstance(event, Start):
            turn.start()
        elif isinstance(event, Text):
            command = words().command(event.text)
            if command is not None:
                turn.command(*command)
            else:
                turn.text(event.text)
        elif isinstance(event, Command):
            if event.step_id is not None and (turn.cursor.done or event.step_id != turn.cursor.step_id):
                turn.say("stale_button")
                turn.ask()
            else:
                turn.command(event.name, event.argument)
        elif isinstance(event, Pick):
            turn.pick(event.step_id, event.value)
        elif isinstance(event, Act):
            turn.act(event.step_id, event.action, event.value)
        elif isinstance(event, SubmitRecord):
            turn.submit_record(event.step_id, dict(event.values), event.index)
        return turn.state, turn.replies

    def report(self, draft: Draft) -> CheckReport:
        """The check report of a draft (the last few are remembered: a turn's "after" is the
        next turn's "before", so each answer costs one check, not two)."""
        key = digest(dict(draft.answers))
        with self._cache_lock:
            found = self._reports.get(key)
            if found is not None:
                self._reports.move_to_end(key)
                return found
        report = self.checker(draft.application())
        with self._cache_lock:
            self._reports[key] = report
            while len(self._reports) > REPORT_CACHE_SIZE:
                self._reports.popitem(last=False)
        return report


class _Turn:
    """One call of ``handle``: the state as it evolves and the replies gathered."""

    def __init__(self, engine: Engine, state: DialogState) -> None:
        self.engine = engine
        self.flow = engine.flow
        self.state = state
        self.replies: list[Reply] = []

    # --- state helpers ---------------------------------------------------------------------

    @property
    def draft(self) -> Draft:
        return self.state.draft

    @property
    def cursor(self) -> Cursor:
        return self.state.cursor

    def set_cursor(self, **changes: Any) -> None:
        self.state = replace(self.state, cursor=replace(self.cursor, **changes))

    def set_draft(self, draft: Draft) -> None:
        self.state = replace(self.state, draft=draft)

    def say(self, key: str, **params: Any) -> None:
        self.replies.append(Notice(key, params))

    def handler(self, step: Step) -> StepHandler:
        """The handler of ``step``'s kind, for this turn."""
        return HANDLERS.get(step.kind, QuestionStep)(self, step)

    def current_step(self) -> Step | None:
        step_id = self.cursor.step_id
        if step_id is None or not self.flow.has_step(step_id):
            return None
        return self.flow.step(step_id)

    # --- asking ----------------------------------------------------------------------------

    def ask(self) -> None:
        """Show the person what is being asked now."""
        if self.cursor.awaiting == "edit_menu":  # also after the last question: the list is shown
            self.replies.append(views.edit_menu(self.flow, self.draft))
            return
        if self.cursor.done:
            self.replies.append(Completed(self.missing_titles()))
            return
        step = self.current_step()
        if step is None:
            self.go(self.first_step())
            return
        self.handler(step).ask()

    def go(self, step: Step | None) -> None:
        """Move to ``step`` (or to the end when ``None``) and ask it."""
        if step is None:
            self.set_cursor(done=True, awaiting="answer", entry=None, return_to=None)
        else:
            self.set_cursor(step_id=step.id, done=False, awaiting="answer", entry=None)
        self.ask()

    def first_step(self) -> Step | None:
        steps = progress.active_steps(self.flow, self.draft)
        return steps[0] if steps else None

    def next_step(self, after: Step) -> Step | None:
        order = [s.id for s in self.flow.steps]
        position = order.index(after.id)
        for step in self.flow.steps[position + 1 :]:
            if progress.is_active(step, self.draft):
                return step
        return None

    def previous_step(self, before: Step | None) -> Step | None:
        steps = list(self.flow.steps)
        position = len(steps) if before is None else steps.index(before)
        for step in reversed(steps[:position]):
            if progress.is_active(step, self.draft):
                return step
        return None

    def advance(self, after: Step) -> None:
        """Go on after ``after`` was answered or skipped (back to where an edit started)."""
        target = self.cursor.return_to
        if target is not None:
            self.set_cursor(return_to=None)
            if target == DONE:
                self.go(None)
                return
            if self.flow.has_step(target) and progress.is_active(self.flow.step(target), self.draft):
                self.say("returned", title=self.flow.step(target).title)
                self.go(self.flow.step(target))
                return
        self.go(self.next_step(after))

    def missing_titles(self) -> tuple[str, ...]:
        return tuple(
            s.title
            for s in progress.active_steps(self.flow, self.draft)
            if s.required and progress.step_status(s, self.draft) in ("empty", "skipped")
        )

    # --- events ----------------------------------------------------------------------------

    def start(self) -> None:
        if self.cursor.step_id is None and not self.cursor.done:
            self.say("welcome", steps=progress.question_count(self.flow))
            self.replies.append(HelpText())
        else:
            self.say("welcome_back", percent=progress.percent_answered(self.flow, self.draft))
        self.ask()

    def text(self, text: str) -> None:
        if self.cursor.done and self.cursor.awaiting != "edit_menu":
            self.say("done_hint")
            self.ask()
            return
        if self.cursor.awaiting == "edit_menu":
            EditMenuTurn(self).pick(text)
            return
        step = self.current_step()
        if step is None:
            self.go(self.first_step())
            return
        self.handler(step).text(text)

    def button_step(self, step_id: str) -> Step | None:
        """The step a button was shown with, if it is still the one asked (else says it is stale)."""
        step = self.current_step()
        if self.cursor.step_id != step_id or self.cursor.done or self.cursor.awaiting == "edit_menu":
            step = None
        if step is None:
            self.say("stale_button")
            self.ask()
        return step

    def pick(self, step_id: str, value: str) -> None:
        step = self.button_step(step_id)
        if step is not None:
            self.handler(step).pick(value)

    def act(self, step_id: str, action: str, value: str) -> None:
        step = self.button_step(step_id)
        if step is not None:
            self.handler(step).act(action, value)

    def submit_record(self, step_id: str, values: dict[str, Any], index: int | None) -> None:
        if not self.flow.has_step(step_id) or self.flow.step(step_id).kind != "records":
            self.say("stale_button")
            self.ask()
            return
        step = self.flow.step(step_id)
        self.set_cursor(step_id=step.id, done=False, awaiting="answer", entry=None)
        RecordTurn(self, step).submit(values, index)

    # --- answers ---------------------------------------------------------------------------

    def notice_overwrite(self, step: Step) -> None:
        """Tell the person when someone else answered this question after it was shown to them."""
        current = self.draft.answers.get(step.field)
        author = self.draft.authors.get(step.field, "")
        if self.cursor.shown is None or digest(current) == self.cursor.shown or author == self.state.person:
            return
        self.say(
            "overwrote_other", title=step.title, name=author, previous=progress.display_value(step, current)
        )

    def notice_changes_by_others(self) -> None:
        """Tell the person which of their answers someone else has changed since."""
        mine = dict(self.cursor.mine)
        changed = []
        for path, mark in list(mine.items()):
            author = self.draft.authors.get(path, "")
            if not author or author == self.state.person:
                continue  # this person's answer is still the last one: nothing to compare
            if digest(self.draft.answers.get(path)) != mark:
                step = self.flow.step_for_field(path)
                changed.append((step.title if step else path, author))
            del mine[path]
        if len(mine) != len(self.cursor.mine):
            self.set_cursor(mine=mine)
            for title, author in changed:
                self.say("changed_by_other", title=title, name=author)

    def save(self, path: str, value: Any, *, title: str, shown: str | None = None) -> None:
        """Store an answer, flag what depends on it, and report what the check now says.

        The person is told what was saved: ``shown``, else the answer as displayed (shortened)."""
        before = self.draft
        changed = before.answers.get(path) != value
        draft = before.with_answer(path, value, author=self.state.person)
        flagged = []
        if changed and path in before.answers:
            for dependant in self.flow.dependants(path):
                if dependant.field != path and draft.has_answer(dependant.field):
                    draft = replace(draft, review=draft.review | {dependant.field})
                    flagged.append(dependant.title)
        self.set_draft(draft)
        self.set_cursor(mine={**self.cursor.mine, path: digest(value)})
        if shown is None:
            step = self.flow.step_for_field(path)
            shown = progress.display_value(step, value) if step is not None else ""
        self.say("saved", title=title, value=saved_excerpt(shown))
        if flagged:
            self.say("flagged_review", titles=flagged)
        transition = self.engine.transition_field
        if transition and path == transition and value is True and before.answers.get(path) is not True:
            gap = self.engine.transition_gap()
            if gap:
                self.replies.append(TransitionGap(gap))
        if changed:
            reached = feedback.reached_fields(self.flow, draft, self.cursor)
            update = feedback.update(self.engine.report(before), self.engine.report(draft), reached)
            if update is not None:
                self.replies.append(update)

    def skip(self) -> None:
        step = self.current_step()
        if step is None or self.cursor.done:
            self.ask()
            return
        if not self.handler(step).skip():
            self.skip_step(step)

    def skip_step(self, step: Step) -> None:
        """Leave ``step`` as it is (its answer kept, or marked skipped) and go on."""
        if self.draft.has_answer(step.field) or step.field in self.draft.answers:
            if step.field in self.draft.review:
                self.set_draft(replace(self.draft, review=self.draft.review - {step.field}))
            self.say("kept", title=step.title)
        else:
            self.set_draft(replace(self.draft, skipped=self.draft.skipped | {step.field}))
            self.say("skipped_required" if step.required else "skipped", title=step.title)
        self.advance(step)

    # --- commands --------------------------------------------------------------------------

    def command(self, name: CommandName, argument: str) -> None:
        if name == "start":
            self.start()
        elif name == "back":
            self.back()
        elif name == "skip":
            self.skip()
        elif name == "edit":
            EditMenuTurn(self).edit(argument)
        elif name == "status":
            self.replies.append(
                views.scorecard(
                    self.flow,
                    self.draft,
                    self.engine.report(self.draft),
                    self.transition_marks(),
                    feedback.pending_viewpoints(feedback.reached_fields(self.flow, self.draft, self.cursor)),
                )
            )
            self.ask()
        elif name == "review":
            self.replies.append(views.review(self.flow, self.draft, self.engine.report(self.draft)))
            self.ask()
        elif name == "export":
            self.replies.append(ExportRequest("json" if fold(argument) == "json" else "docx"))
        elif name == "help":
            self.replies.append(HelpText())
            self.ask()
        elif name == "quit":
            self.replies.append(Goodbye())

    def back(self) -> None:
        if self.cursor.awaiting == "edit_menu":
            self.set_cursor(awaiting="answer")
            self.ask()
            return
        step = self.current_step()
        if step is not None and not self.cursor.done and self.handler(step).back():
            return
        previous = self.previous_step(None if self.cursor.done else step)
        if previous is None:
            self.say("no_previous")
            self.ask()
            return
        self.set_cursor(return_to=None)
        self.go(previous)

    def transition_marks(self) -> frozenset[str]:
        transition = self.engine.transition_field
        if transition and self.draft.answers.get(transition) is True:
            return self.engine.transition_viewpoints()
        return frozenset()
