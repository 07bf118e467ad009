"""Telegram /link: a code is never shown in a group, and wrong codes are limited per user."""

from __future__ import annotations

from pathlib import Path

from storage.base import LINK_MAX_FAILURES
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

GROUP = -1001234
ALICE = FakeBotApi.user(5001, "花子", "山田")
MALLORY = FakeBotApi.user(5666, "三郎", "鈴木")


def test_link_in_a_group_shows_no_code(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            out = await bot.say("/link@dxlab_test_bot", user=ALICE, chat_id=GROUP, group=True)
            assert out and all("<code>" not in m.text for m in out)
            assert "個別のチャット" in out[0].text
            assert bot.service is not None
            count = bot.service.store.query("SELECT COUNT(*) FROM link_codes")[0][0]
            assert count == 0  # no code was even made
            out = await bot.say("/link", user=ALICE)  # the private chat still gets one
            assert "<code>" in out[0].text

    run(scenario())


def test_five_wrong_codes_then_a_pause(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            code_msg = await bot.say("/link", user=ALICE)
            code = code_msg[0].text.split("<code>")[1].split("</code>")[0]
            for _ in range(LINK_MAX_FAILURES):
                out = await bot.say("/link ZZZZZZZZ", user=MALLORY)
                assert "正しくない" in out[0].text
            out = await bot.say(f"/link {code}", user=MALLORY)
            assert "しばらく" in out[0].text
            assert "連携しました" not in out[0].text
            assert api.rejected == []

    run(scenario())
