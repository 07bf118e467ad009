"""Runs every sub-requirement's assessor on an application and sums it up as a ``CheckReport``.

Owns how a reviewer's reading becomes a report: each viewpoint's sub-requirements
(``requirements.yaml``) are assessed on the whole application, each gives a status with the
evidence it quoted, and the viewpoint's verdict follows ``criteria.requirements.verdict_of``
(missing if a core sub-requirement is absent; weak if one is thin or a non-core one absent; meets
otherwise; その他 always meets). Readiness is the mean over the five viewpoints other than その他
of meets = 1, weak = 0.5, missing = 0, two decimals — so it is 100 % only when every viewpoint
meets (a KPI without a readable target or deadline makes 方向性 weak).

Eligibility (a municipality takes part) is reported separately and does not enter readiness; the
自治体の積極性と継続性 viewpoint already goes missing without a municipality.
"""

from __future__ import annotations

from collections.abc import Mapping

from criteria import checks
from criteria.application import Application
from criteria.checks.context import Context
from criteria.data import DataError
from criteria.eligibility import check_eligibility
from criteria.report import VIEWPOINT_SLUGS, CheckReport, Finding, RequirementResult, Verdict, ViewpointResult
from criteria.requirements import REQUIREMENTS, Requirement, verdict_of
from criteria.viewpoints import VIEWPOINTS

_SCORES: dict[Verdict, float] = {"meets": 1.0, "weak": 0.5, "missing": 0.0}


def _validate_names() -> None:
    """Every sub-requirement has its assessor registered for that viewpoint, and every one is used."""
    listed: set[str] = set()
    for slug, items in REQUIREMENTS.items():
        for item in items:
            try:
                check = checks.get(item.slug)
            except KeyError as exc:
                raise DataError(f"requirements.yaml: viewpoints.{slug}: {exc.args[0]}") from None
            if check.viewpoint != slug:
                where = f"requirements.yaml: viewpoints.{slug}"
                raise DataError(f"{where}: {item.slug!r} judges {check.viewpoint!r}")
            listed.add(item.slug)
    unused = sorted(set(checks.registered()) - listed)
    if unused:
        raise DataError(f"requirements.yaml: registered assessors not listed under any viewpoint: {unused}")


_validate_names()


def readiness(results: Mapping[str, ViewpointResult]) -> float:
    """Mean of meets 1 / weak 0.5 / missing 0 over the viewpoints other than その他, 2 decimals."""
    scored = [
        _SCORES[results[slug].verdict] for slug in VIEWPOINT_SLUGS if slug != "other" and slug in results
    ]
    return round(sum(scored) / len(scored), 2) if scored else 0.0


def check_viewpoint(slug: str, ctx: Context) -> ViewpointResult:
    """The verdict, sub-requirements and findings of one viewpoint."""
    pairs: list[tuple[Requirement, RequirementResult]] = []
    findings: list[Finding] = []
    for spec in REQUIREMENTS[slug]:
        assessment = checks.get(spec.slug).function(ctx)
        result = RequirementResult(
            slug=spec.slug,
            label=spec.label,
            seed=spec.seed,
            status=assessment.status,
            evidence=list(assessment.evidence),
        )
        pairs.append((spec, result))
        findings.extend(assessment.findings)
    return ViewpointResult(
        label=VIEWPOINTS[slug].label,
        verdict=verdict_of(slug, pairs),
        findings=findings,
        requirements=[result for _, result in pairs],
    )


def run_checks(app: Application) -> CheckReport:
    """Check ``app`` against the six viewpoints and the eligibility rule."""
    ctx = Context.of(app)
    results = {slug: check_viewpoint(slug, ctx) for slug in VIEWPOINT_SLUGS}
    return CheckReport(
        viewpoints=results,
        eligibility=check_eligibility(app),
        bonus=list(ctx.bonus),
        kpis=list(ctx.kpis),
        readiness=readiness(results),
    )
