"""Roles: the policy table, a matrix of commands × roles × labs, the first admin, claiming a lab."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.roles import Action, PermissionDenied, Policy, Role, env_admins, parse_identity
from storage.roles import ALL_LABS, RoleStore
from tests.conftest import os_account
from tests.secretariat.conftest import LAB_A, LAB_B, PEOPLE, World

# Written out independently of bot/roles.py: who may take which action on lab A / lab B.
A, B, BOTH, NONE = {LAB_A}, {LAB_B}, {LAB_A, LAB_B}, set[str]()
EXPECTED: dict[str, dict[Action, set[str]]] = {
    "nobody": {
        Action.VIEW_DRAFT: NONE,
        Action.EDIT_DRAFT: NONE,
        Action.EXPORT_DRAFT: NONE,
        Action.INVITE: NONE,
    },
    "staff_a": {Action.VIEW_DRAFT: A, Action.EDIT_DRAFT: A, Action.EXPORT_DRAFT: A, Action.INVITE: A},
    "staff_b": {Action.VIEW_DRAFT: B, Action.EDIT_DRAFT: B, Action.EXPORT_DRAFT: B, Action.INVITE: B},
    "coordinator": {
        Action.VIEW_DRAFT: NONE,
        Action.EDIT_DRAFT: NONE,
        Action.EXPORT_DRAFT: NONE,
        Action.INVITE: BOTH,
    },
    "secretariat": {
        Action.VIEW_DRAFT: BOTH,
        Action.EDIT_DRAFT: NONE,
        Action.EXPORT_DRAFT: BOTH,
        Action.INVITE: NONE,
    },
    "admin": {
        Action.VIEW_DRAFT: BOTH,
        Action.EDIT_DRAFT: BOTH,
        Action.EXPORT_DRAFT: BOTH,
        Action.INVITE: BOTH,
    },
    "envadmin": {
        Action.VIEW_DRAFT: BOTH,
        Action.EDIT_DRAFT: BOTH,
        Action.EXPORT_DRAFT: BOTH,
        Action.INVITE: BOTH,
    },
}
GLOBAL_EXPECTED: dict[str, set[Action]] = {
    "nobody": {Action.FAQ, Action.ELIGIBILITY},
    "staff_a": {Action.FAQ, Action.ELIGIBILITY},
    "staff_b": {Action.FAQ, Action.ELIGIBILITY},
    "coordinator": {Action.FAQ, Action.ELIGIBILITY, Action.LABS, Action.REGISTRY, Action.NUDGE},
    "secretariat": {Action.FAQ, Action.ELIGIBILITY, Action.LABS, Action.COMPARE},
    "admin": set(Action) - {Action.VIEW_DRAFT, Action.EDIT_DRAFT, Action.EXPORT_DRAFT, Action.INVITE},
    "envadmin": set(Action) - {Action.VIEW_DRAFT, Action.EDIT_DRAFT, Action.EXPORT_DRAFT, Action.INVITE},
}


@pytest.mark.parametrize("user", list(PEOPLE))
def test_policy_matrix_actions_by_role_and_lab(world: World, user: str) -> None:
    store = world.store()
    try:
        policy = Policy(store)
        person = store.person(user, channel="console")
        labs = {lab.name: lab for lab in store.labs()}
        for action, allowed_labs in EXPECTED[user].items():
            for name, lab in labs.items():
                assert policy.allowed(person.id, action, lab.id) == (name in allowed_labs), (
                    user,
                    action,
                    name,
                )
            assert {lab.name for lab in policy.visible_labs(person.id, action)} == allowed_labs
        for action in set(Action) - set(EXPECTED[user]):
            assert policy.allowed(person.id, action) == (action in GLOBAL_EXPECTED[user]), (user, action)
    finally:
        store.close()


def test_unknown_person_may_only_read_public_information(world: World) -> None:
    store = world.store()
    try:
        policy = Policy(store)
        assert policy.allowed(None, Action.FAQ)
        assert not policy.allowed(None, Action.VIEW_DRAFT, store.labs()[0].id)
        with pytest.raises(PermissionDenied) as denied:
            policy.require(None, Action.VIEW_DRAFT, store.labs()[0])
        assert "権限がありません" in denied.value.message and denied.value.status == 2
    finally:
        store.close()


def _run(user: str, argv: list[str]) -> int:
    """Run a command as the terminal's OS account ``user`` (``dxlab faq`` needs no identity)."""
    with os_account(user):
        return main(argv if argv[0] == "faq" else [*argv, "--user", user])


