"""SIGKILL ``dxlab chat`` right after an answer is acknowledged: nothing acknowledged is lost."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.service import to_engine_draft
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION

ROOT = Path(__file__).resolve().parents[2]


def _start(db: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--db", str(db), "--lab", "L", "--user", "山田"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
    )


class _Reader:
    """Collects the child's output on a thread; ``turn`` waits until a reply has fully arrived."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stream = proc.stdout
        threading.Thread(target=lambda: [self.lines.put(line) for line in stream], daemon=True).start()

    def turn(self, *, quiet: float = 0.25, limit: float = 20.0) -> str:
        got: list[str] = [self.lines.get(timeout=limit)]
        while True:
            try:
                got.append(self.lines.get(timeout=quiet))
            except queue.Empty:
                return "".join(got)


@pytest.mark.parametrize("kill_after", [4, 9, 13])
def test_kill_between_answers_then_resume(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "k.db"
    proc = _start(db)
    reader = _Reader(proc)
    assert "■ ラボの名称" in reader.turn()
    assert proc.stdin is not None
    last = ""
    for sent in range(kill_after):
        proc.stdin.write(FULL_APPLICATION[sent] + "\n")
        proc.stdin.flush()
        last = reader.turn()
    assert "保存しました" in last  # the last answer was acknowledged
    sent = kill_after
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    store = SQLiteStore(db)
    assert store.integrity_check() == "ok"
    lab = store.find_lab("L")
    assert lab is not None
    answers = to_engine_draft(store.draft(lab.id)).answers
    assert answers["lab_name"] == FULL_APPLICATION[0]
    assert answers["region"] == FULL_APPLICATION[1]
    if kill_after >= 9:
        assert answers["initiative_types"] == ["project", "company_support"]
    store.close()

    again = _start(db)
    out, _ = again.communicate("\n".join(FULL_APPLICATION[sent:]) + "\n確認\n", timeout=60)
    assert "前回の続きから再開します" in out
    assert "すべての質問を一通り終えました" in out
    assert "みなと信用金庫" in out
