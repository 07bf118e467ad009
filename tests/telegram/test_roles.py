"""Roles in Telegram: a user never reaches another lab's draft; groups, admins, coordinators, menu."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.roles import Role
from storage.roles import RoleStore
from storage.sqlite import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

ALICE = FakeBotApi.user(5001, "花子", "山田")
BOB = FakeBotApi.user(5002, "太郎", "佐藤")
ADMIN = FakeBotApi.user(9001, "管理", "者")
COORD = FakeBotApi.user(5003, "調整", "係")
SECRET = "花子ひみつ推進ラボ"
DENIED = "権限がありません"
GROUP = -1009999


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXLAB_ADMINS", "telegram:9001")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)


def _store(bot: BotRun) -> SQLiteStore:
    assert bot.store is not None
    return bot.store


def test_a_user_never_reaches_another_users_lab(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            await bot.say("/start", user=ALICE)
            await bot.say(SECRET, user=ALICE)
            store = _store(bot)
            alice_lab = store.bound_lab("telegram", "5001")
            assert alice_lab is not None and store.draft(alice_lab.id).answers["lab_name"] == SECRET
            await bot.say("/start", user=BOB)  # his own lab, claimed on first use
            store.bind("telegram", "5002", alice_lab.id)  # e.g. a binding from before roles existed
            version = store.draft(alice_lab.id).version
            seen = []
            for text in ("/start", "/status", "/review", "/export", "/edit ラボの名称", "書き換え"):
                out = await bot.say(text, user=BOB)
                assert out and DENIED in out[0].text, text
                seen += out
            # nor by making a new group work on that lab
            out = await bot.say("/start", user=BOB, chat_id=GROUP, group=True)
            assert DENIED in out[0].text and store.bound_lab("telegram", str(GROUP)) is None
            seen += out
            assert not any(SECRET in s.text for s in seen)
            assert api.documents == [] and store.draft(alice_lab.id).version == version
            assert store.inbox_pending("telegram") == []  # refused updates are not replayed later
            # the administrator may (DXLAB_ADMINS=telegram:9001)
            store.bind("telegram", "9001", alice_lab.id)
            out = await bot.say("/review", user=ADMIN)
            assert any(SECRET in s.text for s in out)
            await bot.say("/export", user=ADMIN)
            await api.wait_for(lambda: api.documents)
            assert api.rejected == []

    run(scenario())


def test_group_members_become_staff_of_its_lab(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            out = await bot.say("/start", user=ALICE, chat_id=GROUP, group=True)
            assert "このグループをラボ" in out[0].text
            store = _store(bot)
            lab = store.bound_lab("telegram", str(GROUP))
            assert lab is not None
            out = await bot.say("/status", user=BOB, chat_id=GROUP, group=True)
            assert DENIED not in out[0].text
            bob = store.person("x", channel="telegram", external_id="5002")
            assert (Role.STAFF.value, lab.id) in RoleStore(store).roles_of(bob.id)

    run(scenario())


async def _command(api: FakeBotApi, text: str, user: dict[str, object]) -> str:
    """The reply to a coordinator command (its handler stops the update: no "finished" mark)."""
    before = len(api.sent)
    await api.message(text, user=user)
    await api.wait_for(lambda: len(api.sent) > before)
    return api.sent[before].text


def test_coordinators_list_and_nudge_others_are_refused(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            store = _store(bot)
            coordinator = store.person("調整 係", channel="telegram", external_id="5003")
            RoleStore(store).grant(coordinator.id, Role.COORDINATOR.value, granted_by=None)
            for command in ("/labs", "/nudge", "/lab みなと市DXラボ"):
                assert "コーディネーターだけ" in await _command(api, command, BOB), command
                assert "コーディネーターだけ" not in await _command(api, command, COORD), command
            # an administrator through DXLAB_ADMINS
            assert "リマインダーを送りました" in await _command(api, "/nudge", ADMIN)

    run(scenario())


def test_the_menu_follows_the_role(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            described = {c["command"]: c["description"] for c in api.commands}
            for name in ("faq", "eligibility", "link", "start"):
                assert described.get(name), name
            assert not {"labs", "lab", "nudge", "compare"} & set(described)  # staff never see them
            assert "質問" in described["faq"]
            coordinator = _store(bot).person("調整 係", channel="telegram", external_id="5003")
            RoleStore(_store(bot)).grant(coordinator.id, "coordinator", granted_by=None)
            await bot.say("/start", user=BOB)
            await bot.say("/start", user=COORD)
            assert 5002 not in api.chat_commands  # nothing more for staff: the default applies
            mine = {c["command"]: c["description"] for c in api.chat_commands[5003]}
            assert {"labs", "lab", "nudge"} <= set(mine) and "compare" not in mine
            assert "コーディネーター" in mine["nudge"]
            await bot.say("/faq 補助金", user=ADMIN)
            assert {"labs", "lab", "nudge", "compare"} <= {c["command"] for c in api.chat_commands[9001]}

    run(scenario())
