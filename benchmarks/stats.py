"""Shared measuring helpers: summaries with their spread, child processes and their peak memory.

Every benchmark reports a median with its spread (min, quartiles, max) over several rounds, so a
single lucky or unlucky round can neither make nor break a goal. Child processes report their
own peak resident memory from ``/proc/self/status`` (``VmHWM``): ``ru_maxrss`` of a child would
include the RSS of the harness at fork time, which Linux keeps across ``exec``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

# Appended to a child's program: prints {"peak_rss_mb": …} as the last line of stderr.
PEAK_RSS = r"""
def _peak_mb():
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered))))]


def summary(values: Sequence[float], *, digits: int = 3) -> dict[str, Any]:
    """Median, quartiles, min, max and count of ``values``."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "q1": round(percentile(values, 0.25), digits),
        "q3": round(percentile(values, 0.75), digits),
        "max": round(max(values), digits),
    }


def tail(values: Sequence[float], *, digits: int = 3) -> dict[str, Any]:
    """``summary`` plus p99 (for latencies)."""
    out = summary(values, digits=digits)
    if values:
        out["p99"] = round(percentile(values, 0.99), digits)
    return out


def ratio(ours: float, floor: float, digits: int = 2) -> float:
    return round(ours / floor, digits) if floor else float("inf")


def timed_run(cmd: Sequence[str], *, stdin: bytes | None = None, cwd: Path = ROOT) -> float:
    """Wall seconds of one child process (which must succeed)."""
    started = time.perf_counter()
    if stdin is None:
        subprocess.run(list(cmd), stdin=subprocess.DEVNULL, check=True, capture_output=True, cwd=cwd)
    else:
        subprocess.run(list(cmd), input=stdin, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - started


def interleaved(actions: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run each action once per round, alternating, so drifts of a shared machine hit all alike."""
    out: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            out[name].append(action())
    return out


def python() -> str:
    return sys.executable


def last_json_line(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            data: dict[str, Any] = json.loads(line)
            return data
    raise ValueError(f"no JSON line in child output: {text[-500:]!r}")
