"""``dxlab serve telegram`` as a process: settings from the environment, long polling, Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import run

ROOT = Path(__file__).resolve().parents[2]


def test_serve_telegram_polls_the_configured_bot_api(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "DXLAB_DB": str(tmp_path / "dx.db"),
            }
            env.pop("TELEGRAM_WEBHOOK_URL", None)
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "serve",
                "telegram",
                cwd=tmp_path,
                env={**env, "PYTHONPATH": str(ROOT)},
            )
            try:
                await api.wait_for(lambda: api.commands, timeout=30)
                await api.message("/start")
                await api.wait_for(lambda: api.sent, timeout=15)
                assert "こんにちは" in api.sent[0].text
            finally:
                process.send_signal(signal.SIGINT)
                assert await asyncio.wait_for(process.wait(), 20) == 0
            assert (tmp_path / "dx.db").exists()

    run(scenario())


def test_serve_telegram_without_a_token_explains_in_japanese(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "telegram", "--db", str(tmp_path / "dx.db")],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "BotFather" in done.stderr
    assert "Traceback" not in done.stderr


def serve_with(tmp_path: Path, token: str, base_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DXLAB_"))}
    env |= {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_BASE_URL": base_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve", "telegram", "--db", str(tmp_path / "dx.db")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_serve_telegram_with_a_refused_token_explains_in_japanese(tmp_path: Path) -> None:
    async def scenario() -> subprocess.CompletedProcess[str]:
        async with FakeBotApi() as api:  # answers 401 Unauthorized to any other token
            return await asyncio.to_thread(serve_with, tmp_path, "424242:REFUSED-secret-token", api.base_url)

    done = run(scenario())
    assert done.returncode == 2
    assert "トークンを受け付けませんでした" in done.stderr and "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
    assert "REFUSED-secret-token" not in done.stderr + done.stdout


def test_serve_telegram_with_an_unreachable_bot_api_explains_in_japanese(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    done = serve_with(tmp_path, "123456:UNREACHABLE-token", closed)
    assert done.returncode == 2
    assert "接続できませんでした" in done.stderr and closed in done.stderr
    assert "Traceback" not in done.stderr
    assert "UNREACHABLE-token" not in done.stderr + done.stdout
