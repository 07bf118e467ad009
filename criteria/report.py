"""The result of checking an application: findings, verdicts per viewpoint, readiness.

Owns the stable JSON shape printed by ``dxlab check --json`` (DESIGN.md §3). Other tools read it:
extend it compatibly, never rename a key.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["ok", "warn", "error"]
Verdict = Literal["meets", "weak", "missing"]

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
    ``viewpoint`` is the slug of the viewpoint it belongs to (empty for eligibility findings).
    """

    code: str
    severity: Severity
    field: str
    message: str
    hint: str = ""
    viewpoint: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity of a finding across two checks of the same draft."""
        return (self.code, self.field)


class ViewpointResult(_Frozen):
    """The verdict and findings of one 審査の視点."""

    label: str
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)


class EligibilityResult(_Frozen):
    """Whether the basic requirement (a municipality takes part) holds."""

    municipality_participates: bool
    findings: list[Finding] = Field(default_factory=list)


class ParsedKpi(_Frozen):
    """A KPI as the checks understood it (from its fields or its free text)."""

    text: str = ""
    kind: str | None = None
    indicator: str = ""
    target_value: int | float | None = None
    unit: str = ""
    target_year: int | None = None
    fiscal_year: bool | None = None


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
