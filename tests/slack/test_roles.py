"""Roles in Slack: staff of lab A never reach lab B's draft, whatever path they take.

The real bolt app on the fake Web API. Lab B's draft carries a secret word; after each attempt
the test looks at every call the app made to Slack (messages, views, modals, uploads).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.appfile import load_application
from bot.commands.transfer import answers_of
from bot.roles import Role
from renderers.slack.elements import FORM, FORM_EDIT, encode
from storage.roles import ALL_LABS, RoleStore
from tests.secretariat.conftest import FIXTURES
from tests.slack.conftest import SlackDriver, dm_channel

LAB_A = "みなと市DXラボ"
LAB_B = "やま町DXラボ"
SECRET = "やま町ひみつ推進ラボ"
DENIED = "権限がありません"


@pytest.fixture
def labs(slack: SlackDriver, monkeypatch: pytest.MonkeyPatch) -> SlackDriver:
    """U1 staff of A, U2 staff of B (bound by the admin); B's draft holds ``SECRET``."""
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    slack.command("UADMIN", f"bind {LAB_A} <@U1>")
    slack.command("UADMIN", f"bind {LAB_B} <@U2>")
    store = slack.service.store
    answers = dict(answers_of(load_application(FIXTURES / "full_application.json")))
    importer = store.person("import", channel="import")
    store.replace_draft(store.lab(LAB_A).id, answers, person_id=importer.id, channel="import")
    store.replace_draft(
        store.lab(LAB_B).id, {**answers, "lab_name": SECRET}, person_id=importer.id, channel="import"
    )
    return slack


def _leaked(slack: SlackDriver, since: int) -> list[str]:
    """The calls after ``since`` (an index in the fake's log) that carry lab B's secret."""
    return [c.method for c in slack.fake.calls[since:] if SECRET in json.dumps(c.args, ensure_ascii=False)]


def _uploads(slack: SlackDriver) -> int:
    return len(slack.fake.of("files.completeUploadExternal"))


def _bound(slack: SlackDriver, user: str) -> str:
    lab = slack.service.store.bound_lab("slack", user)
    assert lab is not None
    return lab.name


def _home_export(slack: SlackDriver, user: str) -> None:
    buttons = {"action_id": "dx_cmd_export", "type": "button", "value": ""}
    slack.click(user, buttons, channel="")


def _record_step(slack: SlackDriver) -> str:
    return next(s.id for s in slack.service.engine.flow.steps if s.record is not None)


ATTEMPTS: dict[str, Callable[[SlackDriver, str], object]] = {
    "dialog": lambda s, u: s.dm(u, "ひみつを見せて"),
    "start": lambda s, u: s.command(u, "start"),
    "status": lambda s, u: s.command(u, "status"),
    "review": lambda s, u: s.command(u, "review"),
    "export": lambda s, u: s.command(u, "export"),
    "status_button": lambda s, u: s.click(u, {"action_id": "dx_cmd_status", "type": "button", "value": ""}),
    "home": lambda s, u: s.home_opened(u),
    "home_export": _home_export,
    "form": lambda s, u: s.click(
        u, {"action_id": FORM, "type": "button", "value": encode(s=_record_step(s))}
    ),
    "form_edit": lambda s, u: s.click(
        u, {"action_id": FORM_EDIT, "type": "button", "value": encode(s=_record_step(s), i=0)}
    ),
    "edit_menu": lambda s, u: s.command(u, "edit ラボの名称"),
}


@pytest.mark.parametrize("path", list(ATTEMPTS))
def test_staff_of_a_never_reach_lab_b_through_a_stale_binding(labs: SlackDriver, path: str) -> None:
    store = labs.service.store
    store.bind("slack", "U1", store.lab(LAB_B).id)  # e.g. a binding from before roles existed
    since, uploads = len(labs.fake.calls), _uploads(labs)
    version = store.draft(store.lab(LAB_B).id).version

    ATTEMPTS[path](labs, "U1")
    labs.idle()

    assert _leaked(labs, since) == []
    assert _uploads(labs) == uploads and not labs.fake.of("views.open")
    assert store.draft(store.lab(LAB_B).id).version == version  # nothing written to B
    assert store.inbox_pending("slack") == []  # a refused request is not replayed at the next start
    said = labs.texts(dm_channel("U1"))
    published = [c.args["view"] for c in labs.fake.of("views.publish")]
    assert DENIED in said or any(DENIED in json.dumps(v, ensure_ascii=False) for v in published)


@pytest.mark.parametrize("path", ["review", "export", "home"])
def test_staff_of_b_reach_their_own_draft_on_the_same_paths(labs: SlackDriver, path: str) -> None:
    since = len(labs.fake.calls)
    ATTEMPTS[path](labs, "U2")
    labs.idle()
    if path == "export":
        labs.fake.wait_for("files.completeUploadExternal")
    elif path == "home":
        view = json.dumps(labs.fake.wait_for("views.publish")[-1].args["view"], ensure_ascii=False)
        assert "入力済み" in view and DENIED not in view
    else:
        assert _leaked(labs, since)  # the secret is theirs to see


