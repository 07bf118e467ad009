"""Coordinator chat commands: only coordinators may use them; the replies in Japanese."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coordinator.coordinator_commands import coordinator_commands
from bot.core.commands import Caller, CommandSet, TextOut
from bot.core.router import Router
from bot.wiring import nudge_factory
from storage.base import Person
from storage.roles import RoleStore
from tests.coordinator.conftest import World, entry


@pytest.fixture
def people(world: World, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    world.clock.set_day(dt.date(2025, 11, 10))
    world.service.import_entries(
        [entry("A市IoTラボ", contact_slack="UA"), entry("B町ラボ", kind="applicant")]
    )
    coordinator = world.store.person("調整", channel="slack", external_id="UCOORD")
    staff = world.store.person("職員", channel="slack", external_id="USTAFF")
    RoleStore(world.store).grant(coordinator.id, "coordinator", granted_by=None)
    return coordinator.id, staff.id


def _say(world: World, person: int, command: str, argument: str = "") -> str:
    """The command through the one router, as Slack sends it."""
    dialog = world.service.dialog
    commands = CommandSet().extend(coordinator_commands(world.service, nudge_factory(world.service)))
    router = Router(commands=commands, policy=dialog.policy, service=dialog)
    invocation = router.invocation(command, argument)
    assert invocation is not None
    (out,) = router.run(Caller(Person(person, ""), "slack", "/dxlab "), invocation)
    assert isinstance(out, TextOut)
    return out.text


def test_only_coordinators(world: World, people: tuple[int, int]) -> None:
    _, staff = people
    for command in ("labs", "lab", "nudge"):
        assert _say(world, staff, command, "A市IoTラボ") == "このコマンドはコーディネーターだけが使えます。"


def test_labs_lab_and_nudge(world: World, people: tuple[int, int]) -> None:
    coordinator, _ = people
    labs = _say(world, coordinator, "labs")
    assert "（2件）" in labs and "A市IoTラボ｜未着手｜期限 2025-11-30（20日）" in labs
    detail = _say(world, coordinator, "lab", "A市IoTラボ")
    assert "移行期限: 2025-11-30（20日）" in detail and "Slack UA" in detail
    assert "登録されていません" in _say(world, coordinator, "lab", "ない")
    assert "例: /dxlab lab" in _say(world, coordinator, "lab")
    done = _say(world, coordinator, "nudge")
    assert "失敗 1件" in done  # no Slack token here: recorded and kept for a retry
    assert "d30(pending)" in _say(world, coordinator, "lab", "A市IoTラボ")
