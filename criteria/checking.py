"""Runs every viewpoint check on an application and sums it up as a ``CheckReport``.

Owns the verdict and readiness rules:

- A viewpoint whose core fields (``viewpoints.yaml``) are all empty is ``missing``, with the single
  finding ``<slug>.empty``; its checks are not run. Otherwise its registered checks run in order.
- Verdict: ``missing`` if a finding has severity error, ``weak`` if one has severity warn,
  ``meets`` otherwise. その他 only ever reports ok findings, so it always ``meets``.
- Readiness: the mean over the five viewpoints other than その他 of meets = 1, weak = 0.5,
  missing = 0, rounded to two decimals (3 meets, 1 weak, 1 missing → 0.7).

Eligibility (a municipality takes part) is reported separately and does not enter readiness; the
自治体の積極性と継続性 viewpoint already goes missing without a municipality.
"""

from __future__ import annotations

from collections.abc import Mapping

from criteria import checks
from criteria.application import Application
from criteria.checks.context import Context, has_content
from criteria.data import DataError
from criteria.eligibility import check_eligibility
from criteria.findings import CATALOGUE, finding
from criteria.report import VIEWPOINT_SLUGS, CheckReport, Finding, Verdict, ViewpointResult
from criteria.viewpoints import VIEWPOINTS

_SCORES: dict[Verdict, float] = {"meets": 1.0, "weak": 0.5, "missing": 0.0}


def _validate_names() -> None:
    """Every check named in viewpoints.yaml is registered for that viewpoint, and every check is used."""
    listed: set[str] = set()
    for slug, spec in VIEWPOINTS.items():
        for name in spec.checks:
            try:
                check = checks.get(name)
            except KeyError as exc:
                raise DataError(f"viewpoints.yaml: viewpoints.{slug}.checks: {exc.args[0]}") from None
            if check.viewpoint != slug:
                raise DataError(
                    f"viewpoints.yaml: viewpoints.{slug}.checks: {name!r} judges {check.viewpoint!r}"
                )
            listed.add(name)
        if spec.core_fields and f"{slug}.empty" not in CATALOGUE:
            raise DataError(f"findings.yaml: {slug}.empty: required for a viewpoint with core_fields")
    unused = sorted(set(checks.registered()) - listed)
    if unused:
        raise DataError(f"viewpoints.yaml: registered checks not listed under any viewpoint: {unused}")


_validate_names()


def verdict_of(findings: list[Finding]) -> Verdict:
    """missing if any error, weak if any warning, meets otherwise."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "missing"
    if "warn" in severities:
        return "weak"
    return "meets"


def readiness(results: Mapping[str, ViewpointResult]) -> float:
    """Mean of meets 1 / weak 0.5 / missing 0 over the viewpoints other than その他, 2 decimals."""
    scored = [
        _SCORES[results[slug].verdict] for slug in VIEWPOINT_SLUGS if slug != "other" and slug in results
    ]
    return round(sum(scored) / len(scored), 2) if scored else 0.0


def check_viewpoint(slug: str, ctx: Context) -> ViewpointResult:
    """The verdict and findings of one viewpoint."""
    spec = VIEWPOINTS[slug]
    if spec.core_fields and not any(has_content(getattr(ctx.app, name)) for name in spec.core_fields):
        found = [finding(f"{slug}.empty")]
    else:
        found = [item for name in spec.checks for item in checks.get(name).function(ctx)]
    return ViewpointResult(label=spec.label, verdict=verdict_of(found), findings=found)


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
