"""The question flow: loads ``flow.yaml`` into frozen definitions and validates it.

Owns the shape of the flow (sections, steps, record fields, conditions) and every rule a flow file
must obey. Errors name the file and the key (``flow.yaml: sections[2].steps[1].kind: ...``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from criteria.yamlfile import parse_yaml
from dialogs import flow_names
from dialogs.words import words

StepKind = Literal["text", "list", "yesno", "choice", "multichoice", "records"]
FieldKind = Literal["text", "choice", "number", "year"]

FLOW_PATH = Path(__file__).with_name("flow.yaml")


class FlowError(ValueError):
    """A flow file that does not describe a valid flow."""


# --- the file format (pydantic, only at the edge) -------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Condition(_Strict):
    field: str
    equals: Any = None
    contains: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> _Condition:
        if (self.equals is None) == (self.contains is None):
            raise ValueError("a condition needs exactly one of 'equals' or 'contains'")
        return self


class _RecordField(_Strict):
    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = True
    example: str = ""
    choices_from: str | None = None
    derive: str | None = None
    default_from: str | None = None


class _Record(_Strict):
    label: str
    summary: str
    fields: list[_RecordField] = Field(min_length=1)


class _Step(_Strict):
    id: str
    field: str
    kind: StepKind
    title: str
    prompt: str
    required: bool = True
    example: str = ""
    help: str = ""
    when: _Condition | None = None
    depends_on: list[str] = Field(default_factory=list)
    choices_from: str | None = None
    record: _Record | None = None


class _Section(_Strict):
    id: str
    title: str
    steps: list[_Step] = Field(min_length=1)


class _FlowFile(_Strict):
    sections: list[_Section] = Field(min_length=1)


# --- the definitions the engine uses ---------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One option of a choice question."""

    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show a step only when ``field`` equals a value or contains an item."""

    field: str
    equals: Any = None
    contains: str | None = None

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.field)
        if self.contains is not None:
            return isinstance(value, list) and self.contains in value
        return bool(value == self.equals)


@dataclass(frozen=True)
class RecordField:
    """One field of a record (asked one by one in the chat)."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    example: str
    choices: tuple[Choice, ...] = ()
    derive: str | None = None
    #: A step's field whose answer, when it holds exactly one of this field's choices, fills it
    #: (not asked for a new record; asked again when the record is edited).
    default_from: str | None = None


@dataclass(frozen=True)
class RecordSpec:
    """How one record of a records step is entered and summarised."""

    label: str
    summary: str
    fields: tuple[RecordField, ...]


@dataclass(frozen=True)
class Step:
    """One question; it fills the Application field ``field``."""

    id: str
    field: str
    kind: StepKind
    title: str
    prompt: str
    required: bool
    example: str
    help: str
    section_id: str
    section_title: str
    when: Condition | None = None
    depends_on: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    record: RecordSpec | None = None


@dataclass(frozen=True)
class Section:
    """A group of steps shown under one heading."""

    id: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Flow:
    """The whole question flow, in order."""

    sections: tuple[Section, ...]
    steps: tuple[Step, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.steps:
            object.__setattr__(self, "steps", tuple(s for sec in self.sections for s in sec.steps))

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)

    def step_for_field(self, field_path: str) -> Step | None:
        """The step that fills an Application field path (``kpis[1].unit`` → the kpis step)."""
        base = field_path.split("[", 1)[0]
        for step in self.steps:
            if step.field == base:
                return step
        for step in self.steps:
            if step.field.startswith(base + "."):
                return step
        return None

    def dependants(self, field_path: str) -> tuple[Step, ...]:
        """Steps whose answer must be reviewed when ``field_path`` changes."""
        return tuple(
            s
            for s in self.steps
            if field_path in s.depends_on or (s.when is not None and s.when.field == field_path)
        )


def _yesno_choices() -> tuple[Choice, ...]:
    shown = words().display
    return (Choice("yes", shown["yes"]), Choice("no", shown["no"]))


