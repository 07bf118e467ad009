"""Chat commands, registered once for every channel: drafting, coordinators and the secretariat.

Owns the ``ChatCommand`` record (name, aliases, arguments, required role action, handler) and the
``CommandSet`` they are registered in, plus the neutral outputs a handler returns. A handler is
``(caller, args) -> outputs`` and knows no platform: it returns plain text (each channel escapes
it), a file, a question with choices (buttons carrying an action id and a value), or a request
for a dialog turn (which the router runs exactly once, under the channel's event id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.roles import Action
from dialogs.events import Event
from storage.base import Lab, Person


@dataclass(frozen=True)
class Caller:
    """Who runs a command, and how commands are written on their channel (``/dxlab `` or ``/``).

    ``external_id`` is who they are on the channel (a Slack user id, a Telegram user id, the OS
    account); ``private`` whether the answer is seen by them alone (a Telegram group is not; a
    Slack answer goes to the person's DM); ``lab_of`` finds the lab they are working on now (asked
    only by the commands that need it, since finding it may create the person's own lab)."""

    person: Person
    channel: str
    prefix: str = "/"
    external_id: str = ""
    private: bool = True
    lab_of: Callable[[], Lab | None] | None = field(default=None, compare=False)

    def lab(self) -> Lab | None:
        """The lab the caller works on now (``None`` when the channel cannot tell)."""
        return None if self.lab_of is None else self.lab_of()

    def identity(self) -> str:
        """``external_id``, else a stand-in keyed by the person (for a lockout that still counts)."""
        return self.external_id or f"person:{self.person.id}"

    def usage(self, name: str) -> str:
        """How ``name`` is typed on this channel (``/dxlab faq`` in Slack, ``/faq`` elsewhere)."""
        return f"{self.prefix}{name}"


@dataclass(frozen=True)
class TextOut:
    """Plain text; the channel escapes it for its markup."""

    text: str


@dataclass(frozen=True)
class FileOut:
    """A file to post, with the message that goes with it."""

    filename: str
    content: bytes
    comment: str


@dataclass(frozen=True)
class Choice:
    """One button: its label, and the action it runs with its value (never a word to re-parse)."""

    label: str
    action: str
    value: str


@dataclass(frozen=True)
class ChoicesOut:
    """Plain text followed by buttons."""

    text: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class TurnRequest:
    """Run ``event`` as a dialog turn of the caller's lab (the router's ``turn``, exactly once)."""

    event: Event


Output = TextOut | FileOut | ChoicesOut | TurnRequest
Handler = Callable[[Caller, str], Sequence[Output]]


@dataclass(frozen=True)
class ChatCommand:
    """One command. ``action`` is the role action it needs (``None``: anyone may use it);
    ``denied`` the message key shown when refused (default: the roles policy's own message);
    ``turn`` marks drafting commands, which run a dialog turn and so are kept in the inbox."""

    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    args: str = ""
    action: Action | None = None
    denied: str | None = None
    turn: bool = False
    menu: bool = True


@dataclass
class CommandSet:
    """Every command by name and alias."""

    _by_name: dict[str, ChatCommand] = field(default_factory=dict)
    _order: list[ChatCommand] = field(default_factory=list)

    def add(self, *commands: ChatCommand) -> CommandSet:
        for command in commands:
            for key in (command.name, *command.aliases):
                if key in self._by_name:
                    raise ValueError(f"chat command {key!r} registered twice")
                self._by_name[key] = command
            self._order.append(command)
        return self

    def extend(self, commands: Iterable[ChatCommand]) -> CommandSet:
        return self.add(*commands)

    def get(self, name: str) -> ChatCommand | None:
        return self._by_name.get(name.lower())

    def names(self) -> frozenset[str]:
        """Every name and alias."""
        return frozenset(self._by_name)

    def turn_names(self) -> frozenset[str]:
        """The names and aliases of the commands that run a dialog turn."""
        return frozenset(k for k, c in self._by_name.items() if c.turn)

    def __iter__(self) -> Iterable[ChatCommand]:  # type: ignore[override]
        return iter(self._order)

    def all(self) -> list[ChatCommand]:
        return list(self._order)
