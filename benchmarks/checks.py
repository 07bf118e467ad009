"""Checks: time to run every viewpoint check on the full example application, and to parse a KPI.

The dialog runs the checks after every answer, so the goal is a full check under 5 ms (p99).
Reported: median and p99 in µs for ``run_checks`` on tests/fixtures/full_application.json, for
the empty application and for ``parse_kpi_text`` on one sentence, plus whether the goal is met.
``python -m benchmarks.checks [--quick]`` prints the JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from criteria.application import Application
from criteria.checking import run_checks
from criteria.kpi import parse_kpi_text

FULL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "full_application.json"
GOAL_US = 5_000
KPI_TEXT = "令和９年度までにDX支援企業数を現状の５社から百社にする（アウトプット）"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _time(action: Callable[[], object], runs: int) -> dict[str, float]:
    for _ in range(min(50, runs)):
        action()  # warm the caches, as in a running dialog
    times: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1e6)
    return {
        "runs": runs,
        "median_us": round(statistics.median(times), 1),
        "p99_us": round(_percentile(times, 0.99), 1),
        "max_us": round(max(times), 1),
    }


def run(quick: bool) -> dict[str, Any]:
    """Measure; ``quick`` uses fewer runs."""
    runs = 300 if quick else 3_000
    full = Application.model_validate(json.loads(FULL.read_text(encoding="utf-8")))
    empty = Application()
    # a fresh text every run defeats the normalisation cache, like a newly typed answer
    counter = iter(range(10**9))
    check_full = _time(lambda: run_checks(full), runs)
    check_fresh = _time(
        lambda: run_checks(full.model_copy(update={"vision": f"{full.vision}{next(counter)}"})), runs
    )
    return {
        "check_full_application": check_full,
        "check_full_application_new_vision": check_fresh,
        "check_empty_application": _time(lambda: run_checks(empty), runs),
        # the parser itself, not its per-text memory
        "parse_kpi": _time(lambda: parse_kpi_text.__wrapped__(KPI_TEXT), runs * 3),
        "goal_check_us": GOAL_US,
        "goal_met": check_full["p99_us"] < GOAL_US and check_fresh["p99_us"] < GOAL_US,
    }


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
