"""The real notifiers against fake Slack and Telegram APIs, and the jobs registered while serving."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.coordinator.notifiers import DeliveryError, Outgoing
from bot.coordinator.scheduler import JOB_DAILY, JOB_RETRY, JOB_START, schedule_nudges
from bot.slack.notifier import SlackNotifier
from bot.telegram.notifier import TelegramNotifier
from tests.coordinator.conftest import World, entry
from tests.slack.fake_slack import TOKEN, FakeSlack

ITEM = Outgoing(
    key="1:2025-11-30:d30",
    channel="slack",
    target="U0AAA1",
    lab="みなと<市>ラボ",
    stage="d30",
    body="みなと<市>ラボ & *太字* — あと20日です。",
    button=True,
)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def test_slack_posts_escaped_text_with_the_continue_button(slack: FakeSlack) -> None:
    SlackNotifier(token=TOKEN, base_url=slack.url).send(ITEM)
    (call,) = slack.of("chat.postMessage")
    assert call.args["channel"] == "U0AAA1"
    (text,) = slack.posted_texts("U0AAA1")
    assert "みなと&lt;市&gt;ラボ &amp;" in text
    buttons = [e for b in call.args["blocks"] for e in b.get("elements") or [] if e.get("type") == "button"]
    assert [b["text"]["text"] for b in buttons] == ["続きに答える"]
    assert slack.rejections == []


def test_slack_failure_is_a_delivery_error(slack: FakeSlack) -> None:
    with pytest.raises(DeliveryError, match="invalid_auth"):
        SlackNotifier(token="xoxb-wrong", base_url=slack.url).send(ITEM)


class FakeTelegram:
    """The two Bot API methods the notifier uses, on 127.0.0.1."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.sent: list[dict[str, Any]] = []
        self.fail = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                try:
                    args = json.loads(raw) if raw.startswith("{") else {}
                except ValueError:
                    args = {}
                if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                    from urllib.parse import parse_qsl

                    args = dict(parse_qsl(raw))
                method = self.path.rsplit("/", 1)[-1]
                ok = self.path.startswith(f"/bot{fake.token}/")
                if method == "getMe" and ok:
                    result: Any = {"id": 1, "is_bot": True, "first_name": "dxlab", "username": "dxlab_bot"}
                elif method == "sendMessage" and ok and not fake.fail:
                    fake.sent.append(args)
                    result = {"message_id": len(fake.sent), "date": 0, "chat": {"id": 1, "type": "private"}}
                else:
                    body = json.dumps(
                        {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
                    )
                    self._reply(400, body)
                    return
                self._reply(200, json.dumps({"ok": True, "result": result}))

            def _reply(self, code: int, body: str) -> None:
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"


def test_telegram_sends_escaped_html_and_reports_failures() -> None:
    fake = FakeTelegram("123:abc")
    try:
        notifier = TelegramNotifier(token="123:abc", base_url=fake.base_url)
        notifier.send(Outgoing(**{**ITEM.__dict__, "channel": "telegram", "target": "100000001"}))
        (sent,) = fake.sent
        assert str(sent["chat_id"]) == "100000001" and sent["parse_mode"] == "HTML"
        assert "みなと&lt;市&gt;ラボ &amp;" in sent["text"]
        fake.fail = True
        with pytest.raises(DeliveryError, match=r"(?i)chat not found"):
            notifier.send(Outgoing(**{**ITEM.__dict__, "channel": "telegram", "target": "999"}))
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def test_apscheduler_jobs_run_the_nudge_from_the_database(world: World) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    world.clock.set_day(dt.date(2025, 11, 10))
    world.service.import_entries([entry("A市IoTラボ", contact_slack="UA")])
    scheduler = BackgroundScheduler()
    schedule_nudges(scheduler, world.runner)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {JOB_START, JOB_DAILY, JOB_RETRY}
    jobs[JOB_START].func()
    jobs[JOB_DAILY].func()  # a second run the same day (a restart): nothing new
    jobs[JOB_RETRY].func()
    assert len(world.slack.sent) == 1


def test_job_queue_jobs_are_registered(world: World) -> None:
    from telegram.ext import ApplicationBuilder

    application = ApplicationBuilder().token("123:abc").build()
    assert application.job_queue is not None
    schedule_nudges(application.job_queue, world.runner)
    names = sorted(job.name or "" for job in application.job_queue.jobs())
    assert names == sorted([JOB_START, JOB_DAILY, JOB_RETRY])
