"""CLI cold start (``dxlab --help`` vs ``python -c pass``) and peak memory with many drafts.

Cold start runs each command in a fresh interpreter several times and reports the median. Memory
runs in a child process: 10,000 stored drafts, then 1,000 people answering at once (one turn
each), and reports the child's peak RSS.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

_MEMORY_CHILD = r"""
import json, resource, sys, tempfile
from pathlib import Path
from bot.service import DialogService
from bot.wiring import build_engine
from dialogs.events import Start, Text
from storage import SQLiteStore
from storage.base import Snapshot, StoredDraft, TurnWrite

stored, active = int(sys.argv[1]), int(sys.argv[2])
with tempfile.TemporaryDirectory() as tmp:
    store = SQLiteStore(Path(tmp) / "m.db")
    person = store.person("bench", channel="console")
    answers = {"lab_name": "ラボ", "vision": "地域の経済発展とウェルビーイングの向上" * 5}
    for i in range(stored):
        lab = store.lab(f"stored{i}")
        store.turn(lab.id, person.id, lambda s: (TurnWrite(StoredDraft(answers=answers), {}), None),
                   channel="console")
    service = DialogService(store=store, engine=build_engine())
    sessions = [service.session(lab=f"stored{i}", person=f"p{i}") for i in range(active)]
    for s in sessions:
        service.handle(s, Start())
        service.handle(s, Text("みなと市"))
    store.close()
def peak_mb():
    # VmHWM belongs to this program's memory map; ru_maxrss would include the RSS of the parent
    # at fork time (Linux keeps it across exec), which is the benchmark harness, not us.
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"peak_rss_mb": round(peak_mb(), 1)}))
"""


def _median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool) -> dict[str, Any]:
    runs = 3 if quick else 10
    help_s = _median_seconds([sys.executable, "-m", "bot", "--help"], runs)
    bare_s = _median_seconds([sys.executable, "-c", "pass"], runs)
    stored, active = (1000, 100) if quick else (10_000, 1000)
    with tempfile.TemporaryDirectory():
        child = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, str(stored), str(active)],
            check=True,
            capture_output=True,
            text=True,
        )
    memory = json.loads(child.stdout.strip().splitlines()[-1])
    return {
        "cold_start_help_s": round(help_s, 3),
        "python_bare_s": round(bare_s, 3),
        "cold_start_ratio": round(help_s / bare_s, 1),
        "goal_cold_start_s_max": 0.5,
        "stored_drafts": stored,
        "active_drafts": active,
        **memory,
        "goal_peak_rss_mb_max": 150,
    }


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv), sys.stdout, indent=2)
    sys.stdout.write("\n")
