"""Every inbound path, delivered many times at once, takes effect once.

Slack: the same event (same ``event_id``, with and without ``X-Slack-Retry-Num``), the same button
payload and the same slash command (same ``trigger_id``) posted concurrently from threads over real
HTTP to ``bot.slack.server``. Telegram: the same update pushed twice in one batch, and two taps on
one keyboard. Reminders: ``dxlab nudge`` started by several processes at once on the same day.
Effects counted: answer history rows, messages posted to the fakes, reminders sent.
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.coordinator.service import CoordinatorService
from bot.service import DialogService
from bot.slack.app import build_app
from bot.slack.server import http_server
from bot.slack.settings import SlackSettings
from dialogs.events import Pick, Start, Text
from renderers.slack.elements import PICK, decode
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION
from tests.coordinator.conftest import Clock, entry
from tests.reliability.model import Person, Tally, announce, engine, history_rows
from tests.reliability.test_crash_safety import (
    SIGNING_SECRET,
    SlackPeople,
    child_env,
    http_post,
    slack_headers,
)
from tests.slack.conftest import TrackingExecutor
from tests.slack.fake_slack import TOKEN, FakeSlack
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun

COPIES = 8


def concurrently(fn: Any, args: list[Any]) -> list[Any]:
    """Call ``fn`` with each of ``args`` from its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(args))

    def go(arg: Any) -> Any:
        barrier.wait()
        return fn(arg)

    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        return list(pool.map(go, args))


class SlackRig:
    """The real bolt app behind ``bot.slack.server`` on a free port, its Web API on ``FakeSlack``."""

    def __init__(self, db: Path) -> None:
        self.fake = FakeSlack(names={"U1": "山田"}).start()
        self.store = SQLiteStore(db)
        settings = SlackSettings(bot_token=TOKEN, signing_secret=SIGNING_SECRET, api_url=self.fake.url)
        self.executor = TrackingExecutor()
        app = build_app(DialogService(store=self.store, engine=engine()), settings, executor=self.executor)
        self.server = http_server(app, host="127.0.0.1", port=0)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/slack/events"

    def post(self, wire: tuple[str, str], retry_num: int | None = None) -> int | None:
        body, content_type = wire
        return http_post(self.url, body, slack_headers(body, content_type, SIGNING_SECRET, retry_num))

    def close(self) -> None:
        self.executor.wait_idle()
        self.server.shutdown()
        self.server.server_close()
        self.executor.shutdown(wait=True)
        self.store.close()
        self.fake.stop()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[SlackRig]:
    rig = SlackRig(tmp_path / "dup.db")
    yield rig
    rig.close()


def button_payload(person: Person, element: dict[str, Any]) -> tuple[str, str]:
    """A block_actions payload for a press of ``element`` (identical on every delivery)."""
    action = {"action_id": element["action_id"], "block_id": "b", "type": "button",
              "value": element.get("value", ""), "action_ts": "1700000000.000100"}  # fmt: skip
    payload = {"type": "block_actions", "user": {"id": person.external_id, "team_id": "T0001"},
               "api_app_id": "A0001", "token": "legacy", "team": {"id": "T0001"},
               "trigger_id": "77.dup",
               "container": {"type": "message", "channel_id": "D1", "message_ts": "1.1"},
               "channel": {"id": "D1"}, "state": {"values": {}}, "actions": [action]}  # fmt: skip
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def find_button(fake: FakeSlack, label: str) -> dict[str, Any]:
    for call in reversed(fake.of("chat.postMessage")):
        for block in call.args.get("blocks") or []:
            for el in block.get("elements") or []:
                if str(el.get("action_id", "")).startswith(PICK) and el.get("text", {}).get("text") == label:
                    return dict(el)
    raise AssertionError(f"no button {label}")


def test_slack_duplicates_over_http_apply_once(rig: SlackRig, tmp_path: Path, capsys: Any) -> None:
    slack = SlackPeople(rig.fake)
    person = Person(key="s", name="山田", lab="slack:U1", channel="slack", external_id="U1", lines=[])
    tally = Tally("slack-duplicates", seed=0, people=1)
    injected = 0

    def deliver_copies(wire: tuple[str, str], *, retries: bool) -> None:
        nonlocal injected
        numbers = [None] + [(i if retries else None) for i in range(1, COPIES)]
        statuses = concurrently(lambda n: rig.post(wire, n), numbers)
        assert statuses == [200] * COPIES
        injected += COPIES - 1
        rig.executor.wait_idle()

    # the slash command, COPIES times with the same trigger_id
    deliver_copies(slack.begin(person, Start()), retries=False)
    slack.wait_ack(person, tally)
    # a typed answer: one event id, delivered with and without retry headers
    for line in FULL_APPLICATION[:3]:
        deliver_copies(slack.begin(person, Text(line)), retries=True)
        slack.wait_ack(person, tally)
    # a button press, the same payload COPIES times
    element = find_button(rig.fake, "いいえ")
    chosen = decode(element["value"])
    wire = button_payload(person, element)
    person.begin(Pick(str(chosen["s"]), str(chosen["v"])), wire)
    slack.base[person.key] = len(slack.posts(person))
    deliver_copies(wire, retries=False)
    slack.wait_ack(person, tally)

    settled = len(slack.posts(person))
    time.sleep(0.2)  # a late duplicate would post after this
    assert len(slack.posts(person)) == settled
    rows = history_rows(Path(rig.store.path), "slack", "U1", person.lab)
    assert [r[0] for r in rows] == ["lab_name", "region", "joint_regions", "transition_from_iot_lab"]
    assert not rig.fake.rejections
    announce(capsys, program="slack-duplicates", duplicates_injected=injected)


