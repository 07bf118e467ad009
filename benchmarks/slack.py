"""Benchmark: Slack acknowledgement latency under 50 concurrent signed requests, ours vs an echo app.

Both are the real slack-bolt ``App`` behind the same threaded HTTP server (``bot.slack.server``),
with lazy listeners, answering DM message events signed like Slack's; the fake Slack Web API of
``tests/slack`` runs in its own process, and so does the load generator (aiohttp). Ours does a
whole turn per message (identity, SQLite transaction with the event id, engine and checks,
Block Kit, chat.postMessage); the echo app posts the text back. Measured: the HTTP
acknowledgement latency p50/p99 (goals: p99 under 100 ms and at most 1.3× the echo app's), its
spread over the rounds, and the time until every reply has been posted, per request (the cost of
our handlers against the bare stack).
``python -m benchmarks.slack`` prints JSON (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from slack_bolt import Ack, App  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from benchmarks.stats import percentile, summary  # noqa: E402
from bot.service import DialogService  # noqa: E402
from bot.slack.app import build_app  # noqa: E402
from bot.slack.server import EVENTS_PATH, http_server  # noqa: E402
from bot.slack.settings import SlackSettings  # noqa: E402
from bot.wiring import build_engine  # noqa: E402
from storage import SQLiteStore  # noqa: E402

SECRET = "bench-signing-secret"
TOKEN = "xoxb-test-token"
CONCURRENCY = 50
GOAL_P99_MS = 100.0
GOAL_P99_RATIO = 1.3


def _fake_process(port_queue: Any, stop: Any) -> None:
    from tests.slack.fake_slack import FakeSlack

    fake = FakeSlack(token=TOKEN).start()
    port_queue.put(fake.server.server_port)
    stop.wait()
    fake.stop()


def _stats(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/_stats", timeout=10) as response:
        data: dict[str, Any] = json.loads(response.read())
    return data


def _posts(base: str) -> int:
    return int(_stats(base)["calls"].get("chat.postMessage", 0))


def _event(user: str, text: str, event_id: str) -> str:
    ts = f"{time.time():.6f}"
    return json.dumps(
        {"token": "t", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
         "event_id": event_id, "event_time": int(time.time()),
         "event": {"type": "message", "channel": "D" + user[1:], "user": user, "text": text,
                   "ts": ts, "event_ts": ts, "channel_type": "im"}},
        ensure_ascii=False,
    )  # fmt: skip


def _headers(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


async def _burst(url: str, bodies: list[str]) -> list[float]:
    """POST all bodies at once (one connection each); latencies in ms."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(body: str) -> float:
            data = body.encode()
            headers = _headers(body)
            start = time.perf_counter()
            async with session.post(url, data=data, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise RuntimeError(f"HTTP {response.status}")
            return (time.perf_counter() - start) * 1000

        return list(await asyncio.gather(*(one(b) for b in bodies)))


def _echo_app(api_url: str) -> App:
    client = WebClient(token=TOKEN, base_url=api_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=False)

    def ack_now(ack: Ack) -> None:
        ack()

    def echo(body: dict[str, Any], client: WebClient) -> None:
        event = body["event"]
        client.chat_postMessage(channel=event["channel"], text=event.get("text") or " ")

    app.event("message")(ack=ack_now, lazy=[echo])
    return app


def _burst_in_child(url: str, bodies: list[str]) -> list[float]:
    return asyncio.run(_burst(url, bodies))


def _measure(
    app: App, base: str, rounds: int, lines: list[str], warmup: Callable[[str], None], load: Any
) -> dict[str, Any]:
    """Bursts of 50 signed requests from the ``load`` process (its own CPU, like Slack's)."""
    server = http_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}{EVENTS_PATH}"
    users = [f"U{n:04d}" for n in range(CONCURRENCY)]
    try:
        load.apply(_burst_in_child, (url, [_event(u, "/start", f"warm-{u}-{id(app)}") for u in users]))
        warmup(base)
        latencies: list[float] = []
        round_p99: list[float] = []
        work: list[float] = []
        for r in range(rounds):
            before = _posts(base)
            bodies = [_event(u, lines[r % len(lines)], f"Ev{r}-{u}-{id(app)}") for u in users]
            start = time.perf_counter()
            burst = load.apply(_burst_in_child, (url, bodies))
            latencies += burst
            round_p99.append(percentile(burst, 0.99))
            while _posts(base) < before + CONCURRENCY:  # every request answered at least once
                time.sleep(0.002)
            work.append((time.perf_counter() - start) * 1000 / CONCURRENCY)
    finally:
        server.shutdown()
        server.server_close()
    latencies.sort()
    return {
        "requests": len(latencies),
        "ack_p50_ms": round(statistics.median(latencies), 2),
        "ack_p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "ack_max_ms": round(latencies[-1], 2),
        "ack_p99_ms_per_round": summary(round_p99, digits=1),
        "work_ms_per_request": round(statistics.median(work), 2),
    }


def run(quick: bool) -> dict[str, Any]:
    """Ack latency p50/p99 of ours and of the echo app, and their per-request work cost ratio."""
    from tests.answers import FULL_APPLICATION

    rounds = 3 if quick else 12
    ctx = multiprocessing.get_context("spawn")
    port_queue, stop = ctx.Queue(), ctx.Event()
    process = ctx.Process(target=_fake_process, args=(port_queue, stop), daemon=True)
    process.start()
    load = ctx.Pool(1)
    try:
        base = f"http://127.0.0.1:{port_queue.get(timeout=30)}"
        settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, api_url=base + "/api/")

        def settle(base: str) -> None:
            last = -1
            while (now := _posts(base)) != last:
                last = now
                time.sleep(0.3)

        echo = _measure(_echo_app(settings.api_url), base, rounds, FULL_APPLICATION, settle, load)
        with tempfile.TemporaryDirectory() as folder:
            store = SQLiteStore(Path(folder) / "bench.db")
            try:
                ours_app = build_app(DialogService(store=store, engine=build_engine()), settings)
                ours = _measure(ours_app, base, rounds, FULL_APPLICATION, settle, load)
            finally:
                store.close()
        rejections = _stats(base)["rejections"]
    finally:
        load.close()
        load.join()
        stop.set()
        process.join(timeout=10)
    return {
        "benchmark": "slack_ack",
        "concurrency": CONCURRENCY,
        "rounds": rounds,
        "ours": ours,
        "echo": echo,
        "ack_p99_ratio": round(ours["ack_p99_ms"] / echo["ack_p99_ms"], 2),
        "work_ratio": round(ours["work_ms_per_request"] / echo["work_ms_per_request"], 2),
        "slack_rejections": len(rejections),
        "goal_p99_ms": GOAL_P99_MS,
        "goal_p99_ratio_max": GOAL_P99_RATIO,
        "meets_goal": ours["ack_p99_ms"] < GOAL_P99_MS
        and ours["ack_p99_ms"] / echo["ack_p99_ms"] <= GOAL_P99_RATIO
        and not rejections,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv[1:]), ensure_ascii=False, indent=2))
