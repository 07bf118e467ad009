"""The guided eligibility questionnaire: questions as data, a verdict with cited reasons.

Owns the short questionnaire a person answers before starting an application (who runs the
secretariat, whether a municipality takes part and consented, type ① / ②, joint application,
municipal DX, data platform) and the verdict — 対象になります / 事務局に確認してください /
まだ要件を満たしていません — with each reason citing the seed passage or public fact it rests on.
Questions, verdict labels and rules live in ``eligibility_questionnaire.yaml``; this module only
reads typed answers and applies the rules. It is pure: no I/O, no state between calls, so every
channel (terminal, Slack buttons, Telegram keyboards) can carry the answers so far itself.

A typed secretariat that is an organisation's name (「みなと市 産業振興課」「みなと商工会議所」) is
read with ``criteria.eligibility.is_municipal_name``; ``answers_from_application`` pre-fills the
answers from a draft with the same rules the checks use.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from criteria.application import Application, InitiativeType
from criteria.data import DataModel, load
from criteria.eligibility import check_eligibility, is_municipal_name, municipal_members
from criteria.public_facts import Citation, cite, require_sources

Status = Literal["eligible", "confirm", "not_yet"]
_SEVERITY: dict[str, int] = {"eligible": 0, "confirm": 1, "not_yet": 2}
_SPLIT = str.maketrans({"、": ",", "，": ",", "・": ",", "/": ",", " ": ",", "　": ","})

Answers = Mapping[str, tuple[str, ...]]


class Choice(DataModel):
    value: str = Field(min_length=1)
    label: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class Combo(DataModel):
    """A common answer of several choices, offered as one button (``answer`` as typed: "1,2")."""

    label: str = Field(min_length=1)
    answer: str = Field(pattern=r"^[0-9]+(,[0-9]+)+$")


class Question(DataModel):
    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    prompt: str
    help: str = ""
    multiple: bool = False
    choices: tuple[Choice, ...] = Field(min_length=2)
    combos: tuple[Combo, ...] = ()

    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice:
        for item in self.choices:
            if item.value == value:
                return item
        raise KeyError(value)


class Rule(DataModel):
    id: str
    when: dict[str, tuple[str, ...]]
    status: Status
    reason: str
    sources: tuple[str, ...] = Field(min_length=1)


class Outcomes(DataModel):
    eligible: str
    confirm: str
    not_yet: str


class QuestionnaireFile(DataModel):
    questions: tuple[Question, ...]
    outcomes: Outcomes
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> QuestionnaireFile:
        by_id = {q.id: q for q in self.questions}
        for rule in self.rules:
            require_sources(rule.sources, f"rule {rule.id}")
            for key, values in rule.when.items():
                if key not in by_id:
                    raise ValueError(f"rule {rule.id}: unknown question {key!r}")
                unknown = set(values) - set(by_id[key].values())
                if unknown:
                    raise ValueError(f"rule {rule.id}: {key} has no choice {sorted(unknown)}")
        return self


DATA = load("eligibility_questionnaire.yaml", QuestionnaireFile)


@dataclass(frozen=True, kw_only=True)
class Reason:
    """One reason of the verdict: what it means for the applicant and what it rests on."""

    rule: str
    status: Status
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, kw_only=True)
class EligibilityVerdict:
    """The verdict (worst status of the reasons), its label and the reasons in question order."""

    status: Status
    label: str
    reasons: tuple[Reason, ...]
    answers: Mapping[str, tuple[str, ...]]


def questions() -> tuple[Question, ...]:
    """The questions, in the order they are asked."""
    return DATA.questions


def question(question_id: str) -> Question:
    for item in DATA.questions:
        if item.id == question_id:
            return item
    raise KeyError(question_id)


def outcome_label(status: Status) -> str:
    return str(getattr(DATA.outcomes, status))


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _one(item: Question, token: str) -> str | None:
    key = _key(token)
    if not key:
        return None
    for number, choice in enumerate(item.choices, start=1):
        names = (str(number), choice.value, choice.label, *choice.aliases)
        if key in {_key(name) for name in names}:
            return choice.value
    return None


def parse_answer(question_id: str, text: str) -> tuple[str, ...] | None:
    """The choice values a typed answer means, or ``None`` when it is not understood.

    A number (``2``), a value (``other``), a label or an alias (「はい」「自治体」) all work; for the
    types question several at once (``1,2``, 「①・②」). For the secretariat an organisation's name
    is read as municipal or not (「みなと市 産業振興課」 → municipality).
    """
    item = question(question_id)
    if item.multiple:
        parts = [p for p in unicodedata.normalize("NFKC", text).translate(_SPLIT).split(",") if p.strip()]
        found: list[str] = []
        for part in parts:
            value = _one(item, part)
            if value is None:
                return None
            if value not in found:
                found.append(value)
        if not found:
            return None
        real = [v for v in found if v in ("project", "company_support")]
        return tuple(real) if real else (found[0],)
    value = _one(item, text)
    if value is None and question_id == "secretariat" and len(_key(text)) >= 2:
        value = "municipality" if is_municipal_name(text) else "other"
    return None if value is None else (value,)


def next_question(answers: Answers) -> Question | None:
    """The first question not answered yet, or ``None`` when every question has an answer."""
    for item in DATA.questions:
        if not answers.get(item.id):
            return item
    return None


def _holds(rule: Rule, answers: Answers) -> bool:
    return all(set(answers.get(key, ())) & set(values) for key, values in rule.when.items())


def evaluate(answers: Answers) -> EligibilityVerdict:
    """The verdict for the answers given (unanswered questions add no reason).

    Raises ``ValueError`` for an answer that is not a choice of its question.
    """
    clean: dict[str, tuple[str, ...]] = {}
    for key, values in answers.items():
        item = question(key)
        bad = [v for v in values if v not in item.values()]
        if bad:
            raise ValueError(f"{key}: not a choice: {bad}")
        clean[key] = tuple(values)
    reasons = tuple(
        Reason(
            rule=rule.id,
            status=rule.status,
            text=rule.reason,
            citations=tuple(cite(ref) for ref in rule.sources),
        )
        for rule in DATA.rules
        if _holds(rule, clean)
    )
    missing = next_question(clean) is not None
    status: Status = max((r.status for r in reasons), key=_SEVERITY.__getitem__, default="confirm")
    if missing and status == "eligible":
        status = "confirm"
    return EligibilityVerdict(status=status, label=outcome_label(status), reasons=reasons, answers=clean)


def answers_from_application(app: Application) -> dict[str, tuple[str, ...]]:
    """Answers read from a draft (what it says; questions it does not answer are left out)."""
    found: dict[str, tuple[str, ...]] = {}
    members = municipal_members(app)
    if app.secretariat.strip():
        municipal = is_municipal_name(app.secretariat, members)
        found["secretariat"] = ("municipality" if municipal else "other",)
        if members or municipal:
            consent_due = any(f.code == "eligibility.no_consent" for f in check_eligibility(app).findings)
            found["municipality"] = ("member",) if consent_due else ("consented",)
    if app.members and not members and "municipality" not in found:
        found["municipality"] = ("none",)
    types = [t.value for t in app.initiative_types] or [i.type.value for i in app.initiatives if i.type]
    if types:
        order = (InitiativeType.PROJECT.value, InitiativeType.COMPANY_SUPPORT.value)
        found["types"] = tuple(v for v in order if v in types)
    if app.joint_regions:
        found["joint"] = ("yes",)
    if app.other.data_platform.strip():
        found["data_platform"] = ("yes",)
    return found