def _choices(name: str | None, where: str) -> tuple[Choice, ...]:
    if name is None:
        return ()
    try:
        return tuple(Choice(value, label) for value, label in flow_names.choices(name))
    except KeyError as exc:
        raise FlowError(f"{where}.choices_from: unknown choice list '{name}'") from exc


def _build(model: _FlowFile, source: str) -> Flow:
    sections: list[Section] = []
    seen_ids: set[str] = set()
    seen_fields: set[str] = set()
    for si, sec in enumerate(model.sections):
        steps: list[Step] = []
        for ti, raw in enumerate(sec.steps):
            where = f"{source}: sections[{si}].steps[{ti}]"
            if raw.id in seen_ids:
                raise FlowError(f"{where}.id: duplicate step id '{raw.id}'")
            if raw.field in seen_fields:
                raise FlowError(f"{where}.field: field '{raw.field}' is filled by two steps")
            if not flow_names.is_application_field(raw.field):
                raise FlowError(f"{where}.field: '{raw.field}' is not a field of the Application")
            seen_ids.add(raw.id)
            seen_fields.add(raw.field)
            if raw.kind in ("choice", "multichoice") and raw.choices_from is None:
                raise FlowError(f"{where}.choices_from: a {raw.kind} step needs a choice list")
            if (raw.kind == "records") != (raw.record is not None):
                raise FlowError(f"{where}.record: only and every records step has a record")
            record = None
            if raw.record is not None:
                fields = []
                for fi, rf in enumerate(raw.record.fields):
                    fwhere = f"{where}.record.fields[{fi}]"
                    if rf.kind == "choice" and rf.choices_from is None:
                        raise FlowError(f"{fwhere}.choices_from: a choice field needs a choice list")
                    if rf.derive is not None and not flow_names.has_deriver(rf.derive):
                        raise FlowError(f"{fwhere}.derive: unknown deriver '{rf.derive}'")
                    fields.append(
                        RecordField(
                            name=rf.name,
                            label=rf.label,
                            kind=rf.kind,
                            required=rf.required,
                            example=rf.example,
                            choices=_choices(rf.choices_from, fwhere),
                            derive=rf.derive,
                            default_from=rf.default_from,
                        )
                    )
                record = RecordSpec(raw.record.label, raw.record.summary, tuple(fields))
            when = None
            if raw.when is not None:
                when = Condition(raw.when.field, raw.when.equals, raw.when.contains)
            steps.append(
                Step(
                    id=raw.id,
                    field=raw.field,
                    kind=raw.kind,
                    title=raw.title,
                    prompt=raw.prompt,
                    required=raw.required,
                    example=raw.example,
                    help=raw.help,
                    section_id=sec.id,
                    section_title=sec.title,
                    when=when,
                    depends_on=tuple(raw.depends_on),
                    choices=_yesno_choices() if raw.kind == "yesno" else _choices(raw.choices_from, where),
                    record=record,
                )
            )
        sections.append(Section(sec.id, sec.title, tuple(steps)))
    flow = Flow(tuple(sections))
    for step in flow.steps:
        refs = list(step.depends_on) + ([step.when.field] if step.when else [])
        for ref in refs:
            if ref not in seen_fields:
                raise FlowError(f"{source}: step '{step.id}' refers to '{ref}', which no step fills")
        for spec in step.record.fields if step.record is not None else ():
            if spec.default_from is not None and spec.default_from not in seen_fields:
                raise FlowError(
                    f"{source}: step '{step.id}' field '{spec.name}' defaults from '{spec.default_from}', "
                    "which no step fills"
                )
    return flow


def parse_flow(data: object, *, source: str = "flow") -> Flow:
    """Validate already-parsed YAML data as a flow."""
    try:
        model = _FlowFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FlowError(f"{source}: {where}: {first['msg']}") from exc
    return _build(model, source)


def load_flow(path: Path) -> Flow:
    """Load and validate a flow file."""
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FlowError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_flow(data, source=path.name)


@functools.cache
def default_flow() -> Flow:
    """The shipped flow (``dialogs/flow.yaml``), loaded once."""
    return load_flow(FLOW_PATH)
