"""SIGKILL ``dxlab chat`` right after an answer is acknowledged: nothing acknowledged is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bot.service import DialogService, to_engine_draft
from bot.wiring import build_engine
from dialogs.events import Start, Text
from dialogs.replies import Notice
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
    """Collects the child's output on a thread, so the test can wait for an acknowledgement."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.text = ""
        self.lock = threading.Lock()
        assert proc.stdout is not None
        stream = proc.stdout
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            with self.lock:
                self.text += line

    def wait_for(self, marker: str, count: int, limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if self.text.count(marker) >= count:
                    return
            time.sleep(0.01)
        raise AssertionError(f"{marker!r} not seen {count} times:\n{self.text[-2000:]}")


def _acks_for(lines: list[str], tmp_path: Path) -> int:
    """How many answers the dialog acknowledges for ``lines`` (run in-process on another db)."""
    store = SQLiteStore(tmp_path / "dry.db")
    service = DialogService(store=store, engine=build_engine())
    session = service.session(lab="L", person="山田")
    service.handle(session, Start())
    acks = 0
    for line in lines:
        replies = service.handle(session, Text(line)) or []
        acks += sum(1 for r in replies if isinstance(r, Notice) and r.key == "saved")
    store.close()
    return acks


@pytest.mark.parametrize("kill_after", [4, 9, 13])
def test_kill_between_answers_then_resume(tmp_path: Path, kill_after: int) -> None:
    db = tmp_path / "k.db"
    expected = _acks_for(FULL_APPLICATION[:kill_after], tmp_path)
    proc = _start(db)
    reader = _Reader(proc)
    assert proc.stdin is not None
    proc.stdin.write("".join(line + "\n" for line in FULL_APPLICATION[:kill_after]))
    proc.stdin.flush()
    reader.wait_for("保存しました", expected)  # every answer so far acknowledged
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