# command → (argv, who may run it). Labs: "A" / "B" in argv are replaced by the lab names.
COMMANDS: dict[str, tuple[list[str], set[str]]] = {
    "faq": (["faq", "補助金はありますか"], set(PEOPLE)),
    "eligibility": (
        [
            "eligibility",
            "--secretariat",
            "1",
            "--municipality",
            "1",
            "--types",
            "1",
            "--joint",
            "no",
            "--municipal-dx",
            "no",
            "--data-platform",
            "no",
        ],
        set(PEOPLE),
    ),
    "eligibility --lab A": (
        ["eligibility", "--lab", LAB_A, "--municipal-dx", "no", "--json"],
        {"staff_a", "secretariat", "admin", "envadmin"},
    ),
    "eligibility --lab B": (
        [
            "eligibility",
            "--lab",
            LAB_B,
            "--secretariat",
            "1",
            "--municipality",
            "1",
            "--types",
            "1",
            "--joint",
            "no",
            "--municipal-dx",
            "no",
            "--data-platform",
            "no",
        ],
        {"staff_b", "secretariat", "admin", "envadmin"},
    ),
    "compare --lab A": (["compare", "--lab", LAB_A, "-o", "OUT.xlsx"], {"secretariat", "admin", "envadmin"}),
    "compare --lab B": (["compare", "--lab", LAB_B, "-o", "OUT.csv"], {"secretariat", "admin", "envadmin"}),
    "compare (all)": (["compare", "-o", "OUT.xlsx"], {"secretariat", "admin", "envadmin"}),
    "roles grant staff A": (["roles", "grant", "slack:UNEW", "staff", "--lab", LAB_A], {"admin", "envadmin"}),
    "roles grant secretariat": (["roles", "grant", "telegram:77", "secretariat"], {"admin", "envadmin"}),
    "roles revoke": (["roles", "revoke", "console:staff_b", "staff", "--lab", LAB_B], {"admin", "envadmin"}),
    "roles list": (["roles", "list"], set(PEOPLE)),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("user", list(PEOPLE))
def test_command_matrix(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, user: str
) -> None:
    argv, allowed = COMMANDS[command]
    argv = [str(tmp_path / a) if a.startswith("OUT.") else a for a in argv]
    status = _run(user, argv)
    out, err = capsys.readouterr()
    if user in allowed:
        assert status == 0, err
        assert "権限がありません" not in err
    else:
        assert status == 2
        assert "権限がありません" in err and "Traceback" not in err
        assert not any(Path(a).exists() for a in argv if a.startswith(str(tmp_path)))
        assert LAB_A not in out or command.startswith("eligibility")  # nothing of a draft leaks


def test_roles_list_shows_everything_to_admins_and_only_own_roles_to_others(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("admin", ["roles", "list"]) == 0
    everything = capsys.readouterr().out
    assert "DXLAB_ADMINS" in everything and "console:envadmin" in everything
    assert "staff_a" in everything and "secretariat" in everything
    assert _run("staff_a", ["roles", "list"]) == 0
    own = capsys.readouterr().out
    assert LAB_A in own and "staff_b" not in own and "DXLAB_ADMINS" not in own
    assert _run("nobody", ["roles", "list"]) == 0
    assert "権限がありません" in capsys.readouterr().out


def test_grant_then_revoke(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("envadmin", ["roles", "grant", "slack:U9", "secretariat"]) == 0
    assert "付与しました" in capsys.readouterr().out
    assert _run("envadmin", ["roles", "grant", "slack:U9", "secretariat"]) == 0
    assert "すでに" in capsys.readouterr().out
    store = world.store()
    try:
        person = RoleStore(store).find_person("slack", "U9")
        assert person is not None
        assert Policy(store).allowed(person.id, Action.COMPARE)
    finally:
        store.close()
    assert _run("envadmin", ["roles", "revoke", "slack:U9", "secretariat"]) == 0
    assert _run("envadmin", ["roles", "revoke", "slack:U9", "secretariat"]) == 2
    assert _run("envadmin", ["roles", "revoke", "slack:NOBODY", "admin"]) == 2
    assert "まだ登録されていません" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["roles", "grant", "slack:U1", "staff"], "--lab"),
        (["roles", "grant", "slack:U1", "admin", "--lab", LAB_A], "--lab"),
        (["roles", "grant", "U1", "admin"], "IDの形"),
        (["roles", "grant", "email:a@b", "admin"], "IDの形"),
        (["roles", "revoke", "slack:U1", "staff", "--lab", "ないラボ"], "見つかりません"),
    ],
)
def test_role_command_bad_input(
    world: World, capsys: pytest.CaptureFixture[str], argv: list[str], text: str
) -> None:
    assert _run("admin", argv) == 2
    assert text in capsys.readouterr().err


