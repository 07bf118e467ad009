"""Checks: every viewpoint check on the full example application, cached and uncached, and the KPI parser.

The dialog runs the checks after every answer, so the goal is a full check under 5 ms (p99).
Two figures, because the checks remember parsed KPI sentences and normalised texts:
- cached: the same application again and again (every memo warm — what a re-check of an
  unchanged draft costs);
- uncached: each run a different application (every free text of the fixture carries the run's
  number, so no per-text memo has seen it; the memos of the rule data stay warm, as in a running
  dialog) — what a newly typed draft costs.
Reported: median, p99 and max in µs, and ``parse_kpi_text`` itself on one sentence.
``python -m benchmarks.checks [--quick]`` prints the JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.stats import tail
from criteria.application import Application
from criteria.checking import run_checks
from criteria.kpi import parse_kpi_text

FULL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "full_application.json"
GOAL_US = 5_000
KPI_TEXT = "令和９年度までにDX支援企業数を現状の５社から百社にする（アウトプット）"
_ENUM_KEYS = {"format", "category", "kind", "type", "initiative_types"}


def _numbered(value: Any, n: int, key: str = "") -> Any:
    """``value`` with ``n`` appended to every free text (enumerated values left alone)."""
    if isinstance(value, dict):
        return {k: _numbered(v, n, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbered(v, n, key) for v in value]
    if isinstance(value, str) and value and key not in _ENUM_KEYS:
        return f"{value}（{n}）"
    return value


def _time(action: Callable[[Any], object], runs: int, prepare: Callable[[int], Any] = int) -> dict[str, Any]:
    """Time ``action(prepare(n))`` for ``runs`` values of ``n``; ``prepare`` runs outside the timer
    (and one input at a time, so no big heap of prepared inputs makes the collector pause)."""
    for n in range(50):
        action(prepare(n))  # imports, rule data and code paths warm, as in a running dialog
    times: list[float] = []
    for n in range(50, 50 + runs):  # the uncached runs never see a warm-up's application
        given = prepare(n)
        started = time.perf_counter()
        action(given)
        times.append((time.perf_counter() - started) * 1e6)
    return {"runs": runs} | {f"{k}_us": v for k, v in tail(times, digits=1).items() if k != "n"}


def run(quick: bool) -> dict[str, Any]:
    """Measure; ``quick`` uses fewer runs."""
    runs = 300 if quick else 3_000
    data = json.loads(FULL.read_text(encoding="utf-8"))
    full = Application.model_validate(data)
    cached = _time(lambda n: run_checks(full), runs)
    uncached = _time(run_checks, runs, lambda n: Application.model_validate(_numbered(data, n)))
    return {
        "check_full_application_cached": cached,
        "check_full_application_uncached": uncached,
        "check_empty_application": _time(lambda n: run_checks(Application()), runs),
        # the parser itself, not its per-text memory
        "parse_kpi": _time(lambda n: parse_kpi_text.__wrapped__(KPI_TEXT), runs * 3),
        "goal_check_us": GOAL_US,
        "goal_met": cached["p99_us"] < GOAL_US and uncached["p99_us"] < GOAL_US,
    }


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
