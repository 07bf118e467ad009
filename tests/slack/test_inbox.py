"""The crash window: Slack was sent a 200, the process died before the turn was committed.

A "dead" app is the real bolt app whose lazy listeners never run (the process is gone right after
the acknowledgement). Building a fresh app on the same database file (a restart) must apply each
kept request once, post its reply, and forget it; a second restart changes nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.service import DialogService
from bot.slack.app import build_app
from bot.slack.settings import SlackSettings
from bot.wiring import build_router
from storage import SQLiteStore
from tests.answers import FULL_APPLICATION
from tests.slack.conftest import SlackDriver, TrackingExecutor, _engine, dm_channel
from tests.slack.fake_slack import FakeSlack

USER = "U1"
DM = dm_channel(USER)
ROOT = Path(__file__).resolve().parents[2]


class DeadExecutor(Executor):
    """Takes the lazy work and never runs it: the process was killed after acknowledging."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return Future()


class Restarts:
    """Processes on one database file: each ``start`` is a fresh store, service and app."""

    def __init__(self, db: Path, fake: FakeSlack, settings: SlackSettings) -> None:
        self.db = db
        self.fake = fake
        self.settings = settings
        self.stores: list[SQLiteStore] = []
        self.executors: list[TrackingExecutor] = []

    def start(self, *, dies_after_ack: bool = False) -> SlackDriver:
        store = SQLiteStore(self.db)
        self.stores.append(store)
        service = DialogService(store=store, engine=_engine())
        executor = TrackingExecutor()
        self.executors.append(executor)
        lazy: Executor = DeadExecutor() if dies_after_ack else executor
        # a restart replays the inbox here
        app = build_app(service, self.settings, executor=lazy, router=build_router(service))
        return SlackDriver(app, self.fake, service, executor)

    def close(self) -> None:
        for executor in self.executors:
            executor.wait_idle()
            executor.shutdown(wait=True)
        for store in self.stores:
            store.close()


@pytest.fixture
def restarts(tmp_path: Path, fake_slack: FakeSlack, slack_settings: SlackSettings) -> Iterator[Restarts]:
    runs = Restarts(tmp_path / "inbox.db", fake_slack, slack_settings)
    yield runs
    runs.close()


def _answers(slack: SlackDriver) -> dict[str, Any]:
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    return dict(slack.service.store.draft(session.lab.id).answers)


def _history(slack: SlackDriver, field: str) -> list[Any]:
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    return [h.value for h in slack.service.store.history(session.lab.id, field)]