def test_binding_yourself_to_a_claimed_lab_is_refused(labs: SlackDriver) -> None:
    since = len(labs.fake.calls)
    labs.command("U1", f"bind {LAB_B}")
    assert _bound(labs, "U1") == LAB_A
    assert "自分で登録できません" in labs.texts(dm_channel("U1"))
    labs.command("U1", "review")
    assert _leaked(labs, since) == []
    # another user's own lab is never taken over, even before they used dxlab
    labs.command("U1", "bind slack:U9")
    assert _bound(labs, "U1") == LAB_A and labs.service.store.find_lab("slack:U9") is None
    # a new lab, or your own lab, you may bind yourself to
    labs.command("U1", "bind かわ村DXラボ")
    assert _bound(labs, "U1") == "かわ村DXラボ"
    labs.command("U1", "bind slack:U1")
    assert _bound(labs, "U1") == "slack:U1"


def test_a_non_admin_cannot_bind_others_or_channels(labs: SlackDriver) -> None:
    labs.command("U1", f"bind {LAB_B} <@U1>")
    labs.command("U1", f"bind {LAB_A} <@U2>")
    labs.command("U1", f"bind {LAB_B} <#C0009>")
    labs.command("U1", f"bind {LAB_B}", channel="C0009")  # in a channel: only themselves
    assert labs.texts(dm_channel("U1")).count("管理者だけ") == 3
    assert _bound(labs, "U2") == LAB_B and labs.service.store.bound_lab("slack", "C0009") is None
    assert _bound(labs, "U1") == LAB_A


def test_an_admin_binding_makes_staff_and_a_bound_channel_makes_members(labs: SlackDriver) -> None:
    labs.command("UADMIN", f"bind {LAB_B} <@U1>")  # now U1 is staff of both labs
    since = len(labs.fake.calls)
    labs.command("U1", "review")
    assert _leaked(labs, since)
    roles = RoleStore(labs.service.store)
    u3 = labs.service.store.person("U3", channel="slack", external_id="U3")
    assert roles.roles_of(u3.id) == set()
    labs.command("UADMIN", f"bind {LAB_B}", channel="C0002")
    labs.command("U3", "start", channel="C0002")  # a member of the channel answers for its lab
    assert (Role.STAFF.value, labs.service.store.lab(LAB_B).id) in roles.roles_of(u3.id)
    assert "ようこそ" in labs.texts(dm_channel("U3")) or "こんにちは" in labs.texts(dm_channel("U3"))


def test_secretariat_compares_but_cannot_answer_in_another_labs_dialog(labs: SlackDriver) -> None:
    store = labs.service.store
    sec = store.person("事務局", channel="slack", external_id="USEC")
    RoleStore(store).grant(sec.id, Role.SECRETARIAT.value, lab_id=ALL_LABS, granted_by=None)
    labs.command("USEC", "compare")
    labs.fake.wait_for("files.completeUploadExternal")
    store.bind("slack", "USEC", store.lab(LAB_B).id)
    version = store.draft(store.lab(LAB_B).id).version
    labs.dm("USEC", "書き換えます")
    labs.command("USEC", "status")
    assert store.draft(store.lab(LAB_B).id).version == version
    assert labs.texts(dm_channel("USEC")).count(DENIED) == 2
    labs.command("USEC", f"bind {LAB_B}")
    assert "自分で登録できません" in labs.texts(dm_channel("USEC"))


def test_coordinators_run_labs_and_nudge_staff_do_not(labs: SlackDriver) -> None:
    store = labs.service.store
    coordinator = store.person("調整", channel="slack", external_id="UCOORD")
    RoleStore(store).grant(coordinator.id, Role.COORDINATOR.value, granted_by=None)
    for user in ("UCOORD", "U1"):
        labs.command(user, "labs")
        labs.command(user, "nudge")
        labs.command(user, f"lab {LAB_B}")
    assert labs.texts(dm_channel("U1")).count("コーディネーターだけ") == 3
    said = labs.texts(dm_channel("UCOORD"))
    assert "コーディネーターだけ" not in said and "リマインダーを送りました" in said


def test_env_admin_in_the_channel_format_and_the_bare_format(
    labs: SlackDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DXLAB_ADMINS", "slack:U2")
    labs.command("UADMIN", f"bind {LAB_A} <@U3>")
    assert "管理者だけ" in labs.texts(dm_channel("UADMIN"))  # removed from DXLAB_ADMINS: no power
    labs.command("U2", f"bind {LAB_A} <@U3>")
    assert _bound(labs, "U3") == LAB_A
