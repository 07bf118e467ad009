"""The verdict and readiness rules, eligibility, and the report's shape."""

from __future__ import annotations

import json

import pytest

from criteria.application import Application, Member
from criteria.checking import readiness, run_checks
from criteria.eligibility import check_eligibility, is_municipal_name
from criteria.report import VIEWPOINT_SLUGS, RequirementResult, ViewpointResult
from criteria.requirements import REQUIREMENTS, verdict_of


def _judged(viewpoint: str, *statuses: str) -> list[tuple[object, RequirementResult]]:
    specs = REQUIREMENTS[viewpoint]
    return [
        (spec, RequirementResult(slug=spec.slug, label=spec.label, seed=spec.seed, status=status))  # type: ignore[arg-type]
        for spec, status in zip(specs, statuses, strict=True)
    ]


def test_verdict_rule_reads_the_sub_requirements() -> None:
    # direction: vision, plan, indicators (core) and management (not core)
    assert verdict_of("direction", _judged("direction", "met", "met", "met", "met")) == "meets"
    assert verdict_of("direction", _judged("direction", "met", "met", "met", "absent")) == "weak"
    assert verdict_of("direction", _judged("direction", "met", "met", "thin", "met")) == "weak"
    assert verdict_of("direction", _judged("direction", "met", "absent", "met", "met")) == "missing"
    # a sub-requirement that does not apply never weakens the verdict
    assert (
        verdict_of(
            "municipal_commitment", _judged("municipal_commitment", "met", "met", "not_applicable", "met")
        )
        == "meets"
    )
    # その他 is optional: absent items never make it weak
    assert verdict_of("other", _judged("other", "absent", "absent", "absent")) == "meets"


def test_readiness_rule_counts_weak_as_half_and_ignores_other() -> None:
    def results(*verdicts: str) -> dict[str, ViewpointResult]:
        return {
            slug: ViewpointResult(label=slug, verdict=v)
            for slug, v in zip(VIEWPOINT_SLUGS, verdicts, strict=True)
        }

    assert readiness(results("meets", "meets", "meets", "weak", "missing", "meets")) == 0.7
    assert readiness(results("meets", "meets", "meets", "meets", "meets", "missing")) == 1.0
    assert readiness(results("weak", "weak", "weak", "weak", "weak", "meets")) == 0.5
    assert readiness({}) == 0.0


def test_report_shape_is_the_stable_json(full_app: Application) -> None:
    data = json.loads(json.dumps(run_checks(full_app).model_dump(mode="json"), ensure_ascii=False))
    assert set(data) == {"viewpoints", "eligibility", "bonus", "kpis", "readiness"}
    assert list(data["viewpoints"]) == list(VIEWPOINT_SLUGS)
    assert data["viewpoints"]["direction"]["label"] == "方向性"
    assert set(data["eligibility"]) == {"municipality_participates", "findings"}
    assert set(data["kpis"][0]) == {
        "text",
        "kind",
        "indicator",
        "target_value",
        "unit",
        "target_year",
        "fiscal_year",
        "baseline_value",
        "baseline_unit",
        "baseline_year",
        "qualifier",
        "relative_change",
    }
    for result in data["viewpoints"].values():
        assert set(result) == {"label", "verdict", "findings", "requirements"}
        for item in result["findings"]:
            assert set(item) == {"code", "severity", "field", "message", "hint", "viewpoint", "requirement"}
        for req in result["requirements"]:
            assert set(req) == {"slug", "label", "seed", "status", "evidence"}
            for ev in req["evidence"]:
                assert set(ev) == {"field", "quote"}


def test_partial_application(partial_app: Application) -> None:
    report = run_checks(partial_app)
    verdicts = {slug: r.verdict for slug, r in report.viewpoints.items()}
    assert verdicts == {
        "direction": "missing",  # no initiative at all: the plan, a core sub-requirement, is absent
        "regionality": "weak",
        "transformation": "weak",  # 「生産性を高めます」: efficiency only, no change of model
        "municipal_commitment": "weak",
        "diversity": "weak",
        "other": "meets",
    }
    assert report.readiness == 0.4
    assert report.eligibility.municipality_participates
    assert report.kpis[0].target_value == 30
    assert report.kpis[0].unit == "社"
    codes = [f.code for f in report.problems()]
    assert "kpi.no_deadline" in codes and "vision.no_wellbeing" in codes


def test_findings_carry_their_viewpoint(full_app: Application, partial_app: Application) -> None:
    for app in (full_app, partial_app):
        report = run_checks(app)
        for slug, result in report.viewpoints.items():
            assert all(f.viewpoint == slug for f in result.findings)
        assert all(f.viewpoint == "" for f in report.eligibility.findings)


def test_each_missing_viewpoint_says_why() -> None:
    report = run_checks(Application())
    for result in report.viewpoints.values():
        if result.verdict != "meets":
            assert any(f.severity == "error" for f in result.findings)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("みなと市", True),
        ("みなと市 産業振興部 デジタル産業課", True),
        ("海浜県 商工労働部", True),
        ("さくら町役場", True),
        ("県庁", True),
        ("みなと商工会議所", False),
        ("株式会社みなと水産", False),
        ("みなと市観光協会事務局", False),
        ("一般社団法人みなと市DX推進協議会", False),
        ("みなと信用金庫", False),
        ("", False),
    ],
)
def test_is_municipal_name(name: str, expected: bool) -> None:
    assert is_municipal_name(name) is expected


def test_municipal_secretariat_counts_as_participation() -> None:
    result = check_eligibility(
        Application(secretariat="さくら町 企画課", members=[Member(name="さくら精密", category="企業")])
    )
    assert result.municipality_participates
    assert result.findings == []


def test_no_municipality_is_an_error() -> None:
    result = check_eligibility(Application(members=[Member(name="さくら精密", category="企業")]))
    assert not result.municipality_participates
    assert [(f.code, f.severity, f.field) for f in result.findings] == [
        ("eligibility.no_municipality", "error", "members")
    ]
