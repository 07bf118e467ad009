"""A table of Japanese answers and the findings and verdicts they should get (answer_cases.yaml)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from criteria.application import Application
from criteria.checking import run_checks
from criteria.findings import CATALOGUE
from criteria.report import CheckReport
from tests.criteria.conftest import load_fixture

_TABLE = yaml.safe_load((Path(__file__).parent / "answer_cases.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = _TABLE["cases"]


def _apply(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for key, value in patch.items():
        if key == "other" and isinstance(value, dict):
            data.setdefault("other", {}).update(value)
        else:
            data[key] = copy.deepcopy(value)
    return data


def _check(case: dict[str, Any]) -> CheckReport:
    base = {} if case.get("base") == "empty" else load_fixture("full_application.json")
    return run_checks(Application.model_validate(_apply(base, case.get("patch", {}))))


def _present(report: CheckReport, spec: str) -> bool:
    code, _, field = spec.partition("@")
    return any(f.code == code and (not field or f.field == field) for f in report.all_findings())


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_answer(case: dict[str, Any]) -> None:
    report = _check(case)
    summary = {
        slug: (r.verdict, [f"{f.code}@{f.field}" for f in r.findings])
        for slug, r in report.viewpoints.items()
    }
    for slug, verdict in case.get("verdicts", {}).items():
        assert report.viewpoints[slug].verdict == verdict, (slug, summary)
    for spec in case.get("has", []):
        assert _present(report, spec), (spec, summary, report.eligibility)
    for spec in case.get("lacks", []):
        assert not _present(report, spec), (spec, summary)
    if "bonus" in case:
        assert report.bonus == case["bonus"]
    if "eligibility" in case:
        assert report.eligibility.municipality_participates is case["eligibility"]
    if "readiness" in case:
        assert report.readiness == pytest.approx(case["readiness"]), summary
    if "says" in case:
        assert any(case["says"] in f.message for f in report.all_findings()), summary
    for index, expected in enumerate(case.get("kpis", [])):
        parsed = report.kpis[index].model_dump()
        for key, value in expected.items():
            assert parsed[key] == value, (index, key, parsed)


def test_every_finding_code_is_exercised_by_the_table() -> None:
    seen = {f.code for case in CASES for f in _check(case).all_findings()}
    assert sorted(set(CATALOGUE) - seen) == []
