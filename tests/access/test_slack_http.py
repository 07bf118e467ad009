"""Issue 14 item 9: the Slack HTTP server (aiohttp's, in front of bolt) and Socket Mode.

Malformed requests get a 4xx and never reach bolt (no traceback), bodies are limited, idle
connections hold no thread, ``dxlab serve slack`` listens on 127.0.0.1 unless told otherwise, and
Socket Mode works against a fake ``apps.connections.open`` and a websocket on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web

from bot.slack.server import EVENTS_PATH, MAX_BODY_BYTES, http_server
from tests.slack.conftest import SECRET, SlackDriver, dm_channel, sign
from tests.slack.fake_slack import APP_TOKEN, TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
USER = "U1"


@pytest.fixture
def served(slack: SlackDriver, caplog: pytest.LogCaptureFixture) -> Iterator[int]:
    server = http_server(slack.app, host="127.0.0.1", port=0, signing_secret=SECRET)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert server.wait_started()
    yield server.server_port
    server.shutdown()
    thread.join(10)
    server.server_close()
    assert not [r for r in caplog.records if r.exc_info], "no traceback for any request"


def _post(port: int, body: bytes, headers: dict[str, str], kind: str = "application/json") -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("POST", EVENTS_PATH, body=body, headers={"Content-Type": kind, **headers})
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, text


def _event(slack: SlackDriver, text: str = "こんにちは") -> str:
    event = {"type": "message", "channel": dm_channel(USER), "user": USER, "text": text,
             "ts": "1.1", "channel_type": "im"}  # fmt: skip
    return slack.event_body(event)


def test_malformed_requests_get_a_4xx_and_never_reach_bolt(slack: SlackDriver, served: int) -> None:
    body = _event(slack)
    signed = sign(body)
    assert _post(served, body.encode(), {**signed, "x-slack-request-timestamp": "abc"})[0] == 400
    assert _post(served, body.encode(), {**signed, "x-slack-request-timestamp": "1.7e9"})[0] == 400
    assert _post(served, body.encode(), {"x-slack-signature": signed["x-slack-signature"]})[0] == 400
    bad_utf8 = b'{"type": "event_callback", "x": "\xff\xfe"}'
    assert (
        _post(
            served,
            bad_utf8,
            {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v0=0"},
        )[0]
        == 400
    )
    form = "payload=%7B%22type%22%3A%22block_actions%22"  # unsigned, and not even valid JSON
    status, _ = _post(served, form.encode(), {"x-slack-request-timestamp": str(int(time.time()))},
                      "application/x-www-form-urlencoded")  # fmt: skip
    assert status == 401
    big = "x" * (MAX_BODY_BYTES + 1)
    assert _post(served, big.encode(), sign(big))[0] == 413
    slack.idle()
    assert slack.fake.of("chat.postMessage") == []
    assert _post(served, body.encode(), sign(body))[0] == 200  # a good request still works
    slack.idle()
    assert slack.fake.of("chat.postMessage")


def test_idle_connections_hold_no_thread(slack: SlackDriver, served: int) -> None:
    before = threading.active_count()
    idle = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", served))
        s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        idle.append(s)
    time.sleep(0.5)
    try:
        assert threading.active_count() <= before + 2, threading.active_count() - before
        body = _event(slack)
        assert _post(served, body.encode(), sign(body))[0] == 200  # still answering
    finally:
        for s in idle:
            s.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_slack_listens_on_127_0_0_1_by_default(tmp_path: Path) -> None:
    fake = FakeSlack().start()
    try:
        env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "s3cret",
               "SLACK_API_URL": fake.url, "DXLAB_NUDGE": "off", "PYTHONPATH": str(ROOT)}  # fmt: skip
        for name in ("SLACK_APP_TOKEN", "DXLAB_SLACK_HOST"):
            env.pop(name, None)
        port = _free_port()
        log_path = tmp_path / "stderr.txt"
        with log_path.open("w") as log_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "serve", "slack", "--port", str(port), "--db", "d.db"],
                env=env, cwd=tmp_path, stderr=log_file, text=True,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while "/slack/events" not in log_path.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log_path.read_text()
                time.sleep(0.1)
            assert f"http://127.0.0.1:{port}/slack/events" in log_path.read_text(), log_path.read_text()
            with socket.socket() as s:
                assert s.connect_ex(("127.0.0.1", port)) == 0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        fake.stop()


class FakeSocket:
    """A Socket Mode websocket on 127.0.0.1: says hello, sends envelopes, records the acks."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.outbox: asyncio.Queue[dict[str, Any]] | None = None
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.port = 0
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)

    async def _start(self) -> None:
        self.outbox = asyncio.Queue()
        app = web.Application()
        app.router.add_get("/link", self._ws)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}})
        self.ready.set()
        assert self.outbox is not None

        async def pump() -> None:
            assert self.outbox is not None
            while True:
                await ws.send_json(await self.outbox.get())

        sender = asyncio.create_task(pump())
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.acks.append(json.loads(msg.data))
        sender.cancel()
        return ws

    def send(self, envelope: dict[str, Any]) -> None:
        assert self.outbox is not None
        self.loop.call_soon_threadsafe(self.outbox.put_nowait, envelope)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_socket_mode_against_a_fake_connections_open_and_websocket(tmp_path: Path) -> None:
    fake = FakeSlack(names={USER: "山田"}).start()
    ws = FakeSocket()
    fake.socket_url = f"ws://127.0.0.1:{ws.port}/link"
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": fake.url,
           "DXLAB_NUDGE": "off", "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("SLACK_SIGNING_SECRET", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "slack", "--db", str(tmp_path / "d.db")],
        env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert ws.ready.wait(30), "the app never opened the websocket"
        event = {"type": "message", "channel": dm_channel(USER), "user": USER, "text": "こんにちは",
                 "ts": "1.1", "channel_type": "im"}  # fmt: skip
        payload = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "event": event,
                   "type": "event_callback", "event_id": "EvSocket1", "event_time": 1700000000}  # fmt: skip
        ws.send({"envelope_id": "env-1", "type": "events_api", "payload": payload,
                 "accepts_response_payload": False, "retry_attempt": 0})  # fmt: skip
        posts = fake.wait_for("chat.postMessage", timeout=30)
        assert posts[0].args["channel"] == dm_channel(USER)
        deadline = time.monotonic() + 10
        while not any(a.get("envelope_id") == "env-1" for a in ws.acks) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(a.get("envelope_id") == "env-1" for a in ws.acks), ws.acks
        # another workspace through the same socket: acknowledged, but nothing is done
        foreign = {**payload, "team_id": "TOTHER", "event_id": "EvSocket2"}
        ws.send({"envelope_id": "env-2", "type": "events_api", "payload": foreign,
                 "accepts_response_payload": False, "retry_attempt": 0})  # fmt: skip
        time.sleep(1.0)
        assert len(fake.of("chat.postMessage")) == len(posts)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
        ws.stop()
        fake.stop()
    assert "Traceback" not in err, err
    logging.getLogger(__name__).info("socket mode stderr: %s", err)
