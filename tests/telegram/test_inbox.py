"""The inbox: an update confirmed to Telegram but never applied (the process died) is replayed once.

The crash window is made deterministic: a handler in group -1 stops the chosen update before our
handlers see it, as a SIGKILL after python-telegram-bot fetched (and, by the next ``getUpdates``,
confirmed) the update and before the turn committed. A fresh application on the same database
must then apply it exactly once and answer; later restarts, and Telegram redelivering it, change
nothing.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import aiohttp
from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.telegram.app import Webhook
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run
from tests.telegram.test_reliability import free_port, history

USER = 5001
Push = Callable[[BotRun, FakeBotApi], Awaitable[dict[str, Any]]]


def inbox(db: Path) -> dict[str, bool]:
    """The inbox rows of the Telegram channel: event id → already processed."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute(
            "SELECT i.event_id, EXISTS (SELECT 1 FROM processed_events p WHERE p.channel = i.channel "
            "AND p.event_id = i.event_id) FROM inbox i WHERE i.channel = 'telegram'"
        ).fetchall()
    return {str(r[0]): bool(r[1]) for r in rows}


class Crash:
    """Stops the updates in ``ids`` before any of our handlers runs (the process 'died' there)."""

    def __init__(self, bot: BotRun) -> None:
        self.ids: set[int] = set()
        self.stopped: set[int] = set()
        assert bot.app is not None
        bot.app.add_handler(TypeHandler(Update, self._stop), group=-1)

    async def _stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.update_id in self.ids:
            self.stopped.add(update.update_id)
            raise ApplicationHandlerStop


async def dialog_to_the_iot_question(bot: BotRun, api: FakeBotApi) -> None:
    await bot.say("/start")
    await bot.say("みなと市地域DX推進ラボ")
    await bot.say("〇〇県みなと市")
    await bot.say("なし")
    assert "地方版IoT推進ラボ" in api.last(USER).text and api.last(USER).buttons()


async def typed(bot: BotRun, api: FakeBotApi) -> dict[str, Any]:
    await bot.say("/start")
    return api.message_update("みなと市地域DX推進ラボ")


async def pressed(bot: BotRun, api: FakeBotApi) -> dict[str, Any]:
    await dialog_to_the_iot_question(bot, api)
    return api.press_update(api.last(USER), "いいえ")


async def crash_on(api: FakeBotApi, db: Path, make: Push) -> tuple[dict[str, Any], int]:
    """Run until ``make``'s update is fetched and confirmed, but never applied; how many were sent."""
    async with BotRun(api, db) as bot:
        crash = Crash(bot)
        update = make(bot, api)
        payload = await update
        crash.ids.add(await api.push(payload))
        await api.wait_for(lambda: crash.stopped and api.confirmed_offset > payload["update_id"])
        sent = len(api.sent)
    assert len(api.sent) == sent, "nothing was answered for the stopped update"
    return payload, sent


