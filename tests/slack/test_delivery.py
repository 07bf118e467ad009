"""What real Slack enforces: signatures, retries and duplicate deliveries, rate limits, over HTTP too."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest

from bot.slack.server import EVENTS_PATH, http_server
from tests.slack.conftest import SlackDriver, dm_channel, sign

USER = "U1"
DM = dm_channel(USER)


def _answers(slack: SlackDriver) -> dict[str, object]:
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    return dict(slack.service.store.draft(session.lab.id).answers)


def _history(slack: SlackDriver, field: str) -> list[object]:
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    return list(slack.service.store.history(session.lab.id, field))


def test_a_duplicate_event_id_and_its_retries_are_applied_once(slack: SlackDriver) -> None:
    slack.command(USER, "")
    posts = len(slack.fake.of("chat.postMessage"))
    slack.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-same")
    after_first = len(slack.fake.of("chat.postMessage"))
    assert after_first > posts
    # Slack retries (X-Slack-Retry-Num) and duplicate deliveries carry the same event_id
    slack.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-same", retry_num=1)
    slack.dm(USER, "みなと市地域DX推進ラボ", event_id="Ev-same", retry_num=2)
    assert len(slack.fake.of("chat.postMessage")) == after_first
    assert _answers(slack)["lab_name"] == "みなと市地域DX推進ラボ"
    assert len(_history(slack, "lab_name")) == 1
    # the region question is still the one asked: the retry was not taken as the next answer
    slack.dm(USER, "〇〇県みなと市")
    assert _answers(slack)["region"] == "〇〇県みなと市"
    assert slack.service.store.seen_event("slack", "slack:Ev-same")


def test_concurrent_duplicates_are_applied_once(slack: SlackDriver) -> None:
    slack.command(USER, "")
    threads = [
        threading.Thread(
            target=slack.dm, args=(USER, "同時に届いた回答"), kwargs={"event_id": "Ev-race", "retry_num": n}
        )
        for n in range(5)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slack.idle()
    assert len(_history(slack, "lab_name")) == 1


def test_rate_limited_calls_are_retried_after_retry_after(slack: SlackDriver) -> None:
    slack.fake.rate_limit_once.add("chat.postMessage")
    slack.command(USER, "")
    assert slack.fake.of("429:chat.postMessage")
    assert "ラボの名称" in slack.texts(DM)


def test_unknown_subcommand_and_channel_use_acknowledge_with_ephemeral_text(slack: SlackDriver) -> None:
    response = slack.command(USER, "dance")
    assert "dance" in response.body
    response = slack.command(USER, "status", channel="C0001")
    assert "DM" in response.body
    assert slack.fake.wait_for("chat.postMessage")[0].args["channel"] == DM


@pytest.fixture
def served(slack: SlackDriver) -> Iterator[int]:
    server = http_server(slack.app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def _post(port: int, body: str, headers: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(
        "POST", EVENTS_PATH, body=body.encode(), headers={"Content-Type": "application/json", **headers}
    )
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    return response.status, text


def test_signatures_are_verified_over_http(slack: SlackDriver, served: int) -> None:
    slack.command(USER, "")
    event = {"type": "message", "channel": DM, "user": USER, "text": "みなと市地域DX推進ラボ", "ts": "1.1",
             "channel_type": "im"}  # fmt: skip
    body = slack.event_body(event, event_id="Ev-http")
    assert _post(served, body, sign(body, secret="wrong-secret"))[0] == 401
    assert _post(served, body, sign(body, timestamp=int(time.time()) - 60 * 10))[0] == 401  # stale
    assert _post(served, body, {"x-slack-request-timestamp": str(int(time.time()))})[0] == 401  # unsigned
    tampered = body.replace("Ev-http", "Ev-evil")
    assert tampered != body
    assert _post(served, tampered, sign(body))[0] == 401
    slack.idle()
    assert "lab_name" not in _answers(slack)

    status, _ = _post(served, body, sign(body))
    assert status == 200
    slack.idle()
    assert _answers(slack)["lab_name"] == "みなと市地域DX推進ラボ"

    challenge = json.dumps({"token": "t", "challenge": "abc123", "type": "url_verification"})
    status, text = _post(served, challenge, sign(challenge))
    assert status == 200 and "abc123" in text
