"""Start-up of the commands people run, against ``python -c "import sqlite3, json"``.

Each command runs in a fresh interpreter, interleaved with the floor round by round (a shared
machine's drifts hit both alike): ``dxlab chat`` on an existing database until its first question
(stdin at end of file, so it prints the greeting and the first question and exits),
``dxlab check FILE --json`` on the full example application, and ``dxlab --help``. Reported:
median and spread in ms, and each median's ratio to the floor's. Goal: ≤ 8× the floor.
``python -m benchmarks.cli [--quick]`` prints the JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.stats import ROOT, interleaved, ratio, summary, timed_run

GOAL_RATIO = 8.0
FULL = ROOT / "tests" / "fixtures" / "full_application.json"


def run(quick: bool) -> dict[str, Any]:
    rounds = 5 if quick else 15
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-cli-") as tmp:
        db = str(Path(tmp) / "start.db")
        chat = [py, "-m", "bot", "chat", "--db", db, "--lab", "みなと市", "--user", "yamada"]
        timed_run(chat)  # the database exists (and .pyc files are written) before timing
        commands = {
            "floor_import_sqlite3_json": [py, "-c", "import sqlite3, json"],
            "chat_first_question": chat,
            "check_json": [py, "-m", "bot", "check", str(FULL), "--json"],
            "help": [py, "-m", "bot", "--help"],
        }
        times = interleaved(
            {name: (lambda c=cmd: timed_run(c) * 1000) for name, cmd in commands.items()}, rounds
        )
    floor = summary(times["floor_import_sqlite3_json"], digits=1)
    out: dict[str, Any] = {"rounds": rounds, "floor_ms": floor}
    for name in ("chat_first_question", "check_json", "help"):
        stats = summary(times[name], digits=1)
        out[f"{name}_ms"] = stats
        out[f"{name}_ratio"] = ratio(stats["median"], floor["median"], 1)
    out["goal_ratio_max"] = GOAL_RATIO
    out["goal_met"] = all(out[f"{n}_ratio"] <= GOAL_RATIO for n in ("chat_first_question", "check_json"))
    return out


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