def test_a_confirmed_typed_answer_is_replayed_once_after_a_crash(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api:
            update, sent = await crash_on(api, db, typed)
            assert inbox(db)[str(update["update_id"])] is False, "kept, not yet applied"
            async with BotRun(api, db) as bot:  # the restart replays it before polling
                assert update["update_id"] in bot.done
                assert history(bot, "lab_name") == ["みなと市地域DX推進ラボ"]
                replies = api.sent[sent:]
                assert len(replies) == 1 and "「ラボの名称」を保存しました" in replies[0].text, replies
            assert inbox(db) == {}, "applied updates are pruned at the next start"
            async with BotRun(api, db) as bot:  # a second restart: nothing to replay
                assert update["update_id"] not in bot.done
                assert history(bot, "lab_name") == ["みなと市地域DX推進ラボ"]
            assert len(api.sent) == sent + len(replies)

    run(scenario())


def test_a_confirmed_button_press_is_replayed_once_after_a_crash(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api:
            update, _ = await crash_on(api, db, pressed)
            message = update["callback_query"]["message"]
            key = f"cb:{message['chat']['id']}:{message['message_id']}"
            assert inbox(db)[key] is False
            async with BotRun(api, db) as bot:
                assert history(bot, "transition_from_iot_lab") == [False]
                assert "ビジョン" in api.sent[-1].text
                assert api.by_id[message["message_id"]].reply_markup is None, "the keyboard is removed"
            replied = len(api.sent)
            async with BotRun(api, db) as bot:
                assert history(bot, "transition_from_iot_lab") == [False]
            assert len(api.sent) == replied
            assert all("not modified" in reason for _, reason in api.rejected), api.rejected

    run(scenario())


def test_a_kept_update_redelivered_by_telegram_too_applies_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api:
            update, sent = await crash_on(api, db, typed)
            api.redeliver(update)  # the confirmation never reached Telegram: it sends it again
            async with BotRun(api, db) as bot:
                await bot.processed(update["update_id"])  # replayed, then fetched again
                await api.drained()
                await asyncio.sleep(0.2)
                assert history(bot, "lab_name") == ["みなと市地域DX推進ラボ"]
            assert len(api.sent) - sent == 1, [s.text[:40] for s in api.sent[sent:]]

    run(scenario())


def test_an_applied_update_is_not_replayed(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api:
            async with BotRun(api, db) as bot:
                await dialog_to_the_iot_question(bot, api)
                question = api.last(USER)
                tap = api.press_update(question, "はい")  # a second tap, made before the keyboard went
                await bot.press(question, "いいえ")
                crash = Crash(bot)  # and it dies before its turn
                crash.ids.add(await api.push(tap))
                await api.wait_for(lambda: crash.stopped and api.confirmed_offset > tap["update_id"])
            kept = inbox(db)
            assert kept and all(kept.values()), "every kept update was applied (the tap's keyboard was)"
            sent = len(api.sent)
            async with BotRun(api, db) as bot:
                assert tap["update_id"] not in bot.done
                assert history(bot, "transition_from_iot_lab") == [False]
                assert history(bot, "region") == ["〇〇県みなと市"]
            assert len(api.sent) == sent
            assert inbox(db) == {}

    run(scenario())


def test_updates_that_commit_no_turn_are_not_kept(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api, BotRun(api, db) as bot:
            assert bot.app is not None
            kept: list[int] = []

            async def say(text: str, **kwargs: Any) -> int:
                update_id = await api.message(text, **kwargs)
                await bot.processed(update_id)
                return update_id

            await say("/faq 補助金はありますか")
            await say("/start@another_bot")
            await say("/link")
            group = -100777
            kept.append(await say("/start", chat_id=group, group=True))
            await say("雑談です", chat_id=group, group=True)  # not a reply to the bot
            answer = await say("みなと市地域DX推進ラボ", chat_id=group, group=True, reply_to=api.last(group))
            kept.append(answer)
            kept.append(await say(f"/status@{bot.app.bot.username}"))
            assert inbox(db) == {str(i): True for i in kept}

    run(scenario())


def test_a_webhook_update_is_kept_before_the_200(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram/hook"
        hook = Webhook(url=url, secret="s3cret", listen="127.0.0.1", port=port)
        async with FakeBotApi() as api:
            update = api.message_update("/start")
            update["update_id"] = 4242
            async with BotRun(api, db, webhook=hook) as bot:
                crash = Crash(bot)
                crash.ids.add(4242)
                async with aiohttp.ClientSession() as http:
                    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
                    async with http.post(url, json=update, headers=headers) as response:
                        assert response.status == 200
                        assert inbox(db) == {"4242": False}, "kept before Telegram was answered"
                await api.wait_for(lambda: crash.stopped)
            assert api.sent == []
            async with BotRun(api, db) as bot:  # restarted (by polling here): replayed
                assert 4242 in bot.done
                assert "こんにちは" in api.sent[0].text

    run(scenario())
