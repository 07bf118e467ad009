"""SIGKILL ``dxlab chat``, ``dxlab serve slack`` and ``dxlab serve telegram`` at random points.

Each program runs as a real subprocess on one SQLite file while several people type a whole
application (``FULL_APPLICATION``) on their own labs. At random rounds the program is killed while
answers are in flight (a random delay after sending, so before, during or after the commit). After
every kill: ``PRAGMA integrity_check`` is ok, each person's stored state is exactly the state before
or after their in-flight answer (``tests.reliability.model``), an acknowledged answer is never
missing, and the restarted program resumes on the question the oracle expects. Slack's retries
(``X-Slack-Retry-Num``) and Telegram's redelivery of unconfirmed updates are applied once. At the
end the applied events are replayed in a fresh database: identical history, nothing applied twice.

Acknowledgement = what the person saw: the terminal's output for the answer, the Slack message
posted to the fake Web API, the Telegram message received by the fake Bot API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from dialogs.events import Event, Start, Text
from dialogs.replies import ExportRequest, Question, RecordFieldQuestion, Reply
from renderers.slack.blocks import render_messages
from renderers.telegram.html import render_html, split_html
from renderers.telegram.keyboards import keyboard_for
from renderers.text import render_reply
from tests.answers import FULL_APPLICATION
from tests.reliability.model import (
    Person,
    Tally,
    assert_applied_once,
    kill_rounds,
    question_title,
    read_snapshot,
    report,
)
from tests.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.slack.fake_slack import FakeSlack
from tests.telegram.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "reliability-signing-secret"
NAMES = ("山田", "佐藤", "鈴木", "高橋", "田中")


def sizes(soak: bool) -> tuple[int, int, int]:
    """(people, lines per person, kills): ≥200 turns per program in soak mode, ~36 by default."""
    return (4, len(FULL_APPLICATION), 24) if soak else (2, 18, 4)


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "DXLAB_"))}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **extra}


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def check_after_kill(db: Path, people: Sequence[Person], tally: Tally) -> dict[str, bool | None]:
    """Integrity and every person's state after a kill; which in-flight events were applied."""
    snap = read_snapshot(db, people)
    assert snap.integrity == "ok", snap.integrity
    tally.integrity_checks += 1
    tally.kills += 1
    return {p.key: p.settle(snap.states[p.key], tally) for p in people}


# --- dxlab chat ------------------------------------------------------------------------------------


def terminal_text(replies: Sequence[Reply]) -> str:
    """What ``dxlab chat`` prints for ``replies`` with a non-TTY stdin (``ConsoleAdapter.show``)."""
    texts = (render_reply(r) for r in replies if not isinstance(r, ExportRequest))
    return "".join(t + "\n" for t in texts if t)


class ChatProcess:
    """``python -m bot chat`` for one person; stdout collected on a thread."""

    def __init__(self, db: Path, person: Person) -> None:
        self.person = person
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--db", str(db), "--lab", person.lab, "--user", person.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            cwd=db.parent,
        )
        self.out = b""
        self.lock = threading.Lock()
        self.expected = ""  # what the oracle says must have been printed so far
        assert self.proc.stdout is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        while chunk := stream.read1(65536):
            with self.lock:
                self.out += chunk

    def text(self) -> str:
        with self.lock:
            return self.out.decode("utf-8", errors="replace")

    def begin(self, event: Event) -> None:
        op = self.person.begin(event)
        self.base = len(self.expected.encode())
        self.expected += terminal_text(op.replies)
        if isinstance(event, Text):
            assert self.proc.stdin is not None
            self.proc.stdin.write(event.text.encode() + b"\n")
            self.proc.stdin.flush()

    def seen_any(self) -> bool:
        with self.lock:
            return len(self.out) > self.base

    def wait_ack(self, tally: Tally, timeout: float = 30.0) -> None:
        want = self.expected.encode()
        wait_until(lambda: len(self.out) >= len(want) or self.proc.poll() is not None, timeout, "chat output")
        assert self.text() == self.expected, f"{self.person.key}: the terminal printed something else"
        assert self.person.pending is not None
        self.person.pending.acked = True
        self.person.confirm(tally)

    def finish(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, self.proc.stderr.read() if self.proc.stderr else ""


def test_chat_survives_sigkill(
    tmp_path: Path, soak: bool, seed: int, rng: random.Random, tmp_path_factory: Any, capsys: Any
) -> None:
    count, length, kills = sizes(soak)
    db = tmp_path / "chat.db"
    people = [
        Person(key=f"c{i}", name=NAMES[i], lab=f"ラボ{i}", channel="console", external_id=NAMES[i],
               lines=FULL_APPLICATION[:length])
        for i in range(count)
    ]  # fmt: skip
    tally = Tally("chat", seed=seed, people=count)
    kill_at = kill_rounds(rng, length, kills)
    procs: dict[str, ChatProcess] = {}

    def launch() -> None:
        for p in people:
            if p.pos < len(p.lines):
                procs[p.key] = proc = ChatProcess(db, p)
                proc.begin(Start())  # the program starts (or resumes) the dialog by itself
                proc.wait_ack(tally)  # on the question the oracle expects: it resumes where it was

    launch()
    for round_no in itertools.count():
        live = [procs[p.key] for p in people if p.pos < len(p.lines)]
        if not live:
            break
        for proc in live:
            proc.begin(Text(proc.person.next_line()))
        if round_no not in kill_at:
            for proc in live:
                proc.wait_ack(tally)
            continue
        time.sleep(rng.uniform(0, 0.03))
        for proc in procs.values():
            proc.proc.kill()
        for proc in procs.values():
            proc.proc.wait(timeout=10)
            if proc.person.pending is not None:
                proc.person.pending.acked = proc.seen_any()
        for key, applied in check_after_kill(db, people, tally).items():
            person = next(p for p in people if p.key == key)
            if applied:
                person.confirm(tally)
            elif applied is False:
                tally.dropped_unacked += 1
                person.abandon()  # never acknowledged: the person types it again
        procs.clear()
        launch()
    for proc in procs.values():
        proc.finish()
    assert_applied_once(db, people, tmp_path)
    assert tally.turns == count * length and tally.answers_lost == 0
    report(tally, tmp_path_factory, capsys)
