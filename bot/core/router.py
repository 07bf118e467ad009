"""The router: text → command → role check → handler, and the one place a dialog turn runs.

Owns three things every channel used to do for itself:

- ``parse``: ``/cmd args``, ``/cmd@our_bot args`` (``None`` when addressed to another bot) and the
  Slack form ``cmd args`` (the text after ``/dxlab``);
- the role middleware: a command's ``action`` is checked with the roles policy before its handler
  runs; a refusal is the command's ``denied`` message or the policy's own;
- ``turn``: a dialog turn under the channel's event id — the person must be allowed to edit the
  lab (an unclaimed lab is claimed first), a refused event leaves the inbox (never replayed), and
  the event id commits with the answer (a duplicate returns no replies).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.commands import Caller, ChatCommand, CommandSet, Output, TextOut
from bot.roles import LAB_ACTIONS, Action, PermissionDenied, Policy
from bot.service import DialogService, Session
from dialogs.events import Event
from dialogs.replies import Reply
from renderers.messages import message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    """A parsed command: its registered name (aliases resolved) and the rest of the text."""

    name: str
    args: str
    command: ChatCommand


@dataclass(frozen=True)
class TurnOutcome:
    """What a turn did: the replies (``None`` for a duplicate event), or why it was refused."""

    session: Session
    replies: list[Reply] | None
    refusal: str | None = None


def split_command(
    text: str, *, bot_username: str | None = None, slash: bool = True
) -> tuple[str, str] | None:
    """``("start", "args")`` for ``/start args`` or ``/start@our_bot args``; ``None`` when the text
    is no command or is addressed to another bot. With ``slash=False`` the text is what follows a
    slash command (``faq 質問`` after ``/dxlab``)."""
    stripped = text.strip()
    if slash:
        if not stripped.startswith("/"):
            return None
        stripped = stripped[1:]
    head, _, rest = stripped.partition(" ")
    if not slash:
        head, _, rest = stripped.replace("\u3000", " ").partition(" ")
    name, _, addressee = head.partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    return name.lower(), rest.strip()


class Router:
    """Parses, checks roles and runs commands; runs dialog turns exactly once."""

    def __init__(self, *, commands: CommandSet, policy: Policy, service: DialogService) -> None:
        self.commands = commands
        self.policy = policy
        self.service = service

    def parse(self, text: str, *, bot_username: str | None = None, slash: bool = True) -> Invocation | None:
        parts = split_command(text, bot_username=bot_username, slash=slash)
        if parts is None:
            return None
        command = self.commands.get(parts[0])
        if command is None:
            return None
        return Invocation(command.name, parts[1], command)

    def invocation(self, name: str, args: str = "") -> Invocation | None:
        """The invocation of a registered command by name (a button's action id)."""
        command = self.commands.get(name)
        return None if command is None else Invocation(command.name, args, command)

    def refusal(self, caller: Caller, command: ChatCommand) -> str | None:
        """The role middleware: why ``caller`` may not run ``command`` (``None``: they may). A lab
        action (``invite``) is checked on the caller's current lab (``Caller.lab``)."""
        if command.action is None or command.turn:  # a turn's lab is checked by ``turn``
            return None
        lab = caller.lab() if command.action in LAB_ACTIONS else None
        if self.policy.allowed(caller.person.id, command.action, None if lab is None else lab.id):
            return None
        if command.denied:
            return message(command.denied)
        try:
            self.policy.require(caller.person.id, command.action, lab)
        except PermissionDenied as exc:
            return exc.message
        return None

    def run(self, caller: Caller, invocation: Invocation) -> Sequence[Output]:
        """The command's outputs, or the refusal as text."""
        refusal = self.refusal(caller, invocation.command)
        if refusal is not None:
            log.info("%s:%s refused /%s", caller.channel, caller.person.id, invocation.name)
            return [TextOut(refusal)]
        return invocation.command.handler(caller, invocation.args)

    def turn(
        self, session: Session, event: Event, *, event_id: str | None, action: Action = Action.EDIT_DRAFT
    ) -> TurnOutcome:
        """One dialog turn, if the person may ``action`` the session's lab (claimed when unclaimed)."""
        try:
            self.policy.enter_lab(session.person.id, session.lab, action)
        except PermissionDenied as exc:
            if event_id is not None:  # refused: never to be replayed
                self.service.store.inbox_drop(session.channel, event_id)
            return TurnOutcome(session, [], exc.message)
        return TurnOutcome(session, self.service.handle(session, event, event_id=event_id))


def drafting_router(service: DialogService) -> Router:
    """A router with the drafting commands only (a channel built without ``bot.wiring``'s router)."""
    from bot.core.commands import CommandSet
    from bot.core.drafting import drafting_commands

    return Router(commands=CommandSet().extend(drafting_commands()), policy=service.policy, service=service)
