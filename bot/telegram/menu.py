"""The Telegram command menu, by role: everyone sees the drafting and public commands; a person
whose roles allow more (coordinators, the secretariat, admins) gets their own menu in their chat
(``BotCommandScopeChat``), so staff never see commands they may not use.

Owns the menu's order and which command needs which role (read from the command layer: a
command's required ``action``), and keeping each person's menu in step with their roles (checked
again at most every ``REFRESH_SECONDS``).
"""

from __future__ import annotations

import logging
import time

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.core.router import Router
from renderers.messages import message

log = logging.getLogger(__name__)

#: What everyone sees (the default scope), in order.
MENU = (
    *("start", "apply", "status", "review", "export", "back", "skip", "edit", "help", "cancel", "link"),
    *("invite", "join"),  # invitation codes (bot.core.invites)
    *("faq", "eligibility"),  # the secretariat's public commands
)
#: Shown only to those whose role allows them (the secretariat's, the coordinators').
ROLE_MENU = ("compare", "labs", "lab", "nudge")
REFRESH_SECONDS = 600


def menu_commands(names: tuple[str, ...] = MENU) -> list[BotCommand]:
    """The command menu, with Japanese descriptions."""
    return [BotCommand(name, message(f"telegram.command_{name}")) for name in names]


class Menus:
    """Each person's menu, set in their private chat when it differs from the default."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self._shown: dict[int, tuple[tuple[str, ...], float]] = {}

    def names_for(self, person_id: int) -> tuple[str, ...]:
        """The default menu plus the role commands this person may use."""
        extra = []
        for name in ROLE_MENU:
            command = self.router.commands.get(name)
            if command is None:
                continue
            if command.action is None or self.router.policy.allowed(person_id, command.action):
                extra.append(name)
        return (*MENU, *extra)

    async def sync(self, bot: Bot, chat_id: int, person_id: int) -> None:
        """Show this person (in their private chat ``chat_id``) the menu their roles allow."""
        now = time.monotonic()
        shown = self._shown.get(chat_id)
        if shown is not None and now - shown[1] < REFRESH_SECONDS:
            return
        names = self.names_for(person_id)
        if (shown[0] if shown else MENU) != names:
            try:
                await bot.set_my_commands(menu_commands(names), scope=BotCommandScopeChat(chat_id))
            except TelegramError as exc:  # the menu is a convenience: never fail a turn for it
                log.warning("could not set the menu of chat %s: %s", chat_id, exc)
                return
        self._shown[chat_id] = (names, now)
