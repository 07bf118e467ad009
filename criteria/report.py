"""The result of checking an application: findings, verdicts per viewpoint, readiness.

Owns the stable JSON shape printed by ``dxlab check --json`` (DESIGN.md §3). Other tools read it:
extend it compatibly, never rename a key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["ok", "warn", "error"]
Verdict = Literal["meets", "weak", "missing"]
RequirementStatus = Literal["met", "thin", "absent", "not_applicable"]

VIEWPOINT_SLUGS: tuple[str, ...] = (
    "direction",
    "regionality",
    "transformation",
    "municipal_commitment",
    "diversity",
    "other",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Finding(_Frozen):
    """One observation about one field, in the words a reviewer would use.

    ``code`` is stable (``kpi.no_deadline``), ``field`` names the Application field
    (``kpis[1]``, ``vision``), ``message`` says what is seen and ``hint`` how to make it stronger.
    ``viewpoint`` is the slug of the viewpoint it belongs to (empty for eligibility findings) and
    ``requirement`` the sub-requirement it was found for (``direction.indicators``; empty for
    eligibility findings).
    """

    code: str
    severity: Severity
    field: str
    message: str
    hint: str = ""
    viewpoint: str = ""
    requirement: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity of a finding across two checks of the same draft."""
        return (self.code, self.field)


class Evidence(_Frozen):
    """A passage of the application a sub-requirement relied on: where it is and what it says."""

    field: str
    quote: str


class RequirementResult(_Frozen):
    """One sub-requirement of a viewpoint (``transformation.model_change``) as a reviewer reads it.

    ``status``: ``met`` (evidence found), ``thin`` (related text, but unclear or lacking what is
    named), ``absent`` (nothing found anywhere), ``not_applicable`` (the application's shape does
    not call for it, e.g. a self-reliance scenario for a lab of ② company support only).
    ``evidence`` quotes what was relied on; ``seed`` is the programme's sentence it comes from.
    """

    slug: str
    label: str
    seed: str
    status: RequirementStatus
    evidence: list[Evidence] = Field(default_factory=list)


class ViewpointResult(_Frozen):
    """The verdict, the sub-requirements and the findings of one 審査の視点."""

    label: str
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)
    requirements: list[RequirementResult] = Field(default_factory=list)


class EligibilityResult(_Frozen):
    """Whether the basic requirement (a municipality takes part) holds."""

    municipality_participates: bool
    findings: list[Finding] = Field(default_factory=list)


class ParsedKpi(_Frozen):
    """A KPI as the checks understood it (from its fields or its free text).

    ``target_*`` is what the KPI aims at, ``baseline_*`` the starting point it is measured from
    (「（基準値 3社）」, 「現状」, 「0.6億円→1.5億円」) and its own year; ``qualifier`` keeps what the
    indicator says of itself (「累計」, 「年間」); ``relative_change`` a change written relative to the
    baseline (「三割増」 → ``+30%``). Absent values are ``None`` / ``""``.
    """

    text: str = ""
    kind: str | None = None
    indicator: str = ""
    target_value: int | float | None = None
    unit: str = ""
    target_year: int | None = None
    fiscal_year: bool | None = None
    baseline_value: int | float | None = None
    baseline_unit: str = ""
    baseline_year: int | None = None
    qualifier: str = ""
    relative_change: str = ""


class CheckReport(_Frozen):
    """Everything ``dxlab check`` says about one application."""

    viewpoints: dict[str, ViewpointResult]
    eligibility: EligibilityResult
    bonus: list[str] = Field(default_factory=list)
    kpis: list[ParsedKpi] = Field(default_factory=list)
    readiness: float = 0.0

    def all_findings(self) -> list[Finding]:
        """Every finding, eligibility first, then viewpoints in the official order."""
        found = list(self.eligibility.findings)
        for slug in VIEWPOINT_SLUGS:
            result = self.viewpoints.get(slug)
            if result is not None:
                found.extend(result.findings)
        return found

    def problems(self) -> list[Finding]:
        """Findings that are warnings or errors."""
        return [f for f in self.all_findings() if f.severity != "ok"]
