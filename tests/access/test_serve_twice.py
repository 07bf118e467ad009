"""Two ``dxlab serve telegram`` (or ``slack``) on one database: the second refuses to start
with a Japanese message (issue 14 item 15), and the lock goes with the first process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.serve_lock import lock_path, serve_lock
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import run

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_telegram_server_on_the_same_database_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "dx.db"

    async def scenario() -> None:
        async with FakeBotApi() as api:
            env = {**os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
                   "DXLAB_DB": str(db), "PYTHONPATH": str(ROOT)}  # fmt: skip
            env.pop("TELEGRAM_WEBHOOK_URL", None)
            argv = [sys.executable, "-m", "bot", "serve", "telegram"]
            first = await asyncio.create_subprocess_exec(*argv, cwd=tmp_path, env=env)
            try:
                await api.wait_for(lambda: api.commands, timeout=30)  # the first one is serving
                second = await asyncio.create_subprocess_exec(
                    *argv, cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE
                )
                _, err = await asyncio.wait_for(second.communicate(), 60)
                text = err.decode()
                assert second.returncode == 2, text
                assert "すでに動いています" in text and str(first.pid) in text and "Traceback" not in text
                await api.message("/start")  # the first still answers, once
                await api.wait_for(lambda: api.sent, timeout=15)
            finally:
                first.send_signal(signal.SIGINT)
                assert await asyncio.wait_for(first.wait(), 20) == 0

    run(scenario())
    with serve_lock(db, "telegram"):  # released by the first process when it ended
        pass


def test_the_slack_server_is_refused_too_and_the_channels_do_not_share_a_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dx.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    code = (
        "import time\nfrom pathlib import Path\nfrom bot.serve_lock import serve_lock\n"
        f"with serve_lock(Path({str(db)!r}), 'slack'):\n    print('held', flush=True)\n    time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["serve", "slack"]) == 2
        err = capsys.readouterr().err
        assert "すでに動いています" in err and str(holder.pid) in err
        assert lock_path(db, "slack").exists()
        assert main(["serve", "telegram"]) == 2  # another channel: its own lock (here: no token)
        assert "すでに動いています" not in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
