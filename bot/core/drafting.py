"""The drafting commands (start, status, review, export, back, skip, edit, help, cancel).

Each one asks for a dialog turn of the caller's lab; the router runs it exactly once, after the
roles policy let the person edit that lab. The engine decides what the command does.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.commands import Caller, ChatCommand, Output, TurnRequest
from bot.roles import Action
from dialogs.events import Command, Start
from dialogs.words import CommandName

#: chat command → engine command (``cancel`` is the engine's ``quit``).
DRAFTING: dict[str, CommandName] = {
    "start": "start",
    "status": "status",
    "review": "review",
    "export": "export",
    "back": "back",
    "skip": "skip",
    "edit": "edit",
    "help": "help",
    "cancel": "quit",
}
ALIASES: dict[str, tuple[str, ...]] = {"start": ("apply",)}


def _handler(engine_name: CommandName) -> object:
    def handle(caller: Caller, args: str) -> Sequence[Output]:
        if engine_name == "start":
            return [TurnRequest(Start())]
        return [TurnRequest(Command(engine_name, args))]

    return handle


def drafting_commands() -> list[ChatCommand]:
    """The drafting commands; ``export`` also needs ``export_draft`` (checked when the file is made)."""
    return [
        ChatCommand(
            name=name,
            handler=_handler(engine_name),  # type: ignore[arg-type]
            aliases=ALIASES.get(name, ()),
            action=Action.EDIT_DRAFT,
            turn=True,
        )
        for name, engine_name in DRAFTING.items()
    ]
