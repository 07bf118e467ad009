"""Benchmark: updates per second through our Telegram bot, against a bare PTB echo bot.

Both run the real python-telegram-bot Application with long polling against the fake Bot API of
``tests/telegram`` (in its own process, so the server does not share the bot's CPU). The same
updates are queued for both: several people answering the whole application dialog, interleaved.
Ours does everything a real turn does (identity, SQLite transaction with the update id, engine
and checks, HTML rendering, keyboards, AIORateLimiter with retries); the echo bot replies with the
text; both run chats concurrently with the same update processor (``PerChatUpdateProcessor``).
Telegram's own broadcast throttle (30 messages/s) is left out of both, since it would cap
either bot at the same rate. Two conditions: an API answering at once (CPU-bound: one turn of the
engine with its checks and a SQLite commit costs more than a whole echo update) and an API
answering after 20 ms (network-bound). Several rounds, alternating; the median rates are compared.
Goal: ours at least 0.9× the echo bot.
``python -m benchmarks.telegram`` prints JSON (``--quick`` for fewer updates). Run from the
repository root.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, TypeHandler, filters

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.stats import summary  # noqa: E402
from bot.service import DialogService  # noqa: E402
from bot.telegram.app import ALLOWED_UPDATES, build_application, rate_limiter  # noqa: E402
from bot.telegram.ordering import PerChatUpdateProcessor  # noqa: E402
from storage import SQLiteStore  # noqa: E402
from tests.answers import FULL_APPLICATION  # noqa: E402
from tests.telegram.fake_bot_api import FakeBotApi  # noqa: E402
from tests.telegram.harness import engine  # noqa: E402

GOAL_RATIO = 0.9
TOKEN = "123456:BENCH-token"


def _server_main(port_out: Any, stop: Any, latency: float) -> None:
    async def main() -> None:
        async with FakeBotApi(token=TOKEN, latency=latency) as api:
            port_out.put(api.port)
            while not stop.is_set():
                await asyncio.sleep(0.05)

    asyncio.run(main())


def updates(people: int) -> list[dict[str, Any]]:
    """Each person starts and answers the whole application; turns interleaved."""
    maker = FakeBotApi()
    scripts = [["/start", *[line or "/skip" for line in FULL_APPLICATION]] for _ in range(people)]
    out: list[dict[str, Any]] = []
    for turn in range(max(len(s) for s in scripts)):
        for person, script in enumerate(scripts):
            if turn < len(script):
                user = FakeBotApi.user(7000 + person, f"利用者{person}", "テスト")
                update = maker.message_update(script[turn], user=user)
                update["update_id"] = 10_000 + len(out)
                out.append(update)
    return out


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def _echo_bot(base: str) -> Application:  # type: ignore[type-arg]
    """PTB's echo bot with the same update processor as ours: concurrent across chats,
    sequential within a chat (PTB's default, one update at a time, would flatter ours)."""
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(PerChatUpdateProcessor())
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    return app


def _our_bot(base: str, db: Path) -> tuple[Application, SQLiteStore]:  # type: ignore[type-arg]
    store = SQLiteStore(db)
    service = DialogService(store=store, engine=engine())
    limiter = rate_limiter(max_retries=3, overall_max_rate=0, group_max_rate=0)
    return build_application(service=service, token=TOKEN, base_url=base, limiter=limiter), store


async def _measure(app: Application, base: str, batch: list[dict[str, Any]]) -> float:  # type: ignore[type-arg]
    done = asyncio.Event()
    count = 0

    async def counted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal count
        count += 1
        if count == len(batch):
            done.set()

    app.add_handler(TypeHandler(Update, counted), group=99)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        async with aiohttp.ClientSession() as http:
            started = time.perf_counter()
            async with http.post(f"{base}/_control/updates", json=batch) as response:
                response.raise_for_status()
            await asyncio.wait_for(done.wait(), 600)
            return time.perf_counter() - started
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


def _with_server(fn: Callable[[str], Awaitable[float]], latency: float = 0.0) -> float:
    ctx = multiprocessing.get_context("spawn")
    port_out, stop = ctx.Queue(), ctx.Event()
    server = ctx.Process(target=_server_main, args=(port_out, stop, latency), daemon=True)
    server.start()
    try:
        base = f"http://127.0.0.1:{port_out.get(timeout=30)}"
        return asyncio.run(fn(base))
    finally:
        stop.set()
        server.join(10)


def _compare(batch: list[dict[str, Any]], rounds: int, latency: float) -> dict[str, Any]:
    echo_times, our_times = [], []
    for _ in range(rounds):
        echo_times.append(_with_server(lambda base: _measure(_echo_bot(base), base, batch), latency))
        with tempfile.TemporaryDirectory(prefix="dxlab-bench-") as folder:

            async def ours(base: str, folder: str = folder) -> float:
                app, store = _our_bot(base, Path(folder) / "bench.db")
                try:
                    return await _measure(app, base, batch)
                finally:
                    store.close()

            our_times.append(_with_server(ours, latency))
    echo_rates = [len(batch) / t for t in echo_times]
    our_rates = [len(batch) / t for t in our_times]
    echo, ours = summary(echo_rates, digits=1), summary(our_rates, digits=1)
    ratio = ours["median"] / echo["median"]
    return {
        "api_latency_ms": round(latency * 1000),
        "rounds": rounds,
        "echo_updates_per_s": echo,
        "ours_updates_per_s": ours,
        "ratio_median": round(ratio, 3),
        "meets_goal": ratio >= GOAL_RATIO,
    }


def run(quick: bool) -> dict[str, Any]:
    """Two conditions: a fake API that answers at once (the bots' own CPU cost decides), and one
    answering after 20 ms like a nearby Bot API server (waiting on the network decides). Both
    bots process chats concurrently with the same processor; rounds alternate between them and
    the median rate of the rounds is compared."""
    people = 3 if quick else 10
    batch = updates(people)
    return {
        "updates": len(batch),
        "people": people,
        "goal_ratio": GOAL_RATIO,
        "instant_api": _compare(batch, 1 if quick else 5, 0.0),
        "api_20ms": _compare(batch, 1 if quick else 3, 0.02),
    }


if __name__ == "__main__":
    print(json.dumps(run("--quick" in sys.argv[1:]), ensure_ascii=False, indent=2))
