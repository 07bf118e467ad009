"""The policy pieces the chat channels use: entering a lab, bindings as membership, admin formats."""

from __future__ import annotations

import pytest

from bot.roles import Action, PermissionDenied, Policy, Role, env_admins
from storage.roles import RoleStore
from tests.secretariat.conftest import LAB_A, LAB_B, PEOPLE, World


def test_env_admins_accept_the_older_bare_slack_ids() -> None:
    assert env_admins({"DXLAB_ADMINS": "U0123ABCD, W0456EFGH,slack:U9,telegram:42,bogus,u-lower"}) == {
        ("slack", "U0123ABCD"),
        ("slack", "W0456EFGH"),
        ("slack", "U9"),
        ("telegram", "42"),
    }


@pytest.mark.parametrize("user", list(PEOPLE))
def test_entering_a_claimed_lab_needs_edit_draft(world: World, user: str) -> None:
    """The chat session rule: only staff of the lab and admins; the secretariat only views by command."""
    store = world.store()
    try:
        policy = Policy(store)
        person = store.person(user, channel="console")
        may_enter = {
            "staff_a": {LAB_A},
            "staff_b": {LAB_B},
            "admin": {LAB_A, LAB_B},
            "envadmin": {LAB_A, LAB_B},
        }.get(user, set())
        for name in (LAB_A, LAB_B):
            lab = store.lab(name)
            if name in may_enter:
                policy.enter_lab(person.id, lab)
            else:
                with pytest.raises(PermissionDenied, match="下書きの編集"):
                    policy.enter_lab(person.id, lab)
        policy.enter_lab(person.id, store.lab(f"{user}の新しいラボ"))  # new: claimed, theirs
    finally:
        store.close()


def test_add_staff_is_membership_and_leaves_those_who_may_already_edit(world: World) -> None:
    store = world.store()
    try:
        policy = Policy(store)
        roles = RoleStore(store)
        lab_b = store.lab(LAB_B)
        staff_a = store.person("staff_a", channel="console")
        admin = store.person("admin", channel="console")
        assert policy.add_staff(staff_a.id, lab_b, granted_by=admin.id)
        assert not policy.add_staff(staff_a.id, lab_b, granted_by=admin.id)
        assert policy.allowed(staff_a.id, Action.EDIT_DRAFT, lab_b.id)
        assert not policy.add_staff(admin.id, lab_b, granted_by=None)
        assert (Role.STAFF.value, lab_b.id) not in roles.roles_of(admin.id)
        grant = next(g for g in roles.grants() if g.person_id == staff_a.id and g.lab == LAB_B)
        assert grant.granted_by == admin.id
    finally:
        store.close()
