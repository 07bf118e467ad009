"""What Telegram users see: a skip button on optional questions, buttons on the completion
message and the record menu (edit / delete, nothing to type), no long ════ rules."""

from __future__ import annotations

from pathlib import Path

from tests.answers import FULL_APPLICATION
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

USER = 5001


def test_optional_question_skip_button_and_record_menu_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            await bot.say("/start")
            await bot.say(FULL_APPLICATION[0])
            out = await bot.say(FULL_APPLICATION[1])  # → 連携する自治体 (optional)
            question = out[-1]
            assert [b["text"] for b in question.buttons()] == ["⏭ スキップ"]
            out = await bot.press(question, "スキップ")
            assert "移行" in out[-1].text and question.reply_markup is None
            assert question.edits and "を選びました" in question.edits[-1]  # the press shows what was chosen
            yes_no = out[-1]
            await bot.press(yes_no, "いいえ")
            assert yes_no.edits[-1].endswith("「いいえ」を選びました") and yes_no.reply_markup is None
            out = await bot.say("/edit initiatives")  # (the transition answer took us on)
            for _ in range(10):  # one record, field by field
                buttons = out[-1].buttons()
                if any("もう1件" in b["text"] for b in buttons):
                    break
                out = await bot.press(out[-1], buttons[0]["text"]) if buttons else await bot.say("共同研究")
            menu = out[-1]
            labels = [b["text"] for b in menu.buttons()]
            assert "🗑 1を削除" in labels and "✏️ 1を直す" in labels
            assert "削除 番号" not in menu.text and "════" not in menu.text
            out = await bot.press(menu, "1を削除")
            assert any("削除しました" in o.text for o in out)
            assert api.rejected == []

    run(scenario())


def test_completion_message_has_buttons_and_review_has_no_rules(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            await bot.say("/start")
            out = await bot.say("/edit 27") or []
            for _ in range(40):
                if "一通り終えました" in out[-1].text:
                    break
                out = await bot.say("/skip")
            done = out[-1]
            assert [b["text"] for b in done.buttons()][:3] == [
                "📋 回答と弱い点を確認",
                "📊 進捗とスコアカード",
                "📄 Wordファイルを受け取る",
            ]
            out = await bot.press(done, "回答と弱い点")
            review = "\n".join(o.text for o in out)
            assert "回答の確認" in review and "════" not in review
            assert api.rejected == []

    run(scenario())


def test_names_are_shown_as_people_write_them() -> None:
    from bot.telegram.handlers import person_name

    assert person_name("花子", "山田") == "山田 花子"
    assert person_name("Hanako", "Yamada") == "Hanako Yamada"
    assert person_name("はなこ", None) == "はなこ"


def test_the_person_is_recorded_family_name_first(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            await bot.say("/start")
            assert bot.store is not None
            person = bot.store.person("?", channel="telegram", external_id=str(USER))
            assert person.name == "山田 花子"

    run(scenario())


def test_commands_addressed_to_another_bot_are_left_alone(tmp_path: Path) -> None:
    """One parser for every command: /faq@other_bot in a group is not ours, /faq@our_bot is."""
    group = -100123

    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            for text in ("/faq@other_bot 補助金", "/labs@other_bot", "/eligibility@other_bot"):
                assert await bot.say(text, chat_id=group, group=True) == [], text
            out = await bot.say("/faq@dxlab_test_bot 補助金はありますか", chat_id=group, group=True)
            assert out and "補助金や資金の支援" in out[0].text

    run(scenario())
