"""Who is talking, about which lab: Slack users and channels mapped to people and labs.

A Slack user is a person (``identities``: channel ``slack``, the user id). Their lab is, in order:
their own binding, the binding of the channel they used ``/dxlab`` in, the lab of the person they
linked to from another channel, else a lab of their own until someone binds them. Every binding
made here is also recorded for the person (``bindings``: channel ``person``, the person id), so a
one-time link code redeemed on another channel continues the same lab's draft.

Bindings are membership (``bot.roles``): an admin binding a person makes them staff of the lab;
using ``/dxlab`` in a channel bound to a lab (only admins, or a coordinator's registry import, bind
channels) makes the user staff of it; binding oneself is allowed only for a lab that is new, has no
staff yet, or that one may already edit.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from bot.roles import Action, PermissionDenied, Policy
from bot.service import DialogService, Session
from storage.base import Lab, Person

log = logging.getLogger(__name__)

CHANNEL = "slack"
PERSON_CHANNEL = "person"  # bindings keyed by person id: the lab a person works on, any channel
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL_MENTION = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_OWN_LAB = re.compile(r"slack:[UW][A-Z0-9]+")


def is_own_lab(name: str) -> bool:
    """Whether ``name`` is a user's own lab (``slack:U…``), a name no person chose."""
    return bool(_OWN_LAB.fullmatch(name))


def own_lab_name(user_id: str) -> str:
    """The lab a user works on until they are bound (named after the user, never shared)."""
    return f"slack:{user_id}"


@dataclass(frozen=True)
class Resolved:
    """A session, and the lab of the channel when joining it changed the user's lab."""

    session: Session
    joined: Lab | None = None


@dataclass(frozen=True)
class BindResult:
    """What ``/dxlab bind`` did: a message key of ``slack.yaml`` and its parameters."""

    key: str
    params: dict[str, str]


class Identity:
    """Maps Slack ids to sessions; ``display_name`` looks a user's name up (cached here)."""

    def __init__(self, *, service: DialogService, display_name: Callable[[str], str]) -> None:
        self.service = service
        self.store = service.store
        self.display_name = display_name
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def person(self, user_id: str) -> Person:
        with self._lock:
            name = self._names.get(user_id)
        if name is None:
            name = self.display_name(user_id) or user_id
            with self._lock:
                self._names[user_id] = name
        return self.store.person(name, channel=CHANNEL, external_id=user_id)

    def policy(self) -> Policy:
        """The roles policy (``DXLAB_ADMINS`` read at each check, so a change applies at once)."""
        return self.service.policy

    def refusal(self, session: Session, action: Action = Action.EDIT_DRAFT) -> str | None:
        """Why the person may not ``action`` the session's lab (claimed first when unclaimed)."""
        try:
            self.policy().enter_lab(session.person.id, session.lab, action)
        except PermissionDenied as exc:
            return exc.message
        return None

    def _bind_user(self, user_id: str, person: Person, lab: Lab) -> None:
        self.store.bind(CHANNEL, user_id, lab.id)
        self.store.bind(PERSON_CHANNEL, str(person.id), lab.id)

    def resolve(self, user_id: str, *, channel_id: str | None = None) -> Resolved:
        """The session of ``user_id``; ``channel_id`` when the request came from a channel (not a DM)."""
        person = self.person(user_id)
        lab = self.store.bound_lab(CHANNEL, user_id)
        joined = None
        if channel_id and not channel_id.startswith("D"):
            channel_lab = self.store.bound_lab(CHANNEL, channel_id)
            if channel_lab is not None:  # a member of the channel is a member of its lab
                self.policy().add_staff(person.id, channel_lab, granted_by=None)
            if channel_lab is not None and channel_lab != lab:
                lab = joined = channel_lab
                self._bind_user(user_id, person, lab)
        if lab is None:
            lab = self.store.bound_lab(PERSON_CHANNEL, str(person.id)) or self.store.lab(
                own_lab_name(user_id)
            )
            self._bind_user(user_id, person, lab)
        return Resolved(Session(lab=lab, person=person, channel=CHANNEL), joined)

    def session(self, user_id: str, *, channel_id: str | None = None) -> Session:
        return self.resolve(user_id, channel_id=channel_id).session

    # --- /dxlab bind and /dxlab link ---------------------------------------------------------

    def bind(self, actor: str, argument: str, *, channel_id: str) -> BindResult:
        """``/dxlab bind LAB [<@U…>|<#C…>]``: yourself; admins also others and channels.

        Binding yourself needs a lab that is new, unclaimed or already yours (``Policy.open_lab``);
        another user's own lab (``slack:U…``) is never taken over. Admins (action ``grant``) make
        the people they bind staff of the lab."""
        users = _USER_MENTION.findall(argument)
        channels = _CHANNEL_MENTION.findall(argument)
        lab_name = _CHANNEL_MENTION.sub("", _USER_MENTION.sub("", argument)).strip()
        if not lab_name:
            return BindResult("bind_usage", {})
        policy = self.policy()
        me = self.person(actor)
        is_admin = policy.allowed(me.id, Action.GRANT)
        in_channel = bool(channel_id) and not channel_id.startswith("D")
        if (users or channels) and not is_admin:
            return BindResult("bind_not_admin", {})
        if users or channels or (is_admin and in_channel):
            lab = self.store.lab(lab_name)
            if users:
                for user in users:
                    person = self.person(user)
                    policy.add_staff(person.id, lab, granted_by=me.id)
                    self._bind_user(user, person, lab)
                return BindResult("bound_user", {"user": users[0], "lab": lab.name})
            target = channels[0] if channels else channel_id
            self.store.bind(CHANNEL, target, lab.id)
            self._bind_user(actor, me, lab)
            return BindResult("bound_channel", {"target": target, "lab": lab.name})
        if _OWN_LAB.fullmatch(lab_name) and lab_name != own_lab_name(actor) and not is_admin:
            return BindResult("bind_refused", {"lab": lab_name})
        try:
            lab = policy.open_lab(me.id, lab_name)
        except PermissionDenied:
            log.info("slack user %s may not bind to lab %r", actor, lab_name)
            return BindResult("bind_refused", {"lab": lab_name})
        self._bind_user(actor, me, lab)
        return BindResult("bound_self", {"lab": lab.name})

    def create_link_code(self, user_id: str, *, ttl_seconds: int) -> str:
        session = self.session(user_id)
        return self.store.create_link_code(session.person.id, ttl_seconds=ttl_seconds)

    def redeem(self, user_id: str, code: str) -> tuple[Person, Lab | None] | None:
        """Make this Slack user the person who created ``code`` elsewhere; continue their lab."""
        person = self.store.redeem_link_code(code, channel=CHANNEL, external_id=user_id)
        if person is None:
            return None
        lab = self.store.bound_lab(PERSON_CHANNEL, str(person.id))
        if lab is not None:
            self.store.bind(CHANNEL, user_id, lab.id)
        log.info("slack user %s linked to person %s", user_id, person.id)
        return person, lab
