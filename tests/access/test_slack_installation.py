"""Slack requests from another workspace or app are refused (issue 14 item 4).

``dxlab serve slack`` learns its workspace and app with ``auth.test`` at start-up (the fake answers
``T0001`` / ``A0001``); a request signed with the right secret but naming another ``team_id`` or
``api_app_id`` gets a 403 and reaches nothing: no inbox row, no turn, no post.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.slack.app import Installation, check_token
from tests.slack.conftest import SlackDriver, dm_channel


def _event(team: str, app: str, user: str = "U1") -> str:
    ts = "1700000000.000100"
    event = {"type": "message", "channel": dm_channel(user), "user": user, "text": "こんにちは",
             "ts": ts, "event_ts": ts, "channel_type": "im"}  # fmt: skip
    body = {"token": "legacy", "team_id": team, "api_app_id": app, "event": event,
            "type": "event_callback", "event_id": f"Ev{team}{app}", "event_time": 1700000000}  # fmt: skip
    return json.dumps(body)


def _command(team: str, app: str) -> str:
    return urlencode({"token": "legacy", "team_id": team, "channel_id": "DX1", "user_id": "U1",
                      "command": "/dxlab", "text": "link", "api_app_id": app,
                      "response_url": "http://127.0.0.1:1/r", "trigger_id": "1.t"})  # fmt: skip


def _action(team: str, app: str) -> str:
    action = {"action_id": "dx_pick", "value": "x", "type": "button"}
    payload: dict[str, Any] = {"type": "block_actions", "user": {"id": "U1", "team_id": team},
                               "api_app_id": app, "team": {"id": team}, "token": "legacy",
                               "trigger_id": "2.t", "channel": {"id": "D1"}, "actions": [action]}  # fmt: skip
    return urlencode({"payload": json.dumps(payload)})


def test_check_token_learns_the_installation(slack: SlackDriver, slack_settings: Any) -> None:
    assert check_token(slack_settings) == Installation(team_id="T0001", app_id="A0001")


@pytest.mark.parametrize(("team", "app"), [("TOTHER", "A0001"), ("T0001", "AOTHER")])
def test_requests_from_another_workspace_or_app_are_refused(slack: SlackDriver, team: str, app: str) -> None:
    store = slack.service.store
    before = len(slack.fake.calls)
    for body, kind in (
        (_event(team, app), "application/json"),
        (_command(team, app), "application/x-www-form-urlencoded"),
        (_action(team, app), "application/x-www-form-urlencoded"),
    ):
        response = slack.dispatch(body, kind)
        assert response.status == 403, body
    assert store.query("SELECT COUNT(*) FROM inbox")[0][0] == 0
    assert store.query("SELECT COUNT(*) FROM people")[0][0] == 0
    assert [c for c in slack.fake.calls[before:] if c.method != "auth.test"] == []


def test_the_installed_workspace_still_works(slack: SlackDriver) -> None:
    slack.dm("U1", "こんにちは")
    assert slack.fake.posted_texts(dm_channel("U1"))
