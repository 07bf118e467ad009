"""Engine turn: an answer through engine, checks and a durable SQLite write, against the floor.

The floor is the same rows written with bare sqlite-utils in the same durable mode (WAL,
synchronous=FULL, one transaction a turn). Reported: p50/p99 µs, turns/s and the ratio, for 1,
100 and 1,000 drafts in one database.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.service import DialogService
from bot.wiring import build_engine
from dialogs.events import Start, Text
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _ours(path: Path, drafts: int, turns: int) -> list[float]:
    """Each draft is answered with the real application, line by line; a finished draft starts
    again as a new lab, so every turn is a real answer (records, KPI sentences, checks)."""
    store = SQLiteStore(path)
    service = DialogService(store=store, engine=build_engine())
    sessions = [service.session(lab=f"lab{i}", person="bench") for i in range(drafts)]
    position = [0] * drafts
    for s in sessions:
        service.handle(s, Start())
    times = []
    for n in range(turns):
        i = n % drafts
        if position[i] == len(FULL_APPLICATION):
            sessions[i] = service.session(lab=f"lab{i}-{n}", person="bench")
            service.handle(sessions[i], Start())
            position[i] = 0
        line = FULL_APPLICATION[position[i]]
        position[i] += 1
        started = time.perf_counter()
        service.handle(sessions[i], Text(line))
        times.append(time.perf_counter() - started)
    store.close()
    return times


def _floor(path: Path, drafts: int, turns: int) -> list[float]:
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db["drafts"].create({"lab_id": int, "answers": str}, pk="lab_id")
    db["answers"].create({"id": int, "lab_id": int, "field": str, "value": str}, pk="id")
    db["cursors"].create({"lab_id": int, "state": str}, pk="lab_id")
    conn = db.conn
    conn.isolation_level = None
    times = []
    for n in range(turns):
        lab = n % drafts
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO answers (lab_id, field, value) VALUES (?, ?, ?)", (lab, "f", json.dumps(n)))
        conn.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?)", (lab, json.dumps({"f": n})))
        conn.execute("INSERT OR REPLACE INTO cursors VALUES (?, ?)", (lab, json.dumps({"s": n})))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - started)
    conn.close()
    return times


def run(quick: bool) -> dict[str, Any]:
    turns = 200 if quick else 3000
    out: dict[str, Any] = {}
    for drafts in (1, 100, 1000):
        if quick and drafts == 1000:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            ours = _ours(Path(tmp) / "ours.db", drafts, turns)
            floor = _floor(Path(tmp) / "floor.db", drafts, turns)
        out[f"drafts_{drafts}"] = {
            "turn_p50_us": round(statistics.median(ours) * 1e6),
            "turn_p99_us": round(_percentile(ours, 0.99) * 1e6),
            "turns_per_s": round(len(ours) / sum(ours)),
            "floor_p50_us": round(statistics.median(floor) * 1e6),
            "floor_p99_us": round(_percentile(floor, 0.99) * 1e6),
            "ratio_p50": round(statistics.median(ours) / statistics.median(floor), 2),
            "goal_ratio_max": 2.0,
        }
    return out


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv), sys.stdout, indent=2)
    sys.stdout.write("\n")
