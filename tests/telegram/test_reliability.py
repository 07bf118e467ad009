"""Exactly once, restarts, rate limits and the webhook secret, against the fake Bot API."""

from __future__ import annotations

import copy
import socket
import time
from pathlib import Path

import aiohttp

from bot.telegram.app import Webhook
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

USER = 5001


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def history(bot: BotRun, field: str) -> list[object]:
    assert bot.service is not None
    lab = bot.service.store.bound_lab("telegram", str(USER))
    assert lab is not None
    return [h.value for h in bot.service.store.history(lab.id, field) if h.action == "set"]


def test_restart_mid_dialog_resumes_without_reapplying(tmp_path: Path) -> None:
    async def scenario() -> None:
        db = tmp_path / "dx.db"
        async with FakeBotApi() as api:
            updates = []
            async with BotRun(api, db) as bot:
                await bot.say("/start")
                for text in ["みなと市地域DX推進ラボ", "〇〇県みなと市", "なし"]:
                    update = api.message_update(text)
                    await bot.push(update)
                    updates.append(update)
                question = api.last(USER)
                assert "地方版IoT推進ラボ" in question.text and question.buttons()
            sent_before = len(api.sent)
            for update in updates[1:]:  # the confirmation of the last two never reached Telegram
                api.redeliver(update)
            async with BotRun(api, db) as bot:
                for update in updates[1:]:
                    await bot.processed(update["update_id"])
                assert len(api.sent) == sent_before, "redelivered updates are not answered again"
                assert history(bot, "region") == ["〇〇県みなと市"]
                out = await bot.press(question, "いいえ")
                assert "保存しました" in out[0].text and "ビジョン" in out[-1].text
                assert history(bot, "transition_from_iot_lab") == [False]

    run(scenario())


def test_duplicate_update_and_double_tap_apply_once(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            update = api.message_update("みなと市地域DX推進ラボ")
            first = await bot.push(update)
            assert first
            again = await bot.push(copy.deepcopy(update))
            assert again == []
            assert history(bot, "lab_name") == ["みなと市地域DX推進ラボ"]
            await bot.say("〇〇県みなと市")
            await bot.say("なし")
            question = api.last(USER)
            tap1 = api.press_update(question, "いいえ")
            tap2 = api.press_update(question, "いいえ")
            out1 = await bot.push(tap1)
            assert "ビジョン" in out1[-1].text
            assert question.reply_markup is None, "the pressed keyboard is removed"
            out2 = await bot.push(tap2)
            assert out2 == []
            assert api.callback_answers[-1].get("text") == "このボタンはすでに押されています。"
            assert history(bot, "transition_from_iot_lab") == [False]
            # removing an already removed keyboard is refused by Telegram, and harmless
            assert all("message is not modified" in reason for _, reason in api.rejected)

    run(scenario())


def test_429_delays_a_message_and_never_drops_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            api.fail_next("sendMessage", retry_after=1)
            started = time.monotonic()
            out = await bot.say("/start")
            assert out and "こんにちは" in out[0].text
            assert time.monotonic() - started >= 1.0
            assert api.calls.count("sendMessage") >= 2

    run(scenario())


def test_webhook_requires_the_secret_token(tmp_path: Path) -> None:
    async def scenario() -> None:
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram/hook"
        hook = Webhook(url=url, secret="s3cret-token_1", listen="127.0.0.1", port=port)
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db", webhook=hook) as bot:
            assert api.webhook is not None and api.webhook["url"] == url
            assert api.webhook["secret_token"] == "s3cret-token_1"
            update = api.message_update("/start")
            update["update_id"] = 4242
            async with aiohttp.ClientSession() as http:
                for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                    async with http.post(url, json=update, headers=headers) as response:
                        assert response.status == 403
                assert api.sent == []
                headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"}
                async with http.post(url, json=update, headers=headers) as response:
                    assert response.status == 200
            await bot.processed(4242)
            assert "こんにちは" in api.sent[0].text

    run(scenario())


def test_long_replies_are_split_under_the_limit(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            long_name = "🏯みなと&<ラボ>" * 400  # 4,000 characters, 4,400 UTF-16 units, 8,000+ escaped
            await bot.say(long_name)
            out = await bot.say("/back")
            assert len(out) >= 2
            assert api.rejected == []
            from tests.telegram.fake_bot_api import parse_html

            assert long_name in "".join(parse_html(s.text) for s in out)
            out = await bot.say("/review")
            assert len(out) >= 2 and api.rejected == []

    run(scenario())
