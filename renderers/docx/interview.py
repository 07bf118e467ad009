"""Chooses the questions a reviewer is likely to ask in the 面談審査 (別紙2 of the draft).

Owns the reading and validation of ``interview.yaml`` and the rule that picks questions from a
``CheckReport``. First the core questions every applicant faces (実施能力, 自治体の関与, 継続の
見通し) and, for a former 地方版IoT推進ラボ, the transition ones (IoT→DX の差分) — always, however
complete the draft. Then, per viewpoint: the questions of every sub-requirement found thin or
absent (by slug, or made from its label), of every warning or error finding (by the longest
prefix of its code, or else by its field), of an unread KPI target or deadline, and the
viewpoint's own questions when it is judged weak or missing (the optional 「その他」 only when it
has something to say). General questions come last.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from criteria.report import VIEWPOINT_SLUGS, CheckReport, Finding, RequirementResult
from renderers.messages import message

_PATH = Path(__file__).with_name("interview.yaml")
_INDEX = re.compile(r"\[\d*\]")


@dataclass(frozen=True)
class InterviewQuestion:
    """One expected question and the viewpoint (or group) it belongs to."""

    group: str
    text: str


@dataclass(frozen=True)
class _Bank:
    per_viewpoint: int
    total: int
    viewpoints: dict[str, tuple[str, ...]]
    codes: dict[str, tuple[str, ...]]
    fields: dict[str, str]
    general: tuple[str, ...]
    transition: tuple[str, ...]
    core: tuple[InterviewQuestion, ...] = ()
    requirements: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)


def _questions(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(q, str) and q.strip() for q in value):
        raise ValueError(f"{_PATH.name}: {where} must be a list of non-empty strings")
    return tuple(value)


def _mapping(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(f"{_PATH.name}: {key} must be a mapping")
    return value


def parse_bank(data: Any) -> _Bank:
    """Validate the content of ``interview.yaml``; raises ``ValueError`` naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{_PATH.name}: expected a mapping")
    limits = _mapping(data, "limits")
    per_viewpoint, total = limits.get("per_viewpoint", 3), limits.get("total", 15)
    if not (isinstance(per_viewpoint, int) and isinstance(total, int) and per_viewpoint > 0 and total > 0):
        raise ValueError(f"{_PATH.name}: limits must be positive integers")
    viewpoints = {k: _questions(v, f"viewpoints.{k}") for k, v in _mapping(data, "viewpoints").items()}
    unknown = set(viewpoints) - set(VIEWPOINT_SLUGS)
    if unknown:
        raise ValueError(f"{_PATH.name}: unknown viewpoints {sorted(unknown)}")
    codes = {k: _questions(v, f"codes.{k}") for k, v in _mapping(data, "codes").items()}
    fields = _mapping(data, "fields")
    for name, code in fields.items():
        if code not in codes:
            raise ValueError(f"{_PATH.name}: fields.{name} names unknown code {code!r}")
    core = data.get("core", [])
    if not isinstance(core, list) or not all(
        isinstance(q, dict)
        and set(q) == {"group", "text"}
        and all(isinstance(v, str) and v.strip() for v in q.values())
        for q in core
    ):
        raise ValueError(f"{_PATH.name}: core must be a list of {{group, text}} with non-empty strings")
    requirements = {k: _questions(v, f"requirements.{k}") for k, v in _mapping(data, "requirements").items()}
    return _Bank(
        core=tuple(InterviewQuestion(q["group"], q["text"]) for q in core),
        requirements=requirements,
        per_viewpoint=per_viewpoint,
        total=total,
        viewpoints=viewpoints,
        codes=codes,
        fields=dict(fields),
        general=_questions(data.get("general", []), "general"),
        transition=_questions(data.get("transition", []), "transition"),
    )


@functools.cache
def _bank() -> _Bank:
    return parse_bank(yaml.safe_load(_PATH.read_text(encoding="utf-8")))


def _for_finding(bank: _Bank, finding: Finding) -> tuple[str, ...]:
    parts = finding.code.split(".")
    for end in range(len(parts), 0, -1):
        found = bank.codes.get(".".join(parts[:end]))
        if found:
            return found
    segments = [_INDEX.sub("", s) for s in finding.field.split(".") if s]
    for segment in reversed(segments):
        code = bank.fields.get(segment)
        if code is not None:
            return bank.codes[code]
    return ()


def _for_requirement(bank: _Bank, requirement: RequirementResult) -> tuple[str, ...]:
    """The questions of a sub-requirement found thin or absent: by slug, else from its label."""
    parts = requirement.slug.split(".")
    for end in range(len(parts), 0, -1):
        found = bank.requirements.get(".".join(parts[:end]))
        if found:
            return found
    label = " ".join(requirement.label.split())
    if not label:
        return ()
    return (message(f"docx.interview_requirement_{requirement.status}", label=label),)


def _unique(questions: list[str], seen: set[str], limit: int) -> list[str]:
    kept: list[str] = []
    for text in questions:
        if text not in seen and len(kept) < limit:
            seen.add(text)
            kept.append(text)
    return kept


def interview_questions(
    report: CheckReport,
    *,
    transition: bool = False,
    unread_targets: bool = False,
    unread_deadlines: bool = False,
) -> tuple[InterviewQuestion, ...]:
    """The expected interview questions for ``report``: the core ones first, then the most pressing.

    ``unread_targets`` / ``unread_deadlines``: a KPI has no readable target / deadline (asked under
    方向性 even when no finding says so).
    """
    bank = _bank()
    seen: set[str] = set()
    chosen: list[InterviewQuestion] = []
    for question in bank.core:
        if question.text not in seen:
            seen.add(question.text)
            chosen.append(question)
    if transition:
        group = message("docx.interview_group_transition")
        chosen += [
            InterviewQuestion(group, q) for q in _unique(list(bank.transition), seen, len(bank.transition))
        ]
    raised: list[InterviewQuestion] = []

    problems = [f for f in report.eligibility.findings if f.severity != "ok"]
    candidates = [q for f in problems for q in _for_finding(bank, f)]
    if not report.eligibility.municipality_participates:
        candidates += list(bank.codes.get("eligibility", ()))
    group = message("docx.eligibility_label")
    raised += [InterviewQuestion(group, q) for q in _unique(candidates, seen, bank.per_viewpoint)]

    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        if result is None:
            continue
        thin = [r for r in result.requirements if r.status in ("thin", "absent") and slug != "other"]
        candidates = [q for r in thin for q in _for_requirement(bank, r)]
        candidates += [q for f in result.findings if f.severity != "ok" for q in _for_finding(bank, f)]
        if slug == "direction":
            if unread_targets:
                candidates += list(bank.codes.get("kpi.no_target", ()))
            if unread_deadlines:
                candidates += list(bank.codes.get("kpi.no_deadline", ()))
        optional_absent = slug == "other" and result.verdict == "missing"
        if (result.verdict != "meets" or thin) and not optional_absent:
            candidates += list(bank.viewpoints.get(slug, ()))
        raised += [InterviewQuestion(result.label, q) for q in _unique(candidates, seen, bank.per_viewpoint)]

    chosen += raised[: bank.total]
    group = message("docx.interview_group_general")
    chosen += [InterviewQuestion(group, q) for q in _unique(list(bank.general), seen, len(bank.general))]
    return tuple(chosen)
