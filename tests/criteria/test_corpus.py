"""The reviewer's corpus: dxlab must say what a reviewer says (tests/criteria/corpus/).

Each labelled application states the verdict per viewpoint, the status of every sub-requirement,
the reading of every KPI and a rationale from the seed. Any disagreement fails, except those listed
in ``KNOWN`` (each with the reason it is left); a known one that starts agreeing fails too, so the
list only ever shrinks. ``python -m benchmarks --only agreement`` prints the figures.
"""

from __future__ import annotations

import pytest

from benchmarks.agreement import Case, compare, figures, load_cases
from criteria.checking import run_checks

CASES = load_cases()

#: (case id, what, key) → why it is left. Empty: every label agrees.
KNOWN: dict[tuple[str, str, str], str] = {}


def test_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 30
    kinds = {case.kind for case in CASES}
    assert kinds == {"strong", "weak", "allowed"}
    assert sum(case.application.transition_from_iot_lab for case in CASES) >= 3
    assert sum(len(case.expected.get("kpis") or []) for case in CASES) >= 90


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_agrees_with_the_reviewer(case: Case) -> None:
    found = compare(case)
    unexpected = [str(d) for d in found if (d.case, d.what, d.key) not in KNOWN]
    assert unexpected == []
    fixed = [
        key for key in KNOWN if key[0] == case.id and key not in {(d.case, d.what, d.key) for d in found}
    ]
    assert fixed == [], "now agrees: remove from KNOWN"


_PENALTY_CHECKS = {
    "joint_application": lambda r, c: all(
        f.severity == "ok" for f in r.all_findings() if f.field == "joint_regions"
    ),
    "municipal_dx": lambda r, c: r.viewpoints["regionality"].verdict == c.expected["verdicts"]["regionality"],
    "no_data_platform": lambda r, c: all(f.severity == "ok" for f in r.viewpoints["other"].findings),
    "iot_transition": lambda r, c: True,
    "key_persons_by_title": lambda r, c: _status(r, "municipal_commitment.people") == "met",
    "company_support_without_revenue": lambda r, c: (
        _status(r, "municipal_commitment.self_reliance") == "not_applicable"
    ),
    "non_municipal_secretariat": lambda r, c: r.eligibility.municipality_participates,
    "municipality_not_in_members": lambda r, c: (
        r.eligibility.municipality_participates and _status(r, "municipal_commitment.operation") == "met"
    ),
}


def _status(report: object, slug: str) -> str:
    for result in report.viewpoints.values():  # type: ignore[attr-defined]
        for item in result.requirements:
            if item.slug == slug:
                return str(item.status)
    return ""


@pytest.mark.parametrize("case", [c for c in CASES if c.allowed_patterns], ids=lambda c: c.id)
def test_allowed_patterns_are_never_penalised(case: Case) -> None:
    report = run_checks(case.application)
    for pattern in case.allowed_patterns:
        assert pattern in _PENALTY_CHECKS, pattern
        assert _PENALTY_CHECKS[pattern](report, case), pattern


def test_agreement_meets_the_bar() -> None:
    result = figures(CASES)
    assert result["verdicts"]["percent"] >= 97.0
    assert result["kpi_targets_baselines_years"]["percent"] == 100.0
    assert result["allowed_pattern_cases_penalised"]["penalised"] == 0


def test_every_met_requirement_quotes_its_evidence() -> None:
    for case in CASES:
        report = run_checks(case.application)
        for result in report.viewpoints.values():
            for item in result.requirements:
                if item.status == "met":
                    assert item.evidence, (case.id, item.slug)
                    assert all(e.quote for e in item.evidence)