def _inbox_rows(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM inbox").fetchone()[0])


def test_a_dm_acknowledged_then_killed_is_applied_once_after_restart(restarts: Restarts) -> None:
    first = restarts.start()
    first.command(USER, "")
    dead = restarts.start(dies_after_ack=True)
    posts = len(restarts.fake.posted_texts(DM))
    assert dead.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-crash").status == 200
    assert "lab_name" not in _answers(dead)  # acknowledged, never applied: the crash window
    assert [eid for eid, _ in dead.service.store.inbox_pending("slack")] == ["slack:Ev-crash"]

    again = restarts.start()  # the restart replays it before answering anything
    assert _answers(again)["lab_name"] == "みなと市地域DX推進ラボ"
    assert _history(again, "lab_name") == ["みなと市地域DX推進ラボ"]
    assert "「ラボの名称」を保存しました" in restarts.fake.posted_texts(DM)[posts]  # the reply
    assert again.service.store.seen_event("slack", "slack:Ev-crash")
    assert again.service.store.inbox_pending("slack") == [] and _inbox_rows(restarts.db) == 0

    # Slack's own retry of it, had it not seen the 200, is a duplicate
    replied = len(restarts.fake.posted_texts(DM))
    again.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-crash", retry_num=1)
    assert len(restarts.fake.posted_texts(DM)) == replied
    again.dm(USER, "〇〇県みなと市")  # the dialog goes on from the replayed answer
    assert _answers(again)["region"] == "〇〇県みなと市"


def test_replay_is_idempotent_across_restarts(restarts: Restarts) -> None:
    restarts.start().command(USER, "")
    dead = restarts.start(dies_after_ack=True)
    dead.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-1")
    dead.dm(USER, "〇〇県みなと市", event_id="Ev-2")  # kept in order, replayed in order
    restarts.start()
    posts = len(restarts.fake.of("chat.postMessage"))
    for _ in range(2):
        later = restarts.start()
        assert len(restarts.fake.of("chat.postMessage")) == posts  # nothing replayed, nothing posted
    assert _history(later, "lab_name") == ["みなと市地域DX推進ラボ"]
    assert _history(later, "region") == ["〇〇県みなと市"]
    assert _inbox_rows(restarts.db) == 0


def test_commands_buttons_and_modals_are_kept_too(restarts: Restarts) -> None:
    dead = restarts.start(dies_after_ack=True)
    dead.command(USER, "start")  # the slash command
    live = restarts.start()
    assert "こんにちは" in "\n".join(restarts.fake.posted_texts(DM))
    for line in FULL_APPLICATION[:3]:
        live.dm(USER, line)
    no = live.element(DM, "dx_pick", label="いいえ")
    restarts.start(dies_after_ack=True).click(USER, no)  # a button
    live = restarts.start()
    assert _answers(live)["transition_from_iot_lab"] is False

    members_at = FULL_APPLICATION.index("事務局長として全体の企画・調整を担う") + 2
    for line in FULL_APPLICATION[4:members_at]:
        live.dm(USER, line)
    live.click(USER, live.element(DM, "dx_form"))
    view = dict(restarts.fake.of("views.open")[-1].args["view"])
    dead = restarts.start(dies_after_ack=True)
    invalid = dead.submit(USER, view, {"name": "みなと市", "category": None, "role": ""})
    assert json.loads(invalid.body)["response_action"] == "errors"  # not kept: no turn
    member = {"name": "みなと市", "category": "municipality", "role": "事務局"}
    assert dead.submit(USER, view, member, view_id="V-crash").status == 200  # the modal
    assert [eid for eid, _ in dead.service.store.inbox_pending("slack")] == ["slack:view:V-crash"]
    live = restarts.start()
    assert _answers(live)["members"] == [member]
    assert "みなと市（自治体）" in "\n".join(restarts.fake.posted_texts(DM))
    assert _inbox_rows(restarts.db) == 0


def test_requests_that_change_no_draft_are_not_kept(restarts: Restarts) -> None:
    dead = restarts.start(dies_after_ack=True)
    dead.home_opened(USER)
    dead.command(USER, "link")
    dead.command(USER, "dance")
    edited = {"type": "message", "subtype": "message_changed", "channel": DM, "channel_type": "im"}
    dead.dispatch(dead.event_body(edited), "application/json")
    assert _inbox_rows(restarts.db) == 0


def test_a_refused_token_stops_serve_with_a_japanese_message(tmp_path: Path) -> None:
    token = "xoxb-refused-0123456789-distinctive"
    fake = FakeSlack().start()  # accepts only its own token: auth.test answers invalid_auth
    try:
        for api_url, expected in ((fake.url, "invalid_auth"), ("http://127.0.0.1:9/api/", "接続できません")):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DXLAB_"))}
            env |= {"SLACK_BOT_TOKEN": token, "SLACK_SIGNING_SECRET": "s3cret-signing",
                    "SLACK_API_URL": api_url, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8",
                    "DXLAB_NUDGE": "off"}  # fmt: skip
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bot",
                    "serve",
                    "slack",
                    "--port",
                    "0",
                    "--db",
                    str(tmp_path / "t.db"),
                ],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                cwd=tmp_path,
            )
            assert done.returncode == 2, done.stderr
            assert expected in done.stderr and "Slack" in done.stderr
            assert "Traceback" not in done.stderr and token not in done.stderr + done.stdout
    finally:
        fake.stop()
