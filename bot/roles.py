"""The role policy: who may do what, for which lab.

Owns the one answer to "may this person do this?" for every channel and command. Roles are kept
in SQLite (``storage.roles``); the first administrators come from the environment.

=================  ======================  ===========  ===========  =====
action             staff (own lab only)    coordinator  secretariat  admin
=================  ======================  ===========  ===========  =====
faq, eligibility   yes (anyone, no role)   yes          yes          yes
view_draft         own lab                 —            any lab      any
edit_draft         own lab                 —            —            any
export_draft       own lab                 —            any lab      any
invite             own lab                 any lab      —            any
compare            —                       —            yes          yes
labs               —                       yes          yes          yes
registry           —                       yes          —            yes
nudge              —                       yes          —            yes
grant              —                       —            —            yes
=================  ======================  ===========  ===========  =====

- ``staff`` is always held for one lab (``lab_id`` > 0); the other roles for every lab
  (``lab_id`` 0).
- Self-service creates only new labs: a lab nobody staffs is claimed by the first person who
  opens it only while it is blank (no answers in its draft, no registry row), so whoever creates
  a lab becomes its staff (``dxlab chat`` works for a fresh user without any setup), but a lab
  made by ``dxlab import`` or ``dxlab labs import`` is not open to the first comer. Joining an
  existing lab needs an invitation: an invitation code (``invite`` by the lab's staff, a
  coordinator or an admin; ``join CODE`` by the colleague), ``dxlab roles grant``, an admin's
  ``/dxlab bind LAB @user``, a Slack channel or Telegram group already bound to the lab, or the
  lab's contact in the registry.
- The terminal identity is the operating-system account (``os_account``): ``console_person``
  keys the person by it, and ``--user`` / ``DXLAB_USER`` are only the display name of a new
  person. ``DXLAB_ADMINS=console:<account>`` therefore names an OS account; ``console:*`` makes
  every account of this machine an administrator — only for a single-user machine. Without it a
  terminal user is like anyone else: staff of the labs their account created, nothing more.
- ``DXLAB_ADMINS`` (comma-separated ``channel:external_id``: ``slack:U123,telegram:42,console:yamada``)
  names administrators; they need no row in the database. A bare Slack user id (``U0123ABCD``,
  the older Slack-only format) counts as ``slack:U0123ABCD``.
- Registry changes (``dxlab labs import``, ``dxlab labs set``) need ``registry``: a coordinator
  or an admin.
- Chat sessions (Slack, Telegram) call ``enter_lab`` before every dialog turn: the person must
  be allowed to edit the session's lab (a blank unclaimed lab is claimed first). ``add_staff`` is
  how a binding made by someone with the right to make it (an admin binding a person, a shared
  chat bound to a lab) becomes membership.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol

from bot.errors import UserError
from renderers.messages import message
from storage.base import Lab, Person, SQLDatabase, Store
from storage.roles import ALL_LABS, RoleStore


class RolesBackend(Store, SQLDatabase, Protocol):
    """A store that also offers the public SQL transaction API (the SQLite store)."""


ADMINS_ENV = "DXLAB_ADMINS"
#: The channels an identity (``channel:external_id``) may name in ``DXLAB_ADMINS`` and ``dxlab roles``
#: (a typo such as ``email:…`` is refused). A new channel package adds its name: ``register_channel``.
CHANNELS: set[str] = {"console", "slack", "telegram"}


def register_channel(name: str) -> None:
    """Let identities name the channel ``name`` (called by a channel package when imported)."""
    CHANNELS.add(name)


_BARE_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,}")


class Role(StrEnum):
    STAFF = "staff"
    COORDINATOR = "coordinator"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"


class Action(StrEnum):
    FAQ = "faq"
    ELIGIBILITY = "eligibility"
    VIEW_DRAFT = "view_draft"
    EDIT_DRAFT = "edit_draft"
    EXPORT_DRAFT = "export_draft"
    COMPARE = "compare"
    LABS = "labs"
    REGISTRY = "registry"
    NUDGE = "nudge"
    GRANT = "grant"
    INVITE = "invite"


PUBLIC: frozenset[Action] = frozenset({Action.FAQ, Action.ELIGIBILITY})
#: Actions each role allows for every lab.
GLOBAL: Mapping[Role, frozenset[Action]] = {
    Role.STAFF: frozenset(),
    Role.COORDINATOR: frozenset({Action.LABS, Action.REGISTRY, Action.NUDGE, Action.INVITE}),
    Role.SECRETARIAT: frozenset({Action.VIEW_DRAFT, Action.EXPORT_DRAFT, Action.COMPARE, Action.LABS}),
    Role.ADMIN: frozenset(Action),
}
#: Actions staff may take on their own lab.
OWN_LAB: frozenset[Action] = frozenset(
    {Action.VIEW_DRAFT, Action.EDIT_DRAFT, Action.EXPORT_DRAFT, Action.INVITE}
)
LAB_ACTIONS: frozenset[Action] = OWN_LAB


class PermissionDenied(UserError):
    """The person may not do this; the message says so in Japanese and whom to ask."""


def parse_identity(text: str) -> tuple[str, str]:
    """``"slack:U123"`` → ``("slack", "U123")``; ``ValueError`` for anything else."""
    channel, sep, external_id = text.strip().partition(":")
    channel = channel.strip().lower()
    external_id = external_id.strip()
    if not sep or channel not in CHANNELS or not external_id:
        raise ValueError(text)
    return channel, external_id


def os_account() -> str:
    """The operating-system account running this process: the terminal's identity."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def console_user(explicit: str | None = None) -> str:
    """The terminal user's display name: ``--user``, else ``DXLAB_USER``, else the OS account."""
    if explicit:
        return explicit
    return os.environ.get("DXLAB_USER") or os_account()


