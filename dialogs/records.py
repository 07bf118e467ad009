"""Records steps (members, KPIs, key persons): entered field by field, then 'add another / done'.

Owns the record sub-dialog: the menu of records so far (追加 / 完了 / 削除 N / 編集 N), the entry of
one record field by field (with derivers such as a KPI sentence filling later fields), and whole
records submitted at once (a Slack modal). A half-entered record lives in the person's cursor, so
it survives a restart; skipping or leaving it keeps what was typed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs import flow_names, inputs, progress, views
from dialogs.events import RECORD_ADD, RECORD_DELETE, RECORD_DONE, RECORD_EDIT
from dialogs.flow import RecordField, RecordSpec, Step
from dialogs.replies import RecordFieldQuestion
from dialogs.state import RecordEntry
from dialogs.steps import TurnContext, choice_value
from dialogs.words import fold, words


class RecordTurn:
    """The records part of one turn, for one records step (a ``dialogs.steps.StepHandler``)."""

    def __init__(self, turn: TurnContext, step: Step) -> None:
        assert step.record is not None
        self.turn = turn
        self.step = step
        self.spec: RecordSpec = step.record

    # --- helpers ---------------------------------------------------------------------------

    def records(self) -> list[dict[str, Any]]:
        value = self.turn.draft.answers.get(self.step.field)
        return [dict(r) for r in value if isinstance(r, dict)] if isinstance(value, list) else []

    @property
    def entry(self) -> RecordEntry | None:
        return self.turn.cursor.entry

    def set_entry(self, entry: RecordEntry | None) -> None:
        self.turn.set_cursor(entry=entry, awaiting="answer" if entry else "record_menu")

    def field(self, index: int) -> RecordField:
        return self.spec.fields[index]

    def defaults(self) -> dict[str, Any]:
        """Fields a new record takes from a step's answer (``default_from``): the plan's one
        chosen type, say. With several chosen (or none), the field is asked."""
        values: dict[str, Any] = {}
        for spec_field in self.spec.fields:
            if spec_field.default_from is None:
                continue
            answer = self.turn.draft.answers.get(spec_field.default_from)
            items = answer if isinstance(answer, list) else [answer] if isinstance(answer, str) else []
            if len(items) == 1 and any(c.value == items[0] for c in spec_field.choices):
                values[spec_field.name] = items[0]
        return values

    def start_entry(self) -> RecordEntry:
        """Begin a new record, its defaulted fields filled (and the person told how to change them)."""
        values = self.defaults()
        entry = RecordEntry(values=values)
        self.set_entry(entry)
        for spec_field in self.spec.fields:
            if spec_field.name in values:
                self.turn.say(
                    "record_field_defaulted",
                    label=spec_field.label,
                    value=self.display(spec_field, values[spec_field.name], values) or "",
                    number=len(self.records()) + 1,
                )
        return entry

    # --- asking ----------------------------------------------------------------------------

    def ask(self) -> None:
        entry = self.entry
        if entry is None and self.turn.cursor.awaiting != "record_menu":
            if self.records():
                self.turn.set_cursor(awaiting="record_menu")
            else:
                entry = self.start_entry()
        if entry is None:
            self.turn.replies.append(views.record_menu(self.turn.flow, self.turn.draft, self.step))
            return
        spec_field = self.field(entry.field_index)
        current = entry.values.get(spec_field.name)
        number = (entry.editing + 1) if entry.editing is not None else len(self.records()) + 1
        defaulted = self.defaults() if entry.editing is None else {}
        asked = [
            i
            for i, f in enumerate(self.spec.fields)
            if i == entry.field_index
            or f.name not in defaulted
            or entry.values.get(f.name) != defaulted[f.name]
        ]
        self.turn.replies.append(
            RecordFieldQuestion(
                step_id=self.step.id,
                record_label=self.spec.label,
                number=number,
                field_name=spec_field.name,
                label=spec_field.label,
                kind=spec_field.kind,
                example=spec_field.example,
                required=spec_field.required,
                choices=spec_field.choices,
                progress=progress.progress(self.turn.flow, self.turn.draft, self.step),
                field_index=sum(1 for i in asked if i < entry.field_index),
                field_count=len(asked),
                current=self.display(spec_field, current, entry.values),
                intro=self.step.prompt if entry.field_index == 0 and entry.editing is None else "",
            )
        )

    def display(self, spec_field: RecordField, value: Any, values: Any) -> str | None:
        return progress.field_display(spec_field, value, values)

    # --- the menu --------------------------------------------------------------------------

    def text(self, text: str) -> None:
        if self.entry is not None:
            self.answer_field(text)
            return
        if self.turn.cursor.awaiting != "record_menu":
            self.ask()
            return
        folded = fold(text)
        head, _, rest = folded.partition(" ")
        w = words()
        if head in w.record_delete or head in w.record_edit:
            self.act_on_record(head in w.record_delete, rest)
        elif folded in w.record_add:
            self.start_entry()
            self.ask()
        elif folded in w.record_done:
            self.done()
        else:
            self.turn.say("invalid_record_menu")
            self.ask()

    def act(self, action: str, value: str) -> None:
        """A record menu's button: add, done, or edit / delete record number ``value``."""
        if self.entry is not None or self.turn.cursor.awaiting != "record_menu":
            self.turn.say("stale_button")
            self.ask()
            return
        if action == RECORD_ADD:
            self.start_entry()
            self.ask()
        elif action == RECORD_DONE:
            self.done()
        elif action in (RECORD_EDIT, RECORD_DELETE):
            self.act_on_record(action == RECORD_DELETE, value)
        else:
            self.turn.say("stale_button")
            self.ask()

    def pick(self, value: str) -> None:
        """A choice button of the field being asked (its value or number, taken as it is)."""
        entry = self.entry
        if entry is None:
            self.text(value)  # an older record-menu keyboard (1 追加 / 2 完了)
            return
        spec_field = self.field(entry.field_index)
        chosen = choice_value(value, spec_field.choices) if spec_field.choices else None
        if chosen is None:
            self.turn.say("stale_button")
            self.ask()
            return
        self.take_field(entry, spec_field, chosen)

    def skip(self) -> bool:
        if self.entry is None:
            return False
        self.skip_field()
        return True

    def act_on_record(self, delete: bool, number_text: str) -> None:
        records = self.records()
        number = inputs.parse_number_input(number_text)
        index = int(number.value) - 1 if isinstance(number, inputs.Parsed) else -1
        if not 0 <= index < len(records):
            self.turn.say("invalid_record_number", count=len(records))
            self.ask()
            return
        if delete:
            removed = progress.record_summary(self.spec, records.pop(index))
            self.turn.save(self.step.field, records, title=self.step.title, shown="")
            self.turn.say("record_deleted", summary=removed)
            self.turn.set_cursor(awaiting="record_menu")
            self.ask()
            return
        self.set_entry(RecordEntry(field_index=0, values=records[index], editing=index))
        self.ask()

    def done(self) -> None:
        if self.step.field in self.turn.draft.review:
            draft = self.turn.draft
            self.turn.set_draft(replace(draft, review=draft.review - {self.step.field}))
        self.turn.set_cursor(awaiting="answer", entry=None)
        self.turn.advance(self.step)

    # --- entering one record -----------------------------------------------------------------

    def answer_field(self, text: str) -> None:
        entry = self.entry
        assert entry is not None
        spec_field = self.field(entry.field_index)
        if inputs.is_blank(text):
            if spec_field.required and not entry.values.get(spec_field.name):
                self.turn.say("empty_required", title=spec_field.label, example=spec_field.example)
                self.ask()
                return
            self.next_field(entry)
            return
        result = inputs.parse_field(spec_field, text)
        if isinstance(result, inputs.Invalid):
            self.turn.say(result.key, **dict(result.params))
            self.ask()
            return
        self.take_field(entry, spec_field, result.value)

    def take_field(self, entry: RecordEntry, spec_field: RecordField, value: Any) -> None:
        """Keep one field's value (derivers fill later fields), then ask the next field."""
        values = dict(entry.values)
        if spec_field.kind == "year":
            year, fiscal = value
            values[spec_field.name] = year
            values["fiscal_year"] = fiscal
        else:
            values[spec_field.name] = value
        if spec_field.derive is not None:
            derived = flow_names.derive(spec_field.derive, values)
            if derived:
                for key, value in derived.items():
                    if entry.editing is not None or not values.get(key):
                        values[key] = value
                shown = {
                    f.label: self.display(f, values.get(f.name), values) or ""
                    for f in self.spec.fields
                    if f.name in derived
                }
                self.turn.say("derived", values=shown)
        self.next_field(replace(entry, values=values))

    def next_field(self, entry: RecordEntry) -> None:
        """Go to the next field still to ask (all of them when redoing a record)."""
        index = entry.field_index + 1
        while index < len(self.spec.fields):
            name = self.spec.fields[index].name
            if entry.editing is not None or entry.values.get(name) in (None, ""):
                break
            index += 1
        if index >= len(self.spec.fields):
            self.finish(entry)
            return
        self.set_entry(replace(entry, field_index=index))
        self.ask()

    def skip_field(self) -> None:
        entry = self.entry
        assert entry is not None
        self.next_field(entry)

    def back(self) -> bool:
        """Back one field of the record being entered; ``False`` when none is being entered."""
        entry = self.entry
        if entry is None:
            return False
        if entry.field_index > 0:
            self.set_entry(replace(entry, field_index=entry.field_index - 1))
            self.ask()
            return True
        if entry.values and entry.editing is None:
            self.finish(entry)
            return True
        self.set_entry(None)
        if self.records():
            self.ask()
            return True
        previous = self.turn.previous_step(self.step)
        if previous is None:
            self.turn.say("no_previous")
            self.set_entry(entry)
            self.ask()
            return True
        self.turn.go(previous)
        return True

    def finish(self, entry: RecordEntry) -> None:
        """Store the record (even incomplete: nothing typed is dropped) and show the menu."""
        records = self.records()
        record = {k: v for k, v in entry.values.items()}
        if entry.editing is not None and 0 <= entry.editing < len(records):
            records[entry.editing] = record
        else:
            records.append(record)
        self.turn.set_cursor(entry=None, awaiting="record_menu")
        summary = progress.record_summary(self.spec, record)
        self.turn.save(self.step.field, records, title=self.spec.label, shown=summary)
        missing = [f.label for f in self.spec.fields if f.required and record.get(f.name) in (None, "")]
        if missing:
            self.turn.say("record_incomplete", fields=missing)
        self.ask()

    def submit(self, values: dict[str, Any], index: int | None) -> None:
        """A whole record at once (a modal); values are parsed like typed answers."""
        record: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec_field in self.spec.fields:
            raw = values.get(spec_field.name)
            if raw is None or (isinstance(raw, str) and inputs.is_blank(raw)):
                continue
            result = inputs.parse_field(spec_field, str(raw))
            if isinstance(result, inputs.Invalid):
                errors[spec_field.name] = result.key
                continue
            if spec_field.kind == "year":
                record[spec_field.name], record["fiscal_year"] = result.value
            else:
                record[spec_field.name] = result.value
        for key, value in self.defaults().items():
            record.setdefault(key, value)
        for spec_field in self.spec.fields:
            if spec_field.derive is not None and record.get(spec_field.name):
                for key, value in flow_names.derive(spec_field.derive, record).items():
                    if record.get(key) in (None, ""):
                        record[key] = value
        if errors:
            self.turn.say("record_invalid", fields=[f.label for f in self.spec.fields if f.name in errors])
            self.turn.set_cursor(awaiting="record_menu")
            self.ask()
            return
        self.finish(RecordEntry(values=record, editing=index))
