"""The real slack-bolt app against the fake Slack Web API, driven by signed requests."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.service import DialogService
from bot.slack.app import build_app, check_token
from bot.slack.settings import SlackSettings
from bot.wiring import build_engine, build_router
from criteria.checking import run_checks
from dialogs.engine import Engine
from storage import SQLiteStore
from tests.slack.fake_slack import TOKEN, FakeSlack

SECRET = "test-signing-secret"
TEAM = "T0001"


class TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that can wait until every submitted task (acks and lazy listeners) is done."""

    def __init__(self) -> None:
        super().__init__(max_workers=16, thread_name_prefix="test-slack")
        self._pending = 0
        self._cond = threading.Condition()
        self.errors: list[BaseException] = []

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._cond:
            self._pending += 1

        def run() -> Any:
            try:
                return fn(*args, **kwargs)
            except BaseException as exc:
                self.errors.append(exc)
                raise
            finally:
                with self._cond:
                    self._pending -= 1
                    self._cond.notify_all()

        return super().submit(run)

    def wait_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("lazy listeners still running")
                self._cond.wait(left)


def sign(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature: ``v0=`` HMAC-SHA256 of ``v0:{ts}:{body}``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


def dm_channel(user: str) -> str:
    return "D" + user.lstrip("UW")


class ErrorLog(logging.Handler):
    """Errors logged by bolt (it logs and swallows exceptions of lazy listeners) or by us."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class SlackDriver:
    """Sends signed requests to the bolt app as Slack would, and waits for the lazy work."""

    def __init__(self, app: App, fake: FakeSlack, service: DialogService, executor: TrackingExecutor) -> None:
        self.app = app
        self.fake = fake
        self.service = service
        self.executor = executor
        self._ids = itertools.count(1)
        self.errors = ErrorLog()

    # --- requests ------------------------------------------------------------------------------

    def dispatch(
        self, body: str, content_type: str, *, retry_num: int | None = None, wait: bool = True
    ) -> BoltResponse:
        headers = {"content-type": content_type, **sign(body)}
        if retry_num is not None:
            headers["x-slack-retry-num"] = str(retry_num)
            headers["x-slack-retry-reason"] = "http_timeout"
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        if wait:
            self.idle()
        return response

    def idle(self) -> None:
        self.executor.wait_idle()
        assert not self.executor.errors, self.executor.errors
        assert not self.errors.records, [r.getMessage() for r in self.errors.records]
        assert not self.fake.rejections, self.fake.rejections

    def event_body(self, event: dict[str, Any], *, event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A0001",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._ids):08d}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
            }
        )

    def dm(
        self, user: str, text: str, *, event_id: str | None = None, retry_num: int | None = None
    ) -> BoltResponse:
        ts = f"{time.time():.6f}"
        event = {"type": "message", "channel": dm_channel(user), "user": user, "text": text,
                 "ts": ts, "event_ts": ts, "channel_type": "im"}  # fmt: skip
        return self.dispatch(
            self.event_body(event, event_id=event_id), "application/json", retry_num=retry_num
        )

    def home_opened(self, user: str) -> BoltResponse:
        event = {"type": "app_home_opened", "user": user, "channel": dm_channel(user), "tab": "home"}
        return self.dispatch(self.event_body(event), "application/json")

    def command(self, user: str, text: str, *, channel: str | None = None) -> BoltResponse:
        form = {
            "token": "legacy", "team_id": TEAM, "channel_id": channel or dm_channel(user),
            "channel_name": "directmessage" if channel is None else "general", "user_id": user,
            "user_name": user.lower(), "command": "/dxlab", "text": text, "api_app_id": "A0001",
            "response_url": f"{self.fake.base}/response", "trigger_id": f"{next(self._ids)}.trigger",
        }  # fmt: skip
        return self.dispatch(urlencode(form), "application/x-www-form-urlencoded")

    def _payload(self, payload: dict[str, Any]) -> BoltResponse:
        return self.dispatch(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def click(self, user: str, element: dict[str, Any], *, option: dict[str, Any] | None = None,
              state: dict[str, Any] | None = None, channel: str | None = None) -> BoltResponse:  # fmt: skip
        """Press a button (or choose ``option`` of a select) of a posted message."""
        channel = channel or dm_channel(user)
        action = {"action_id": element["action_id"], "block_id": "b", "type": element["type"],
                  "action_ts": f"{time.time():.6f}{next(self._ids)}"}  # fmt: skip
        if option is not None:
            action["selected_option"] = option
        else:
            action["value"] = element.get("value", "")
        return self._payload(
            {"type": "block_actions", "user": {"id": user, "team_id": TEAM}, "api_app_id": "A0001",
             "token": "legacy", "team": {"id": TEAM}, "trigger_id": f"{next(self._ids)}.trigger",
             "container": {"type": "message", "channel_id": channel, "message_ts": "1.1"},
             "channel": {"id": channel}, "state": state or {"values": {}}, "actions": [action]}
        )  # fmt: skip

    def submit(
        self, user: str, view: dict[str, Any], values: dict[str, Any], *, view_id: str = ""
    ) -> BoltResponse:
        """Submit a modal opened with ``views.open`` with the given field values."""
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block["type"] != "input":
                continue
            el = block["element"]
            value = values.get(block["block_id"])
            if el["type"] in ("static_select", "radio_buttons"):
                chosen = next((o for o in el["options"] if o["value"] == value), None)
                state[block["block_id"]] = {el["action_id"]: {"type": el["type"], "selected_option": chosen}}
            else:
                state[block["block_id"]] = {el["action_id"]: {"type": el["type"], "value": value}}
        return self._payload(
            {"type": "view_submission", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0001",
             "token": "legacy", "trigger_id": f"{next(self._ids)}.trigger",
             "view": {**view, "id": view_id or f"V{next(self._ids):06d}", "state": {"values": state}}}
        )  # fmt: skip

    # --- what the fake saw -----------------------------------------------------------------------

    def last_blocks(self, channel: str) -> list[dict[str, Any]]:
        posts = [c for c in self.fake.of("chat.postMessage") if c.args.get("channel") == channel]
        return [b for c in posts[-3:] for b in c.args.get("blocks") or []]

    def element(self, channel: str, action_prefix: str, *, label: str | None = None) -> dict[str, Any]:
        """The newest interactive element whose action id starts with ``action_prefix``."""
        posts = [c for c in self.fake.of("chat.postMessage") if c.args.get("channel") == channel]
        for call in reversed(posts):
            for block in reversed(call.args.get("blocks") or []):
                for el in block.get("elements") or []:
                    if str(el.get("action_id", "")).startswith(action_prefix) and (
                        label is None or el.get("text", {}).get("text") == label
                    ):
                        return el
        raise AssertionError(f"no element {action_prefix} {label or ''} in {channel}")

    def texts(self, channel: str, since: int = 0) -> str:
        return "\n".join(self.fake.posted_texts(channel)[since:])


def _engine() -> Engine:
    try:
        return build_engine()
    except AttributeError:  # criteria.transition is being rewritten concurrently
        return Engine(checker=run_checks)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(names={"U1": "山田", "U2": "佐藤", "UADMIN": "管理者"}).start()
    yield fake
    fake.stop()


@pytest.fixture
def slack_settings(fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> SlackSettings:
    admins = os.environ.get("DXLAB_ADMINS", "")
    if "UADMIN" not in admins:  # the older bare-id format, as a deployment may still have it
        monkeypatch.setenv("DXLAB_ADMINS", "UADMIN")
    return SlackSettings(bot_token=TOKEN, signing_secret=SECRET, api_url=fake_slack.url)


@pytest.fixture
def slack_service(tmp_path: Path) -> Iterator[DialogService]:
    store = SQLiteStore(tmp_path / "slack.db")
    yield DialogService(store=store, engine=_engine())
    store.close()


@pytest.fixture
def slack(
    fake_slack: FakeSlack, slack_settings: SlackSettings, slack_service: DialogService
) -> Iterator[SlackDriver]:
    executor = TrackingExecutor()
    app = build_app(
        slack_service,
        slack_settings,
        executor=executor,
        router=build_router(slack_service),
        installation=check_token(slack_settings),  # as ``dxlab serve slack`` does: foreign requests refused
    )
    driver = SlackDriver(app, fake_slack, slack_service, executor)
    loggers = [logging.getLogger("slack_bolt"), logging.getLogger("bot.slack")]
    for logger in loggers:
        logger.addHandler(driver.errors)
    yield driver
    for logger in loggers:
        logger.removeHandler(driver.errors)
    executor.wait_idle()
    executor.shutdown(wait=True)
