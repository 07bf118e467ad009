"""Tokens and signing secrets never appear in logs, error messages or what people are shown.

``dxlab serve slack`` and ``dxlab serve telegram`` run as subprocesses with ``-v`` (DEBUG logging
of every library) and distinctive fake secrets; the tests provoke what makes programs talk: bad
signatures, a Web API answering 500, a token the API rejects, a webhook request with a wrong secret.
Their whole stderr and stdout, and every message the fakes received, must be free of the secrets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.logging_filters import RedactSecrets, install
from tests.reliability.test_crash_safety import child_env, free_port, http_post, slack_headers, wait_until
from tests.slack.fake_slack import FakeSlack
from tests.telegram.fake_bot_api import FakeBotApi

SLACK_TOKEN = "xoxb-1111-2222-SECRETSLACKTOKENzq8"
SIGNING = "SECRETSIGNINGsecret0f9e8d7c6b5a"
APP_TOKEN = "xapp-1-SECRETAPPTOKENqq77"
TG_TOKEN = "987654321:SECRET-TelegramTokenAAx1y2z3"
WEBHOOK_SECRET = "SECRET-webhook_token-55aa"
SECRETS = (SLACK_TOKEN, SIGNING, APP_TOKEN, TG_TOKEN, WEBHOOK_SECRET)


def leaks(text: str) -> list[str]:
    """The secrets (or their distinctive middle part) found in ``text``."""
    return [s for s in SECRETS if s in text or s[6:-6] in text]


class Failing(BaseHTTPRequestHandler):
    """A Web API that verifies the token (``auth.test``) and answers every other call with 500."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ok = self.path.endswith("/auth.test")
        body = json.dumps({"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"} if ok
                          else {"ok": False, "error": "internal_error"}).encode()  # fmt: skip
        self.send_response(200 if ok else 500)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def failing_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/api/"
    server.shutdown()
    server.server_close()


def run_slack(tmp_path: Path, api_url: str, token: str) -> str:
    """Serve Slack with ``-v``, send good and badly signed requests, stop; all the output.

    When the token is refused the program stops at start-up (bolt's ``auth.test``): its output."""
    port = free_port()
    env = child_env(SLACK_BOT_TOKEN=token, SLACK_SIGNING_SECRET=SIGNING, SLACK_API_URL=api_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "-v", "serve", "slack", "--port", str(port), "--host", "127.0.0.1",
         "--db", str(tmp_path / "s.db")],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        wait_until(
            lambda: proc.poll() is not None or http_post(url, "{}", {"Content-Type": "application/json"}),
            30,
            "slack",
        )
        if proc.poll() is not None:
            return proc.communicate(timeout=20)[0].decode("utf-8", errors="replace")
        event = {"type": "event_callback", "event_id": "EvS1", "team_id": "T1",
                 "event": {"type": "message", "channel": "D1", "user": "U1", "text": "こんにちは",
                           "ts": "1.1", "channel_type": "im"}}  # fmt: skip
        body = json.dumps(event)
        assert http_post(url, body, slack_headers(body, "application/json", "wrong-secret")) == 401
        stale = slack_headers(body, "application/json", SIGNING)
        stale["X-Slack-Request-Timestamp"] = str(int(time.time()) - 3600)
        assert http_post(url, body, stale) == 401
        assert http_post(url, body, slack_headers(body, "application/json", SIGNING)) == 200
        time.sleep(1.0)  # the lazy listener calls the Web API, which fails
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    return out.decode("utf-8", errors="replace")


def test_slack_secrets_stay_out_of_logs_when_the_web_api_fails(tmp_path: Path, failing_api: str) -> None:
    output = run_slack(tmp_path, failing_api, SLACK_TOKEN)
    assert "DEBUG" in output and "internal_error" in output  # it logged verbosely, saw the failure
    assert leaks(output) == [], output[-3000:]


def test_slack_secrets_stay_out_of_logs_when_the_token_is_rejected(tmp_path: Path) -> None:
    fake = FakeSlack(token="xoxb-the-right-one").start()
    try:
        output = run_slack(tmp_path, fake.url, SLACK_TOKEN)
    finally:
        fake.stop()
    assert "invalid_auth" in output  # bolt refuses to start
    assert leaks(output) == [], output[-3000:]
    assert not any(leaks(json.dumps(c.args, ensure_ascii=False)) for c in fake.calls)


@pytest.mark.parametrize("accepted", [True, False], ids=["token-accepted", "token-rejected"])
def test_telegram_secrets_stay_out_of_logs(tmp_path: Path, accepted: bool) -> None:
    async def scenario() -> str:
        async with FakeBotApi(token=TG_TOKEN if accepted else "1:another") as api:
            env = child_env(TELEGRAM_BOT_TOKEN=TG_TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                            DXLAB_DB=str(tmp_path / "t.db"))  # fmt: skip
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "-v", "serve", "telegram", cwd=tmp_path, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            try:
                if accepted:
                    await api.wait_for(lambda: api.commands, timeout=30)
                    api.fail_next("sendMessage", retry_after=1)
                    await api.message("/start")
                    await api.wait_for(lambda: api.sent, timeout=30)
                    assert not any(leaks(s.text) for s in api.sent)
                out, _ = await asyncio.wait_for(_stop(proc, accepted), 40)
            finally:
                if proc.returncode is None:
                    proc.kill()
            return out.decode("utf-8", errors="replace")

    output = asyncio.run(scenario())
    assert "DEBUG" in output
    assert leaks(output) == [], output[-3000:]


async def _stop(proc: asyncio.subprocess.Process, running: bool) -> tuple[bytes, bytes]:
    if running:
        proc.send_signal(2)
    return await proc.communicate()


def test_the_filter_redacts_messages_arguments_and_tracebacks(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TG_TOKEN)
    handler = logging.StreamHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install()
        assert any(isinstance(f, RedactSecrets) for f in handler.filters)
        assert any(isinstance(f, RedactSecrets) for f in caplog.handler.filters)
        log = logging.getLogger("dxlab.test")
        with caplog.at_level(logging.DEBUG):
            log.debug("url %s", f"https://api.telegram.org/bot{TG_TOKEN}/getMe")
            log.warning(f"token {SLACK_TOKEN} in the message")
            try:
                raise RuntimeError(f"The token `{TG_TOKEN}` was rejected by the server.")
            except RuntimeError:
                log.exception("failed")
        text = caplog.text
        assert "[redacted]" in text and "getMe" in text and "was rejected" in text
        assert leaks(text) == []
    finally:
        root.removeHandler(handler)
        for h in root.handlers:
            for f in list(h.filters):
                if isinstance(f, RedactSecrets):
                    h.removeFilter(f)
