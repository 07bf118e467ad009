"""Who a Telegram user is, and which lab's draft a chat works on.

Owns the mapping from Telegram ids to our people and labs: a user is the person known on channel
``telegram`` by their user id (or, after ``/link CODE``, the person who made the code in Slack or
the terminal). The lab is the one bound to the group chat, else the one bound to the user, else a
new lab of their own. Synchronous: called on the store's writer thread.

Roles (``bot.roles``): a user's own lab is claimed on first use; a group is bound (first
``/start`` there) only to a lab its sender may edit, and whoever then uses the bot in that group
is a member of the lab (staff). ``/link CODE`` makes the user the same person, so their roles
follow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.roles import Policy
from bot.service import Session
from renderers.messages import message
from storage.base import Lab, Person, Store

log = logging.getLogger(__name__)

CHANNEL = "telegram"


@dataclass(frozen=True)
class Sender:
    """The platform facts we need about an update's author and chat."""

    user_id: int
    full_name: str
    chat_id: int
    private: bool


class Identity:
    """Resolves people and labs for Telegram updates."""

    def __init__(self, *, store: Store, policy: Policy) -> None:
        self.store = store
        self._policy = policy

    def policy(self) -> Policy:
        """The roles policy (``DXLAB_ADMINS`` read at each check)."""
        return self._policy

    def group_lab(self, sender: Sender) -> Lab | None:
        """The lab bound to the sender's group chat (``None`` in a private chat or an unbound group)."""
        return None if sender.private else self.store.bound_lab(CHANNEL, str(sender.chat_id))

    def person(self, sender: Sender) -> Person:
        return self.store.person(
            sender.full_name or str(sender.user_id), channel=CHANNEL, external_id=str(sender.user_id)
        )

    def lab(self, sender: Sender) -> Lab:
        group_lab = self.group_lab(sender)
        if group_lab is not None:
            return group_lab
        own = self.store.bound_lab(CHANNEL, str(sender.user_id))
        if own is not None:
            return own
        lab = self.store.lab(message("telegram.default_lab", name=sender.full_name, id=sender.user_id))
        self.store.bind(CHANNEL, str(sender.user_id), lab.id)
        return lab

    def session(self, sender: Sender) -> Session:
        return Session(lab=self.lab(sender), person=self.person(sender), channel=CHANNEL)

    def bind_group(self, sender: Sender) -> Lab | None:
        """Make an unbound group chat work on the sender's lab; the lab when newly bound.

        The caller has checked that the sender may edit that lab (``Policy.enter_lab``)."""
        if sender.private or self.store.bound_lab(CHANNEL, str(sender.chat_id)) is not None:
            return None
        lab = self.lab(sender)
        self.store.bind(CHANNEL, str(sender.chat_id), lab.id)
        log.info("telegram chat %s bound to lab %s", sender.chat_id, lab.id)
        return lab

    def create_code(self, sender: Sender) -> str:
        """A one-time code that links another channel to this Telegram user's person."""
        return self.store.create_link_code(self.person(sender).id)

    def redeem(self, sender: Sender, code: str) -> Person | None:
        """Become the person of ``code``, and work on their lab; ``None`` for a bad code."""
        person = self.store.redeem_link_code(code, channel=CHANNEL, external_id=str(sender.user_id))
        if person is None:
            return None
        lab = self._lab_of(person)
        if lab is not None:
            self.store.bind(CHANNEL, str(sender.user_id), lab.id)
        return person

    def _lab_of(self, person: Person) -> Lab | None:
        """The lab bound to ``person`` on any channel, else the one they worked on last."""
        return self.store.bound_lab("person", str(person.id)) or self.store.last_lab(person.id)
