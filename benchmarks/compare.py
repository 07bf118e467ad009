"""``dxlab compare`` to CSV over many real drafts, against a bare script: time and peak memory.

The database holds N labs, each with a full draft: the answers the dialog stores for the example
application (tests/answers.py, run once through the real engine), each lab's texts made distinct
(its number in the lab name, vision and needs, so no check result can be shared between labs),
with one history row a field as an import writes them. Ours is ``dxlab compare -o OUT.csv`` in its
own interpreter (every lab: the draft read, the application built, every viewpoint checked, one
row written). The bare script, also in its own interpreter, reads every draft, decodes its JSON and
writes one CSV row with the same text fields. Reported: wall seconds (median and spread of several
rounds) and each child's peak RSS (VmHWM). Goals: ≤ 5× the bare script's time, ≤ 150 MB at 10,000.
``python -m benchmarks.compare [--quick]`` prints the JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.stats import PEAK_RSS, ROOT, last_json_line, ratio, summary

GOAL_RATIO = 5.0
GOAL_RSS_MB = 150.0

_OURS = (
    PEAK_RSS
    + r"""
import json, sys
from bot.cli import main
try:
    code = main(sys.argv[1:])
finally:
    sys.stderr.write("\n" + json.dumps({"peak_rss_mb": round(_peak_mb(), 1)}) + "\n")
sys.exit(code)
"""
)

_BARE = (
    PEAK_RSS
    + r"""
import csv, json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
fields = ("lab_name", "region", "vision", "regional_issues", "customer_social_needs", "transformation",
          "self_reliance_scenario", "secretariat", "municipality_role", "progress_management")
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as out:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("lab",) + fields)
    for name, answers in conn.execute(
        "SELECT l.name, d.answers FROM labs l JOIN drafts d ON d.lab_id = l.id ORDER BY l.name"
    ):
        data = json.loads(answers)
        writer.writerow([name] + [str(data.get(f, "")) for f in fields])
sys.stderr.write("\n" + json.dumps({"peak_rss_mb": round(_peak_mb(), 1)}) + "\n")
"""
)


def full_answers() -> dict[str, Any]:
    """The draft answers the dialog stores for the whole example application."""
    from bot.service import DialogService
    from bot.wiring import build_engine
    from dialogs.events import Start, Text
    from storage import MemoryStore
    from tests.answers import FULL_APPLICATION

    store = MemoryStore()
    service = DialogService(store=store, engine=build_engine())
    session = service.session(lab="template", person="bench")
    service.handle(session, Start())
    for line in FULL_APPLICATION:
        service.handle(session, Text(line))
    return dict(store.draft(session.lab.id).answers)


def build_database(path: Path, labs: int, answers: dict[str, Any]) -> None:
    """``labs`` distinct full drafts, written directly (untimed), in dxlab's schema."""
    from storage import SQLiteStore
    from storage.codec import dump

    SQLiteStore(path).close()  # the schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO people (id, name, created_at) VALUES (1, 'bench', 't')")
    at = "2026-12-01T09:00:00.000000+00:00"
    for i in range(1, labs + 1):
        mine = dict(answers)
        for field in ("lab_name", "vision", "customer_social_needs"):
            if isinstance(mine.get(field), str):
                mine[field] = f"{mine[field]}（{i}）"
        conn.execute("INSERT INTO labs (id, name, created_at) VALUES (?, ?, ?)", (i, f"lab{i:05d}", at))
        conn.execute("INSERT INTO drafts VALUES (?, ?, '[]', '[]', '{}', 1, ?)", (i, dump(mine), at))
        conn.executemany(
            "INSERT INTO answers (lab_id, field, action, value, person_id, channel, at) "
            "VALUES (?, ?, 'import', ?, 1, 'console', ?)",
            [(i, field, dump(value), at) for field, value in mine.items()],
        )
    conn.execute("COMMIT")
    conn.close()


def _child(program: str, args: list[str]) -> tuple[float, float]:
    # admin on the terminal follows the OS account (issue 14): the account running the benchmark
    from bot.roles import os_account

    env = dict(os.environ, DXLAB_ADMINS=f"console:{os_account()}")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", program, *args], capture_output=True, text=True, cwd=ROOT, env=env
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"child failed ({done.returncode}): {done.stderr[-800:]}")
    return seconds, float(last_json_line(done.stderr)["peak_rss_mb"])


def _measure(labs: int, rounds: int, answers: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-compare-") as tmp:
        db, out = Path(tmp) / "labs.db", Path(tmp) / "out.csv"
        build_database(db, labs, answers)
        ours_cmd = ["compare", "-o", str(out), "--db", str(db), "--user", "bench"]
        times: dict[str, list[float]] = {"ours": [], "bare": []}
        rss: dict[str, list[float]] = {"ours": [], "bare": []}
        for _ in range(rounds):
            for who, program, args in (("ours", _OURS, ours_cmd), ("bare", _BARE, [str(db), str(out)])):
                seconds, peak = _child(program, args)
                times[who].append(seconds)
                rss[who].append(peak)
        rows = sum(1 for _ in out.open(encoding="utf-8-sig")) - 1
    ours, bare = summary(times["ours"]), summary(times["bare"])
    return {
        "labs": labs,
        "rounds": rounds,
        "rows_written_by_bare": rows,
        "ours_s": ours,
        "bare_s": bare,
        "ratio": ratio(ours["median"], bare["median"], 1),
        "ours_peak_rss_mb": max(rss["ours"]),
        "bare_peak_rss_mb": max(rss["bare"]),
    }


def run(quick: bool) -> dict[str, Any]:
    answers = full_answers()
    sizes = ((300, 1),) if quick else ((2_000, 3), (10_000, 2))
    out: dict[str, Any] = {"fields_per_draft": len(answers)}
    for labs, rounds in sizes:
        out[f"labs_{labs}"] = _measure(labs, rounds, answers)
    largest = out[f"labs_{sizes[-1][0]}"]
    out["goal_ratio_max"] = GOAL_RATIO
    out["goal_peak_rss_mb_max_at_10000"] = GOAL_RSS_MB
    out["goal_met"] = all(out[f"labs_{n}"]["ratio"] <= GOAL_RATIO for n, _ in sizes) and (
        largest["ours_peak_rss_mb"] <= GOAL_RSS_MB
    )
    return out


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
