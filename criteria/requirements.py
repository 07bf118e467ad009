"""The sub-requirements of each viewpoint (``requirements.yaml``) and what judging one gives.

Owns what each viewpoint is made of, as a reviewer reads it: per viewpoint, its sub-requirements
(slug, label, the seed sentence, whether it is the viewpoint's core, its natural fields), the
``Assessment`` an assessor returns for one of them, and the verdict rule:

- ``missing`` if a core sub-requirement is absent;
- ``weak`` if any sub-requirement is thin, or a non-core one is absent;
- ``meets`` otherwise. その他 is optional and always ``meets``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import field_validator

from criteria.data import DataModel, load
from criteria.report import VIEWPOINT_SLUGS, Evidence, Finding, RequirementResult, RequirementStatus, Verdict
from criteria.seed import require_quoted


class Requirement(DataModel):
    """One sub-requirement of a viewpoint."""

    slug: str
    label: str
    seed: str
    core: bool
    fields: tuple[str, ...]

    @field_validator("seed")
    @classmethod
    def _verbatim(cls, value: str) -> str:
        require_quoted([value], "seed")
        return value


class RequirementsFile(DataModel):
    """``requirements.yaml``: the sub-requirements per viewpoint and the field labels."""

    viewpoints: dict[str, tuple[Requirement, ...]]
    field_labels: dict[str, str]

    @field_validator("viewpoints")
    @classmethod
    def _all_six(cls, value: dict[str, tuple[Requirement, ...]]) -> dict[str, tuple[Requirement, ...]]:
        if tuple(value) != VIEWPOINT_SLUGS:
            raise ValueError(f"expected the viewpoints {', '.join(VIEWPOINT_SLUGS)} in this order")
        for slug, items in value.items():
            for item in items:
                if not item.slug.startswith(slug + "."):
                    raise ValueError(f"{item.slug!r} must start with {slug + '.'!r}")
        return value


_FILE = load("requirements.yaml", RequirementsFile)
REQUIREMENTS: dict[str, tuple[Requirement, ...]] = _FILE.viewpoints
FIELD_LABELS: dict[str, str] = _FILE.field_labels


def requirement(slug: str) -> Requirement:
    """The sub-requirement ``slug`` (``transformation.model_change``); ``KeyError`` if unknown."""
    viewpoint = slug.split(".", 1)[0]
    for item in REQUIREMENTS.get(viewpoint, ()):
        if item.slug == slug:
            return item
    raise KeyError(slug)


def field_label(path: str) -> str:
    """How a field path reads in a message: ``initiatives[1]`` → 取組内容（2番目）."""
    base, _, rest = path.partition("[")
    label = FIELD_LABELS.get(base, base)
    if rest:
        index = rest.rstrip("]")
        if index.isdigit() and len(index) < 6:
            return f"{label}（{int(index) + 1}番目）"
    return label


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """What an assessor found for one sub-requirement: its status, the evidence and findings."""

    status: RequirementStatus
    evidence: tuple[Evidence, ...] = ()
    findings: tuple[Finding, ...] = ()


def verdict_of(viewpoint: str, results: Iterable[tuple[Requirement, RequirementResult]]) -> Verdict:
    """The reviewer's verdict from the sub-requirements' statuses (see the module docstring)."""
    if viewpoint == "other":
        return "meets"
    verdict: Verdict = "meets"
    for spec, result in results:
        if result.status == "absent" and spec.core:
            return "missing"
        if result.status == "thin" or result.status == "absent":
            verdict = "weak"
    return verdict
