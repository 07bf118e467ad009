"""Issue 14 item 15 on Telegram: a redelivered callback is not answered again, a double tap on an
``/eligibility`` button shows no error, and a 409 Conflict (another process polling the same token)
is explained in Japanese."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import pytest
from telegram.error import Conflict

from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

USER = 5001
ERROR = "処理中に問題が起きました"


def test_a_callback_redelivered_with_the_same_update_id_is_not_answered_again(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            await bot.say("みなと市地域DX推進ラボ")
            await bot.say("〇〇県みなと市")
            await bot.say("なし")
            question = api.last(USER)
            tap = api.press_update(question, "いいえ")
            out = await bot.push(tap)
            assert "ビジョン" in out[-1].text
            calls, answers = len(api.calls), len(api.callback_answers)
            sent = len(api.sent)
            api.redeliver(copy.deepcopy(tap))  # the same update_id: its confirmation was lost
            await bot.say("/faq 補助金はありますか")  # handled after the redelivered one (in order)
            assert len(api.sent) == sent + 1, "only the /faq answer was sent"
            assert len(api.callback_answers) == answers, "answerCallbackQuery is not sent twice"
            assert "editMessageReplyMarkup" not in [c for c in api.calls[calls:]]
            assert api.rejected == []

    run(scenario())


def test_a_double_tap_on_an_eligibility_button_shows_no_error(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            out = await bot.say("/eligibility")
            question = next(m for m in out if m.buttons())
            label = question.buttons()[0]["text"]
            tap1 = api.press_update(question, label)
            tap2 = api.press_update(question, label)  # tapped twice before the keyboard went
            first = await bot.push(tap1)
            assert first and all(ERROR not in m.text for m in first)
            second = await bot.push(tap2)
            assert all(ERROR not in m.text for m in second), [m.text for m in second]
            assert second == [], "the second tap runs nothing"
            assert all(ERROR not in t for t in api.texts())
            assert len(api.callback_answers) == 2  # both taps were answered (no spinning button)

    run(scenario())


def test_a_409_conflict_is_explained_in_japanese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            assert bot.app is not None
            dialog = bot.app.bot_data["dialog"]
            error = Conflict("Conflict: terminated by other getUpdates request")
            await dialog.on_error(None, SimpleNamespace(error=error, bot=bot.app.bot))
            await dialog.on_error(None, SimpleNamespace(error=error, bot=bot.app.bot))

    run(scenario())
    err = capsys.readouterr().err
    assert err.count("同じトークン") == 1, err  # said once, not at every retry
    assert "Traceback" not in err and not [r for r in caplog.records if r.exc_info]
