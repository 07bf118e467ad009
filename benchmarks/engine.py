"""Engine turn: a real answer through engine, checks and a durable SQLite write, against the floor.

Every turn checks a distinct, growing draft: each active lab is answered through the whole
example application (tests/answers.py, 57 answers) from its first question to its last, turns
interleaved across labs, and every lab's free texts carry its own number, so no two labs' drafts
are alike and the engine's report cache can serve nothing but a repeated state. Turns inside a
record (a member's name, category, role) save nothing until the record's last answer, so the turns
that ran the checks are reported apart, and the goal is theirs. The database also holds 0 or 10,000 stored
full drafts of other labs. The floor, in the same file, writes what a turn must at least write, in
the same durable mode (WAL, synchronous=FULL, ``BEGIN IMMEDIATE``, one transaction a turn): the
lab's growing answers as one JSON row, one history row and one cursor row. Reported per condition:
the median of each round's median turn, its spread over the rounds, pooled p99, and the ratio of
the medians. Goal: a checking turn ≤ 2× the floor. ``python -m benchmarks.engine [--quick]`` prints the JSON.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.compare import build_database, full_answers
from benchmarks.stats import percentile, ratio, summary
from bot.service import DialogService
from bot.wiring import build_engine
from dialogs.events import Start, Text
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION

GOAL_RATIO = 2.0


def script(lab: int) -> list[str]:
    """The example application with this lab's number in every free text."""
    return [f"{line}（{lab}）" if len(line) > 8 else line for line in FULL_APPLICATION]


def _ours(path: Path, labs: list[int]) -> tuple[list[float], list[float]]:
    """Every turn's time, and the times of the turns that saved an answer (and so ran the checks
    on the new draft: answers inside a record — a member's name, category, role — are saved
    together with the record's last one)."""
    store = SQLiteStore(path)
    engine = build_engine()
    checks = 0
    checker = engine.checker

    def counted(app: Any) -> Any:
        nonlocal checks
        checks += 1
        return checker(app)

    engine.checker = counted
    service = DialogService(store=store, engine=engine)
    sessions = [service.session(lab=f"active{lab}", person="bench") for lab in labs]
    for session in sessions:
        service.handle(session, Start())
    scripts = [script(lab) for lab in labs]
    times, checked = [], []
    for turn in range(len(FULL_APPLICATION)):
        for session, lines in zip(sessions, scripts, strict=True):
            before = checks
            started = time.perf_counter()
            service.handle(session, Text(lines[turn]))
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            if checks > before:
                checked.append(elapsed)
    store.close()
    return times, checked


def _floor(path: Path, labs: list[int]) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_drafts (lab INTEGER PRIMARY KEY, answers TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_history (id INTEGER PRIMARY KEY, lab INTEGER, value TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS floor_cursors (lab INTEGER PRIMARY KEY, state TEXT)")
    answers: dict[int, dict[str, str]] = {lab: {} for lab in labs}
    scripts = {lab: script(lab) for lab in labs}
    times = []
    for turn in range(len(FULL_APPLICATION)):
        for lab in labs:
            started = time.perf_counter()
            text = scripts[lab][turn]
            answers[lab][f"q{turn}"] = text
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO floor_drafts VALUES (?, ?) "
                "ON CONFLICT(lab) DO UPDATE SET answers = excluded.answers",
                (lab, json.dumps(answers[lab], ensure_ascii=False)),
            )
            conn.execute(
                "INSERT INTO floor_history (lab, value) VALUES (?, ?)",
                (lab, json.dumps(text, ensure_ascii=False)),
            )
            conn.execute(
                "INSERT INTO floor_cursors VALUES (?, ?) "
                "ON CONFLICT(lab) DO UPDATE SET state = excluded.state",
                (lab, json.dumps({"turn": turn})),
            )
            conn.execute("COMMIT")
            times.append(time.perf_counter() - started)
    conn.close()
    return times


def _condition(stored: int, active: int, rounds: int, answers: dict[str, Any]) -> dict[str, Any]:
    ours_medians, checked_medians, floor_medians, ours_all, checked_all, floor_all = [], [], [], [], [], []
    turns = 0
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-engine-") as tmp:
        path = Path(tmp) / "engine.db"
        build_database(path, stored, answers)
        for r in range(rounds):
            labs = list(range(r * active + 1, (r + 1) * active + 1))
            ours, checked = _ours(path, labs)
            floor = _floor(path, labs)
            turns += len(ours)
            ours_medians.append(statistics.median(ours) * 1e6)
            checked_medians.append(statistics.median(checked) * 1e6)
            floor_medians.append(statistics.median(floor) * 1e6)
            ours_all += ours
            checked_all += checked
            floor_all += floor
    ours_s, floor_s = summary(ours_medians, digits=0), summary(floor_medians, digits=0)
    checked_s = summary(checked_medians, digits=0)
    return {
        "stored_drafts": stored,
        "active_drafts": active,
        "turns": turns,
        "turns_that_ran_the_checks": len(checked_all),
        "turn_us": ours_s | {"p99": round(percentile(ours_all, 0.99) * 1e6)},
        "checking_turn_us": checked_s | {"p99": round(percentile(checked_all, 0.99) * 1e6)},
        "turns_per_s": round(len(ours_all) / sum(ours_all)),
        "floor_us": floor_s | {"p99": round(percentile(floor_all, 0.99) * 1e6)},
        "ratio_median": ratio(ours_s["median"], floor_s["median"]),
        "checking_turn_ratio_median": ratio(checked_s["median"], floor_s["median"]),
        "goal_ratio_max": GOAL_RATIO,
    }


def run(quick: bool) -> dict[str, Any]:
    answers = full_answers()
    if quick:
        plan: list[tuple[int, int, int]] = [(0, 10, 1)]
    else:
        plan = [(0, 50, 3), (10_000, 50, 3)]
    out: dict[str, Any] = {"answers_per_draft": len(FULL_APPLICATION)}
    for stored, active, rounds in plan:
        out[f"stored_{stored}"] = _condition(stored, active, rounds, answers)
    out["goal_met"] = all(
        v["checking_turn_ratio_median"] <= GOAL_RATIO for k, v in out.items() if k.startswith("stored_")
    )
    return out


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv), sys.stdout, indent=2)
    sys.stdout.write("\n")
