"""Issue 14 item 2, the invitation: a lab's staff invite a colleague with a one-time code.

``invite`` (staff of the lab, a coordinator, an admin) shows a code only privately; ``join CODE``
makes anyone staff of that lab, once per code; wrong codes share the link codes' lockout. On
Telegram and Slack (the real stacks against the fakes) and the terminal (``dxlab chat --join``).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import bot.roles
from bot.cli import main
from bot.core.commands import Caller, TextOut
from bot.roles import Action, Policy
from bot.wiring import build_router, service_for
from storage import SQLiteStore
from storage.base import LINK_MAX_FAILURES
from storage.roles import RoleStore
from tests.slack.conftest import SlackDriver, dm_channel
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

FIXTURES = Path(__file__).parents[1] / "fixtures"
LAB = "みなと市DXラボ"
GROUP = -1004321
ALICE = FakeBotApi.user(6001, "花子", "山田")
BOB = FakeBotApi.user(6002, "次郎", "佐藤")
CAROL = FakeBotApi.user(6003, "三子", "鈴木")
MALLORY = FakeBotApi.user(6666, "三郎", "鈴木")
_CODE = re.compile(r"招待コード: ([A-Z0-9]{8})")


def code_in(text: str) -> str:
    found = _CODE.search(text)
    assert found is not None, text
    return found.group(1)


def invites(store: SQLiteStore) -> int:
    return int(store.query("SELECT COUNT(*) FROM invite_codes")[0][0])


def test_telegram_staff_invite_a_stranger_who_can_then_edit_and_export(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start", user=ALICE)  # Alice's new lab: she is its staff
            assert bot.service is not None
            store, policy = bot.service.store, bot.service.policy
            lab = store.bound_lab("telegram", str(ALICE["id"]))
            assert lab is not None
            bob = store.person("x", channel="telegram", external_id=str(BOB["id"]))
            assert not policy.allowed(bob.id, Action.EDIT_DRAFT, lab.id)
            out = await bot.say("/invite", user=ALICE)
            code = code_in(out[0].text)
            assert lab.name in out[0].text
            out = await bot.say(f"/join {code}", user=BOB)
            assert "担当者になりました" in out[0].text and lab.name in out[0].text
            assert policy.allowed(bob.id, Action.EDIT_DRAFT, lab.id)
            assert policy.allowed(bob.id, Action.EXPORT_DRAFT, lab.id)
            alice = store.find_person(channel="telegram", external_id=str(ALICE["id"]))
            assert alice is not None
            granted = store.query(
                "SELECT granted_by FROM roles WHERE person_id = ? AND lab_id = ?", (bob.id, lab.id)
            )
            assert granted == [(alice.id,)]
            out = await bot.say("/status", user=BOB)  # his turns now work on Alice's lab
            assert out and all("権限がありません" not in m.text for m in out)
            assert store.bound_lab("telegram", str(BOB["id"])) == lab
            # one use per code
            out = await bot.say(f"/join {code}", user=CAROL)
            assert "使えません" in out[0].text
            carol = store.person("x", channel="telegram", external_id=str(CAROL["id"]))
            assert not policy.allowed(carol.id, Action.EDIT_DRAFT, lab.id)
            assert api.rejected == []

    run(scenario())


def test_telegram_invite_in_a_group_shows_no_code(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start", user=ALICE)
            assert bot.service is not None
            out = await bot.say("/invite@dxlab_test_bot", user=ALICE, chat_id=GROUP, group=True)
            assert out and "個別のチャット" in out[0].text
            assert _CODE.search(out[0].text) is None
            assert invites(bot.service.store) == 0  # no code was even made
            out = await bot.say("/invite", user=ALICE)  # the private chat still gets one
            code_in(out[0].text)

    run(scenario())


def test_telegram_five_wrong_invite_codes_lock(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start", user=ALICE)
            code = code_in((await bot.say("/invite", user=ALICE))[0].text)
            for _ in range(LINK_MAX_FAILURES):
                out = await bot.say("/join ZZZZZZZZ", user=MALLORY)
                assert "使えません" in out[0].text
            out = await bot.say(f"/join {code}", user=MALLORY)
            assert "しばらく" in out[0].text and "担当者になりました" not in out[0].text
            assert api.rejected == []

    run(scenario())


def test_a_stranger_cannot_invite_to_a_lab_they_do_not_staff(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dx.db")
    try:
        service = service_for(store)
        service.policy = Policy(store, admins=frozenset())
        router = build_router(service)
        lab = store.lab(LAB)
        owner = store.person("山田", channel="slack", external_id="U1")
        assert service.policy.claim_lab(owner.id, lab)
        stranger = store.person("誰か", channel="slack", external_id="UEVIL")
        invocation = router.invocation("invite")
        assert invocation is not None
        (out,) = router.run(Caller(stranger, "slack", "/dxlab ", "UEVIL", lab_of=lambda: lab), invocation)
        assert isinstance(out, TextOut) and "権限がありません" in out.text and LAB in out.text
        assert invites(store) == 0
        # a coordinator may invite to any lab
        coordinator = store.person("調整役", channel="slack", external_id="UCO")
        RoleStore(store).grant(coordinator.id, "coordinator", lab_id=0, granted_by=None)
        (out,) = router.run(Caller(coordinator, "slack", "/dxlab ", "UCO", lab_of=lambda: lab), invocation)
        assert isinstance(out, TextOut)
        code_in(out.text)
    finally:
        store.close()


def test_slack_invite_and_join(slack: SlackDriver) -> None:
    slack.command("U1", "")  # U1's own lab, claimed
    store = slack.service.store
    slack.command("U1", "invite", channel="C0GENERAL")  # the answer goes to U1's DM
    code = code_in(slack.texts(dm_channel("U1")))
    assert code not in "\n".join(slack.fake.posted_texts("C0GENERAL"))
    slack.command("U2", f"join {code}")
    assert "担当者になりました" in slack.texts(dm_channel("U2"))
    lab = store.bound_lab("slack", "U1")
    u2 = store.find_person(channel="slack", external_id="U2")
    assert lab is not None and u2 is not None
    assert slack.service.policy.allowed(u2.id, Action.EXPORT_DRAFT, lab.id)
    assert store.bound_lab("slack", "U2") == lab


def test_terminal_join_then_edit_and_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dx.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    monkeypatch.delenv("DXLAB_USER", raising=False)
    monkeypatch.setattr(bot.roles, "os_account", lambda: "hanako")
    assert main(["import", str(FIXTURES / "full_application.json"), "--lab", LAB]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("/invite\n"))
    assert main(["chat", "--lab", LAB, "--user", "花子"]) == 0
    code = code_in(capsys.readouterr().out)
    monkeypatch.setattr(bot.roles, "os_account", lambda: "bob")
    out_file = tmp_path / "draft.json"
    assert main(["export", "--lab", LAB, "-o", str(out_file)]) == 2  # not yet
    monkeypatch.setattr("sys.stdin", io.StringIO("/status\n"))
    assert main(["chat", "--join", "zzzz-zzzz", "--user", "ボブ"]) == 2
    assert "使えません" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("/status\n"))
    assert main(["chat", "--join", code, "--user", "ボブ"]) == 0
    assert f"ラボ「{LAB}」の担当者になりました" in capsys.readouterr().out
    assert main(["export", "--lab", LAB, "-o", str(out_file)]) == 0
    assert out_file.exists()


def test_terminal_join_inside_the_dialog_moves_to_the_joined_lab(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "dx.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    monkeypatch.delenv("DXLAB_USER", raising=False)
    monkeypatch.setattr(bot.roles, "os_account", lambda: "hanako")
    assert main(["import", str(FIXTURES / "full_application.json"), "--lab", LAB]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("/invite\n"))
    assert main(["chat", "--lab", LAB, "--user", "花子"]) == 0
    code = code_in(capsys.readouterr().out)
    monkeypatch.setattr(bot.roles, "os_account", lambda: "bob")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"/join WRONG234\n/join {code}\n/status\n"))
    assert main(["chat", "--lab", "ボブのラボ", "--user", "ボブ"]) == 0
    out = capsys.readouterr().out
    assert "使えません" in out and f"ラボ「{LAB}」の担当者になりました" in out
    store = SQLiteStore(db)
    try:
        bob = store.find_person(channel="console", external_id="bob")
        assert bob is not None
        assert store.last_lab(bob.id) == store.find_lab(LAB)  # /status ran on the joined lab
    finally:
        store.close()