def console_person(store: Store, display: str | None = None) -> Person:
    """The terminal's person: keyed by the OS account; ``display`` (``--user``) only names them."""
    return store.person(console_user(display), channel="console", external_id=os_account())


def env_admins(environ: Mapping[str, str] | None = None) -> frozenset[tuple[str, str]]:
    """The administrators named in ``DXLAB_ADMINS`` (entries that do not parse are ignored)."""
    raw = (os.environ if environ is None else environ).get(ADMINS_ENV, "")
    found: set[tuple[str, str]] = set()
    for item in raw.split(","):
        if _BARE_SLACK_ID.fullmatch(item.strip()):  # the older Slack-only format: "U0123ABCD"
            found.add(("slack", item.strip()))
            continue
        try:
            found.add(parse_identity(item))
        except ValueError:
            continue
    return frozenset(found)


class Policy:
    """The role policy on one database, with the administrators from the environment."""

    def __init__(self, store: RolesBackend, *, admins: frozenset[tuple[str, str]] | None = None) -> None:
        self.store = store
        self.roles = RoleStore(store)
        self._admins = admins

    @property
    def admins(self) -> frozenset[tuple[str, str]]:
        """The given administrators, else ``DXLAB_ADMINS`` read now (a change applies at once)."""
        return env_admins() if self._admins is None else self._admins

    def is_env_admin(self, person_id: int) -> bool:
        for channel, external_id in self.roles.identities(person_id):
            if (channel, external_id) in self.admins or (
                channel == "console" and ("console", "*") in self.admins
            ):
                return True
        return False

    def held(self, person_id: int) -> set[tuple[str, int]]:
        """``(role, lab_id)`` the person holds, the environment's admin role included."""
        held = self.roles.roles_of(person_id)
        if self.is_env_admin(person_id):
            held.add((Role.ADMIN.value, ALL_LABS))
        return held

    def allowed(self, person_id: int | None, action: Action, lab_id: int | None = None) -> bool:
        """Whether the person may take ``action`` (on ``lab_id`` for draft actions)."""
        if action in PUBLIC:
            return True
        if person_id is None:
            return False
        for role_name, scope in self.held(person_id):
            try:
                role = Role(role_name)
            except ValueError:
                continue
            if scope == ALL_LABS and action in GLOBAL[role]:
                return True
            if role is Role.STAFF and action in OWN_LAB and lab_id is not None and scope == lab_id:
                return True
        return False

    def require(self, person_id: int | None, action: Action, lab: Lab | None = None) -> None:
        """Raise ``PermissionDenied`` unless ``allowed``."""
        if not self.allowed(person_id, action, None if lab is None else lab.id):
            key = "secretariat.denied_lab" if lab is not None else "secretariat.denied"
            raise PermissionDenied(
                message(
                    key, action=message(f"secretariat.action_{action.value}"), lab=lab.name if lab else ""
                )
            )

    def visible_labs(self, person_id: int | None, action: Action = Action.VIEW_DRAFT) -> list[Lab]:
        """The labs the person may take a draft action on."""
        return [lab for lab in self.store.labs() if self.allowed(person_id, action, lab.id)]

    def claim_lab(self, person_id: int, lab: Lab) -> bool:
        """Make the person staff of ``lab`` when it has no staff yet and is blank (no answers, no
        registry row: a lab being created); ``True`` when they became it."""
        return self.roles.grant_if_unclaimed(person_id, Role.STAFF.value, lab.id)

    def enter_lab(self, person_id: int, lab: Lab, action: Action = Action.EDIT_DRAFT) -> None:
        """Claim ``lab`` when it is blank and has no staff yet, then ``require`` ``action`` on it.

        Called before every chat turn: when the person may already act, only reads the database."""
        if self.allowed(person_id, action, lab.id):
            return
        self.claim_lab(person_id, lab)
        self.require(person_id, action, lab)

    def open_lab(self, person_id: int, name: str, action: Action = Action.EDIT_DRAFT) -> Lab:
        """The lab ``name`` (created and claimed when new), if the person may ``action`` it."""
        lab = self.store.lab(name)
        self.claim_lab(person_id, lab)
        self.require(person_id, action, lab)
        return lab

    def add_staff(self, person_id: int, lab: Lab, *, granted_by: int | None) -> bool:
        """Make the person staff of ``lab`` (a binding by someone allowed to make it); ``True`` if new."""
        if self.allowed(person_id, Action.EDIT_DRAFT, lab.id):
            return False
        return self.roles.grant(person_id, Role.STAFF.value, lab_id=lab.id, granted_by=granted_by)
