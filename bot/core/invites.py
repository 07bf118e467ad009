"""Invitation codes in chat: ``invite`` (a lab's staff, a coordinator or an admin get a code for
their current lab) and ``join CODE`` (anyone becomes staff of that lab).

Owns the two commands, registered once for every channel. A code is shown only where the caller
alone sees it (``Caller.private``): asked in a Telegram group, the answer says to ask in the
private chat, as ``link`` does. Wrong codes count toward the link codes' lockout
(``storage.base.LINK_MAX_FAILURES``). The role check of ``invite`` is the router's middleware
(``Action.INVITE`` on the caller's current lab).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.commands import Caller, ChatCommand, Output, TextOut
from bot.roles import Action, Policy
from renderers.messages import message
from storage.base import INVITE_TTL_SECONDS, LinkLocked, Store

#: The binding that names the lab a person works on, on any channel (``bot.slack.identity``).
PERSON_CHANNEL = "person"


def invite_commands(store: Store, policy: Policy) -> list[ChatCommand]:
    """``invite`` and ``join``, on the store and roles policy of the service."""

    def invite(caller: Caller, args: str) -> Sequence[Output]:
        if not caller.private:  # a code seen in a group is anyone's
            return [TextOut(message("invite.private", usage=caller.usage("invite")))]
        lab = caller.lab()
        if lab is None:
            return [TextOut(message("invite.no_lab"))]
        code = store.create_invite_code(lab.id, by_person_id=caller.person.id)
        days = INVITE_TTL_SECONDS // 86400
        return [TextOut(message("invite.code", code=code, lab=lab.name, days=days))]

    def join(caller: Caller, args: str) -> Sequence[Output]:
        code = args.strip()
        if not caller.private:
            return [TextOut(message("invite.join_private", usage=caller.usage("join")))]
        if not code:
            return [TextOut(message("invite.join_usage", usage=caller.usage("join")))]
        try:
            lab = store.redeem_invite_code(
                code, channel=caller.channel, external_id=caller.identity(), person_id=caller.person.id
            )
        except LinkLocked:
            return [TextOut(message("invite.locked"))]
        if lab is None:
            return [TextOut(message("invite.invalid"))]
        policy.add_staff(caller.person.id, lab, granted_by=store.invite_code_inviter(code))
        store.bind(PERSON_CHANNEL, str(caller.person.id), lab.id)
        return [TextOut(message("invite.joined", lab=lab.name))]

    return [
        ChatCommand(name="invite", handler=invite, action=Action.INVITE),
        ChatCommand(name="join", handler=join, args="CODE"),
    ]
