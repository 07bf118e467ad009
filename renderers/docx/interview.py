"""Chooses the questions a reviewer is likely to ask in the 面談審査 (別紙2 of the draft).

Owns the reading and validation of ``interview.yaml`` and the rule that picks questions from a
``CheckReport``: the questions of every viewpoint judged weak or missing (the optional 「その他」
only when it has something to say), and those of every warning or error finding, matched by the
longest prefix of its code or else by its field. General questions, and the transition ones for a
former 地方版IoT推進ラボ, come last.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from criteria.report import VIEWPOINT_SLUGS, CheckReport, Finding
from criteria.yamlfile import parse_yaml
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
    return _Bank(
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
    return parse_bank(parse_yaml(_PATH.read_text(encoding="utf-8")))


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


def _unique(questions: list[str], seen: set[str], limit: int) -> list[str]:
    kept: list[str] = []
    for text in questions:
        if text not in seen and len(kept) < limit:
            seen.add(text)
            kept.append(text)
    return kept


def interview_questions(report: CheckReport, *, transition: bool = False) -> tuple[InterviewQuestion, ...]:
    """The expected interview questions for ``report``, most pressing first."""
    bank = _bank()
    seen: set[str] = set()
    chosen: list[InterviewQuestion] = []

    problems = [f for f in report.eligibility.findings if f.severity != "ok"]
    candidates = [q for f in problems for q in _for_finding(bank, f)]
    if not report.eligibility.municipality_participates:
        candidates += list(bank.codes.get("eligibility", ()))
    group = message("docx.eligibility_label")
    chosen += [InterviewQuestion(group, q) for q in _unique(candidates, seen, bank.per_viewpoint)]

    for slug in VIEWPOINT_SLUGS:
        result = report.viewpoints.get(slug)
        if result is None:
            continue
        candidates = [q for f in result.findings if f.severity != "ok" for q in _for_finding(bank, f)]
        optional_absent = slug == "other" and result.verdict == "missing"
        if result.verdict != "meets" and not optional_absent:
            candidates += list(bank.viewpoints.get(slug, ()))
        chosen += [InterviewQuestion(result.label, q) for q in _unique(candidates, seen, bank.per_viewpoint)]

    chosen = chosen[: bank.total]
    if transition:
        group = message("docx.interview_group_transition")
        chosen += [
            InterviewQuestion(group, q) for q in _unique(list(bank.transition), seen, len(bank.transition))
        ]
    group = message("docx.interview_group_general")
    chosen += [InterviewQuestion(group, q) for q in _unique(list(bank.general), seen, len(bank.general))]
    return tuple(chosen)
