"""``dxlab chat`` through a pipe: the cost of one answer, alone and with other processes on one file.

Ours is the real ``dxlab chat`` (``bot.cli.main``) in its own interpreter, reading the whole
example application (tests/answers.py, 57 answers) from a pipe, one answer a line; the child
notes the time after each reply has been written and flushed. The floor is a bare loop in its own
interpreter that reads the same lines from a pipe and, per line, durably (WAL, synchronous=FULL,
``BEGIN IMMEDIATE``) rewrites a draft-sized row (every answer so far, as JSON) and appends a history
row, then writes the line back. Every process first prints its greeting; only when all are ready
are the answers written to every pipe, so N processes really answer at the same time, each in its
own lab of one database.

Reported: the reply gap (time between two consecutive replies, the answer already waiting in the
pipe) median and p99 over several rounds, for 1, 2 and 4 processes, ours and the floor. Goals:
one answer ≤ 2× the floor's; with 2 processes, ours' p99 ≤ 3× ours alone.
``python -m benchmarks.chat [--quick]`` prints the JSON.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from benchmarks.stats import ROOT, last_json_line, ratio, tail
from tests.answers import FULL_APPLICATION

GOAL_ANSWER_RATIO = 2.0
GOAL_TWO_PROCESS_P99_RATIO = 3.0

_OURS = r"""
import json, sys, time
from bot import console
_send = console.ConsoleAdapter.send
stamps = []
def send(self, event):
    keep = _send(self, event)
    stamps.append(time.perf_counter())
    return keep
console.ConsoleAdapter.send = send
from bot.cli import main
try:
    main(sys.argv[1:])
finally:
    sys.stderr.write(json.dumps({"stamps": stamps}) + "\n")
"""

_FLOOR = r"""
import json, sqlite3, sys, time
path, lab = sys.argv[1], sys.argv[2]
conn = sqlite3.connect(path, isolation_level=None, timeout=30)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("CREATE TABLE IF NOT EXISTS drafts (lab TEXT PRIMARY KEY, answers TEXT)")
conn.execute("CREATE TABLE IF NOT EXISTS history (id INTEGER PRIMARY KEY, lab TEXT, field TEXT, value TEXT)")
answers = {}
out = sys.stdout
out.write("ready\n")
out.flush()
stamps = [time.perf_counter()]
for n, line in enumerate(sys.stdin):
    text = line.rstrip("\r\n")
    answers[f"q{n}"] = text
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO drafts VALUES (?, ?) ON CONFLICT(lab) DO UPDATE SET answers = excluded.answers",
        (lab, json.dumps(answers, ensure_ascii=False)),
    )
    conn.execute(
        "INSERT INTO history (lab, field, value) VALUES (?, ?, ?)",
        (lab, f"q{n}", json.dumps(text, ensure_ascii=False)),
    )
    conn.execute("COMMIT")
    out.write(text + "\n")
    out.flush()
    stamps.append(time.perf_counter())
sys.stderr.write(json.dumps({"stamps": stamps}) + "\n")
"""


def _round(commands: list[list[str]], answers: bytes) -> list[float]:
    """Start every command, wait for each greeting, give all the answers at once; reply gaps in ms."""
    procs = [
        subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
        for cmd in commands
    ]
    ready = [threading.Event() for _ in procs]
    errors: list[bytes] = [b""] * len(procs)

    def drain(i: int, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        while proc.stdout.read1(1 << 16):
            ready[i].set()
        ready[i].set()

    def drain_err(i: int, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stderr is not None
        errors[i] = proc.stderr.read()

    threads = [threading.Thread(target=drain, args=(i, p), daemon=True) for i, p in enumerate(procs)]
    threads += [threading.Thread(target=drain_err, args=(i, p), daemon=True) for i, p in enumerate(procs)]
    for t in threads:
        t.start()
    for event in ready:
        event.wait(120)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(answers)
        proc.stdin.close()
    gaps: list[float] = []
    for i, proc in enumerate(procs):
        if proc.wait(300) != 0:
            raise RuntimeError(f"child failed: {errors[i][-800:]!r}")
    for t in threads:
        t.join(30)
    for err in errors:
        stamps = last_json_line(err.decode())["stamps"]
        answered = stamps[1:]  # stamps[0]: the greeting, before the answers were given
        gaps += [(b - a) * 1000 for a, b in itertools.pairwise(answered)]
    return gaps


def _ours(db: Path, name: str) -> list[str]:
    return [sys.executable, "-c", _OURS, "chat", "--db", str(db), "--lab", name, "--user", f"u-{name}"]


def _floor(db: Path, name: str) -> list[str]:
    return [sys.executable, "-c", _FLOOR, str(db), name]


def run(quick: bool) -> dict[str, Any]:
    rounds = 2 if quick else 6
    counts = (1, 2) if quick else (1, 2, 4)
    answers = "".join(line + "\n" for line in FULL_APPLICATION).encode("utf-8")
    gaps: dict[str, list[float]] = {f"{who}_{n}": [] for who in ("ours", "floor") for n in counts}
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-chat-") as tmp:
        ours_db, floor_db = Path(tmp) / "ours.db", Path(tmp) / "floor.db"
        _round([_ours(ours_db, "warm")], b"")  # schema and imports (.pyc) in place before timing
        _round([_floor(floor_db, "warm")], b"")
        for r in range(rounds):
            for n in counts:  # interleaved: the machine's drifts hit ours and the floor alike
                gaps[f"ours_{n}"] += _round([_ours(ours_db, f"r{r}n{n}p{k}") for k in range(n)], answers)
                gaps[f"floor_{n}"] += _round([_floor(floor_db, f"r{r}n{n}p{k}") for k in range(n)], answers)
    stats = {key: tail(values) for key, values in gaps.items()}
    out: dict[str, Any] = {
        "answers_per_process": len(FULL_APPLICATION),
        "rounds": rounds,
        "reply_gap_ms": stats,
        "answer_ratio_median": ratio(stats["ours_1"]["median"], stats["floor_1"]["median"]),
        "goal_answer_ratio_max": GOAL_ANSWER_RATIO,
    }
    for n in counts[1:]:
        out[f"p99_ratio_{n}_processes_vs_1"] = ratio(stats[f"ours_{n}"]["p99"], stats["ours_1"]["p99"])
        floor_ratio = ratio(stats[f"floor_{n}"]["p99"], stats["floor_1"]["p99"])
        out[f"floor_p99_ratio_{n}_processes_vs_1"] = floor_ratio
    out["goal_two_process_p99_ratio_max"] = GOAL_TWO_PROCESS_P99_RATIO
    out["goal_met"] = (
        out["answer_ratio_median"] <= GOAL_ANSWER_RATIO
        and out["p99_ratio_2_processes_vs_1"] <= GOAL_TWO_PROCESS_P99_RATIO
    )
    return out


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
