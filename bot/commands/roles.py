"""``dxlab roles grant|revoke|list``: who may do what (``bot.roles``).

``grant`` and ``revoke`` are for administrators (the first ones come from ``DXLAB_ADMINS``);
``list`` shows every grant to an administrator and one's own roles to anyone else. The person at
the terminal is ``console:<--user | DXLAB_USER | login name>``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.errors import UserError
from bot.roles import Action, Policy, Role, console_person, parse_identity
from bot.wiring import add_db_option, build_service
from renderers.messages import message
from storage.base import Lab
from storage.roles import ALL_LABS
from storage.sqlite import SQLiteStore


def add_parser(subparsers: Any) -> None:
    help_text = message("secretariat.help_roles")
    parser: argparse.ArgumentParser = subparsers.add_parser("roles", help=help_text, description=help_text)
    actions = parser.add_subparsers(dest="roles_action", metavar="grant|revoke|list", required=True)
    for name in ("grant", "revoke"):
        sub: argparse.ArgumentParser = actions.add_parser(
            name,
            help=message(f"secretariat.help_roles_{name}"),
            description=message(f"secretariat.help_roles_{name}"),
        )
        sub.add_argument("identity", metavar="CHANNEL:ID", help=message("secretariat.help_identity"))
        sub.add_argument("role", choices=[r.value for r in Role], help=message("secretariat.help_role"))
        sub.add_argument("--lab", default=None, help=message("secretariat.help_roles_lab"))
        sub.add_argument("--user", default=None, help=message("secretariat.help_actor"))
        add_db_option(sub)
        sub.set_defaults(handler=run_grant if name == "grant" else run_revoke)
    listing: argparse.ArgumentParser = actions.add_parser(
        "list",
        help=message("secretariat.help_roles_list"),
        description=message("secretariat.help_roles_list"),
    )
    listing.add_argument("--user", default=None, help=message("secretariat.help_actor"))
    add_db_option(listing)
    listing.set_defaults(handler=run_list)


def _identity(text: str) -> tuple[str, str]:
    try:
        return parse_identity(text)
    except ValueError:
        raise UserError(message("secretariat.bad_identity", text=text)) from None


def _scope(store: SQLiteStore, role: Role, lab_name: str | None, *, create: bool) -> Lab | None:
    if role is Role.STAFF:
        if not lab_name:
            raise UserError(message("secretariat.staff_needs_lab"))
        lab = store.lab(lab_name) if create else store.find_lab(lab_name)
        if lab is None:
            raise UserError(message("cli.unknown_lab", lab=lab_name))
        return lab
    if lab_name:
        raise UserError(message("secretariat.lab_only_for_staff", role=role.value))
    return None


def _params(identity: str, role: Role, lab: Lab | None) -> dict[str, Any]:
    return {
        "identity": identity,
        "role": message(f"secretariat.role_{role.value}"),
        "lab": lab.name if lab else "",
    }


@contextmanager
def _as_admin(args: argparse.Namespace) -> Iterator[tuple[Policy, int]]:
    """The policy and the acting person's id, once the actor is known to be allowed to grant."""
    service = build_service(args.db)
    store, policy = service.store, service.policy
    try:
        actor = console_person(store, args.user)
        policy.require(actor.id, Action.GRANT)
        yield policy, actor.id
    finally:
        store.close()


def run_grant(args: argparse.Namespace) -> int:
    channel, external_id = _identity(args.identity)
    role = Role(args.role)
    with _as_admin(args) as (policy, actor_id):
        lab = _scope(policy.store, role, args.lab, create=True)
        person = policy.store.person(external_id, channel=channel, external_id=external_id)
        fresh = policy.roles.grant(
            person.id, role.value, lab_id=lab.id if lab else ALL_LABS, granted_by=actor_id
        )
    key = "secretariat.granted" if fresh else "secretariat.already_granted"
    print(message(key, **_params(args.identity, role, lab)))
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    channel, external_id = _identity(args.identity)
    role = Role(args.role)
    with _as_admin(args) as (policy, _actor_id):
        lab = _scope(policy.store, role, args.lab, create=False)
        person = policy.roles.find_person(channel, external_id)
        if person is None:
            raise UserError(message("secretariat.unknown_person", identity=args.identity))
        done = policy.roles.revoke(person.id, role.value, lab_id=lab.id if lab else ALL_LABS)
    print(
        message(
            "secretariat.revoked" if done else "secretariat.not_granted", **_params(args.identity, role, lab)
        )
    )
    return 0 if done else 2


def _role_label(name: str) -> str:
    try:
        return message(f"secretariat.role_{Role(name).value}")
    except ValueError:
        return name


def run_list(args: argparse.Namespace) -> int:
    service = build_service(args.db)
    store, policy = service.store, service.policy
    try:
        actor = console_person(store, args.user)
        everyone = policy.allowed(actor.id, Action.GRANT)
        grants = [g for g in policy.roles.grants() if everyone or g.person_id == actor.id]
        identities = {g.person_id: policy.roles.identities(g.person_id) for g in grants}
        lines: list[str] = []
        if everyone and policy.admins:
            shown = ", ".join(sorted(f"{c}:{e}" for c, e in policy.admins))
            lines.append(message("secretariat.roles_env", identities=shown))
        for g in grants:
            ids = ", ".join(f"{c}:{e}" for c, e in identities[g.person_id])
            lines.append(
                message(
                    "secretariat.roles_line",
                    person=g.person,
                    identities=ids,
                    role=_role_label(g.role),
                    lab=g.lab if g.lab_id != ALL_LABS else "",
                )
            )
        if not lines:
            key = "secretariat.roles_none" if everyone else "secretariat.roles_mine_none"
            lines.append(message(key, person=actor.name))
    finally:
        store.close()
    print("\n".join(lines))
    return 0