def test_telegram_duplicate_updates_and_double_taps_apply_once(tmp_path: Path, capsys: Any) -> None:
    async def scenario() -> int:
        injected = 0
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            await bot.say("/start")
            for line in FULL_APPLICATION[:3]:
                update = api.message_update(line)
                for _ in range(COPIES):  # all in one getUpdates batch
                    await api.push(copy.deepcopy(update))
                injected += COPIES - 1
                sentinel = await api.message("/status")
                await bot.processed(sentinel)
            question = api.last(5001)
            taps = [api.press_update(question, "いいえ") for _ in range(COPIES)]
            for tap in taps:
                await api.push(tap)
            injected += COPIES - 1
            sentinel = await api.message("/status")
            await bot.processed(sentinel)
            assert (
                sum("すでに押されています" in str(a.get("text")) for a in api.callback_answers) == COPIES - 1
            )
            assert bot.service is not None
            lab = bot.service.store.bound_lab("telegram", "5001")
            assert lab is not None
            fields = [h.field for h in bot.service.store.history(lab.id)]
            assert fields == ["lab_name", "region", "joint_regions", "transition_from_iot_lab"]
            # each answer was acknowledged once: one 保存しました per applied answer
            assert sum("保存しました" in t for t in api.texts(5001)) == 4
        return injected

    injected = asyncio.run(scenario())
    announce(capsys, program="telegram-duplicates", duplicates_injected=injected)


# --- dxlab nudge from several processes at once -----------------------------------------------------

DAY = dt.date(2025, 11, 10)  # 20 days before the programme-wide deadline: the d30 reminder is due


class LoopThread:
    """An event loop on a thread, to run the fake Bot API beside subprocesses."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_nudge_from_concurrent_processes_sends_each_reminder_once(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "nudge.db"
    store = SQLiteStore(db)
    coordinator = CoordinatorService(
        dialog=DialogService(store=store, engine=engine()), store=store, clock=Clock(DAY)
    )
    labs = [entry(f"S{i}市IoTラボ", contact_slack=f"UA{i}") for i in range(3)]
    labs += [entry(f"T{i}町IoTラボ", contact_telegram=str(1001 + i)) for i in range(3)]
    coordinator.import_entries(labs)
    store.close()

    fake = FakeSlack().start()
    loop = LoopThread()
    api = FakeBotApi()
    loop.run(api.__aenter__())
    try:
        env = child_env(SLACK_BOT_TOKEN=TOKEN, SLACK_API_URL=fake.url, TELEGRAM_BOT_TOKEN=api.token,
                        TELEGRAM_API_BASE_URL=api.base_url)  # fmt: skip
        command = [
            sys.executable,
            "-m",
            "bot",
            "nudge",
            "--db",
            str(db),
            "--today",
            DAY.isoformat(),
            "--json",
        ]
        runs = [
            subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(3)
        ]
        results = [r.communicate(timeout=60) for r in runs]
        assert [r.returncode for r in runs] == [0, 0, 0], [e.decode() for _, e in results]
        sent = [json.loads(out)["sent"] for out, _ in results]
        assert sorted(s["target"] for run in sent for s in run) == sorted(
            [f"UA{i}" for i in range(3)] + [str(1001 + i) for i in range(3)]
        )
        slack_targets = [c.args.get("channel") for c in fake.of("chat.postMessage")]
        assert sorted(slack_targets) == [f"UA{i}" for i in range(3)]
        assert sorted(s.chat_id for s in api.sent) == [1001, 1002, 1003]
    finally:
        loop.run(api.__aexit__(None, None, None))
        loop.close()
        fake.stop()
    store = SQLiteStore(db)
    try:
        rows = store.query("SELECT status FROM reminders")
    finally:
        store.close()
    assert [r[0] for r in rows] == ["sent"] * 6
    announce(capsys, program="nudge-duplicates", concurrent_runs=3, reminders_sent=6, duplicates_injected=12)
