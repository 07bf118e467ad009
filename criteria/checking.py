"""Runs every viewpoint check on an application (placeholder until the checks land)."""

from __future__ import annotations

from criteria.application import Application
from criteria.report import VIEWPOINT_SLUGS, CheckReport, EligibilityResult, ViewpointResult

_LABELS = {
    "direction": "方向性",
    "regionality": "地域性",
    "transformation": "変革",
    "municipal_commitment": "自治体の積極性と継続性",
    "diversity": "多様性と一体感",
    "other": "その他",
}


def run_checks(app: Application) -> CheckReport:
    """Check ``app`` against the six viewpoints and the eligibility rule."""
    del app
    return CheckReport(
        viewpoints={s: ViewpointResult(label=_LABELS[s], verdict="missing") for s in VIEWPOINT_SLUGS},
        eligibility=EligibilityResult(municipality_participates=False),
    )
