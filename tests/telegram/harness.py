"""The real PTB Application of ``bot.telegram.app`` against the fake Bot API, for tests.

``BotRun`` starts the application (polling by default) on a SQLite file and tracks which updates
the handlers have finished (a last handler group that runs after ours), so tests can wait for a
turn to be complete instead of sleeping.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.service import DialogService
from bot.telegram.app import Webhook, build_application, rate_limiter, start, stop
from bot.wiring import build_engine, build_router
from dialogs.engine import Engine
from storage import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotApi, Sent


def engine() -> Engine:
    """The shipped engine, as ``dxlab serve telegram`` builds it."""
    return build_engine()


class BotRun:
    """One life of the bot process: ``async with BotRun(api, db) as bot``."""

    def __init__(self, api: FakeBotApi, db: Path, *, webhook: Webhook | None = None) -> None:
        self.api = api
        self.db = db
        self.webhook = webhook
        self.done: set[int] = set()
        self._changed = asyncio.Condition()
        self.store: SQLiteStore | None = None
        self.service: DialogService | None = None
        self.app: Application | None = None  # type: ignore[type-arg]

    async def __aenter__(self) -> BotRun:
        self.store = SQLiteStore(self.db)
        self.service = DialogService(store=self.store, engine=engine())
        self.app = build_application(
            service=self.service,
            token=self.api.token,
            base_url=self.api.base_url,
            limiter=rate_limiter(max_retries=3, overall_max_rate=0, group_max_rate=0),
            router=build_router(self.service),
        )
        self.app.add_handler(TypeHandler(Update, self._finished), group=99)
        await start(self.app, webhook=self.webhook, poll_timeout=1)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.app is not None and self.store is not None
        await stop(self.app)
        self.store.close()

    async def _finished(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        async with self._changed:
            self.done.add(update.update_id)
            self._changed.notify_all()

    async def processed(self, update_id: int, timeout: float = 10.0) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: update_id in self.done), timeout)

    # --- a person using the bot ---------------------------------------------------------------

    async def say(self, text: str, **kwargs: Any) -> list[Sent]:
        """Send a message and return what the bot sent in answer."""
        before = len(self.api.sent)
        update_id = await self.api.message(text, **kwargs)
        await self.processed(update_id)
        return self.api.sent[before:]

    async def press(self, sent: Sent, label_part: str, **kwargs: Any) -> list[Sent]:
        before = len(self.api.sent)
        update_id = await self.api.press(sent, label_part, **kwargs)
        await self.processed(update_id)
        return self.api.sent[before:]

    async def push(self, update: dict[str, Any]) -> list[Sent]:
        before = len(self.api.sent)
        update_id = await self.api.push(update)
        await self.processed(update_id)
        return self.api.sent[before:]


def run(coro: Any) -> Any:
    return asyncio.run(coro)