def test_bad_role_name_is_exit_2(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _run("admin", ["roles", "grant", "slack:U1", "king"])
    assert exc.value.code == 2


def test_first_admin_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_admins({"DXLAB_ADMINS": "slack:U123, telegram:42,console:yamada,bad,:x"}) == {
        ("slack", "U123"),
        ("telegram", "42"),
        ("console", "yamada"),
    }
    assert env_admins({}) == frozenset()
    assert parse_identity(" Slack:U1 ") == ("slack", "U1")
    with pytest.raises(ValueError):
        parse_identity("slack:")


def test_console_star_trusts_every_terminal_user_only(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    store = world.store()
    try:
        someone = store.person("someone", channel="console")
        slack_user = store.person("S", channel="slack", external_id="U5")
        assert not Policy(store).allowed(someone.id, Action.COMPARE)
        policy = Policy(store, admins=frozenset({("console", "*")}))
        assert policy.allowed(someone.id, Action.COMPARE)
        assert not policy.allowed(slack_user.id, Action.COMPARE)
    finally:
        store.close()


def test_env_admin_power_ends_when_removed_from_the_environment(world: World) -> None:
    store = world.store()
    try:
        person = store.person("envadmin", channel="console")
        assert Policy(store).allowed(person.id, Action.GRANT)
        assert not Policy(store, admins=frozenset()).allowed(person.id, Action.GRANT)
        assert RoleStore(store).roles_of(person.id) == set()
    finally:
        store.close()


def test_whoever_creates_a_lab_becomes_its_staff(world: World) -> None:
    store = world.store()
    try:
        policy = Policy(store, admins=frozenset())
        first = store.person("first", channel="console")
        second = store.person("second", channel="telegram", external_id="99")
        lab = policy.open_lab(first.id, "新しいラボ")
        assert (Role.STAFF.value, lab.id) in RoleStore(store).roles_of(first.id)
        assert policy.allowed(first.id, Action.EDIT_DRAFT, lab.id)
        with pytest.raises(PermissionDenied) as denied:
            policy.open_lab(second.id, "新しいラボ")
        assert "新しいラボ" in denied.value.message
        assert not policy.claim_lab(second.id, lab)
        assert RoleStore(store).holders(Role.STAFF.value, lab.id) == [first.id]
    finally:
        store.close()


def test_labs_without_staff_are_claimed_by_the_first_who_opens_them(world: World) -> None:
    store = world.store()
    try:
        policy = Policy(store, admins=frozenset())
        legacy = store.lab("古いラボ")  # made before roles existed: nobody holds it
        person = store.person("late", channel="console")
        assert not policy.allowed(person.id, Action.VIEW_DRAFT, legacy.id)
        assert policy.open_lab(person.id, "古いラボ") == legacy
        assert policy.allowed(person.id, Action.VIEW_DRAFT, legacy.id)
    finally:
        store.close()


def test_all_labs_scope_is_zero_never_null(world: World) -> None:
    store = world.store()
    try:
        roles = RoleStore(store)
        person = store.person("x", channel="console")
        assert roles.grant(person.id, "secretariat", granted_by=None)
        assert not roles.grant(person.id, "secretariat", granted_by=None)  # the PK holds: no duplicate
        rows = store.query("SELECT lab_id FROM roles WHERE person_id = ?", (person.id,))
        assert rows == [(ALL_LABS,)]
    finally:
        store.close()
