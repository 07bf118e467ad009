"""Updates are kept in the storage inbox before Telegram is told they arrived, and replayed at start.

Owns the crash window between python-telegram-bot confirming an update to Telegram and our turn
committing it. Telegram forgets an update once a later ``getUpdates`` asks for a higher offset (or
once the webhook request is answered with 200); a SIGKILL after that and before the turn commits
would lose it. So every update that will commit a turn is written to the inbox first, under the
event id the turn records in ``processed_events`` (``TelegramDialog.event_id``); at start-up, before
updates are received again, the kept updates without a processed id go through the application's
normal handlers, and the processed ones are pruned.

The hook is ``ExtBot.insert_callback_data``: python-telegram-bot calls it on every update it
receives, in ``ExtBot.get_updates`` (before the updates are returned, so before the next call's
offset confirms them) and in the webhook handler (before the update is queued and the request is
answered). Updates that commit no turn (queries such as ``/faq``, multichoice toggles, group
chatter) are not kept: nothing would ever mark them done, and losing one loses no data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application, ExtBot

from bot.telegram.identity import CHANNEL
from storage.base import Store

log = logging.getLogger(__name__)

EventKey = Callable[[Update, Bot], "str | None"]
PRUNE_EVERY = 300.0  # seconds between prunes while running


class Inbox:
    """Keeps received updates in the store and replays those never applied."""

    def __init__(self, *, store: Store, key: EventKey, prune_every: float = PRUNE_EVERY) -> None:
        self.store = store
        self.key = key
        self.prune_every = prune_every
        self._pruned = time.monotonic()

    def keep(self, update: Update, bot: Bot) -> None:
        """Write ``update`` to the inbox under the event id its turn records (if it has one)."""
        event_id = self.key(update, bot)
        if event_id is None:
            return
        self.store.inbox_put(CHANNEL, event_id, update.to_dict())
        if time.monotonic() - self._pruned >= self.prune_every:
            self.prune()

    def prune(self) -> int:
        """Forget the kept updates whose turn has committed."""
        self._pruned = time.monotonic()
        return self.store.inbox_prune(CHANNEL)

    async def replay(self, application: Application[Any, Any, Any, Any, Any, Any]) -> int:
        """Apply the kept updates that never committed, oldest first; returns how many.

        Call it after ``initialize`` and before receiving updates. An update already applied is
        recognised by its event id and is not applied twice (also when Telegram redelivers it)."""
        pending = self.store.inbox_pending(CHANNEL)
        for event_id, payload in pending:
            update = Update.de_json(payload, application.bot)
            log.info("replaying telegram update %s (%s) kept before a restart", update.update_id, event_id)
            await application.process_update(update)
        pruned = self.prune()
        if pending:
            left = len(self.store.inbox_pending(CHANNEL))
            log.warning(
                "replayed %d kept telegram updates (%d pruned, %d not applied)",
                len(pending),
                pruned,
                left,
            )
        return len(pending)


class InboxBot(ExtBot[None]):
    """The Application's bot: keeps every update it receives in the ``Inbox`` first."""

    def __init__(self, *, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._inbox = inbox

    def insert_callback_data(self, update: Update) -> None:
        super().insert_callback_data(update)
        self._inbox.keep(update, self)
