"""Whole dialogs through the real PTB Application and the fake Bot API, pressing buttons."""

from __future__ import annotations

from pathlib import Path

from bot.telegram.menu import MENU
from tests.answers import FULL_APPLICATION
from tests.telegram.fake_bot_api import FakeBotApi, Sent
from tests.telegram.harness import BotRun, run

USER = 5001


async def answer(bot: BotRun, api: FakeBotApi, text: str) -> list[Sent]:
    """Answer as a person would: press the matching button when there is one, else type."""
    last = api.last(USER)
    buttons = last.buttons()
    if buttons and any(b["text"].startswith("☐") for b in buttons) and "," in text:
        for number in text.split(","):
            label = api.by_id[last.message_id].buttons()[int(number) - 1]["text"]
            await bot.press(last, label)
        return await bot.press(last, "決定")
    if buttons and text.isdigit() and int(text) <= len(buttons):
        return await bot.press(last, buttons[int(text) - 1]["text"])
    for b in buttons:
        if b["text"] == text:
            return await bot.press(last, text)
    return await bot.say(text or "/skip")


def test_whole_application_with_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            assert [c["command"] for c in api.commands] == list(MENU)
            assert all(c["description"] for c in api.commands)
            await bot.say("/start")
            pressed = 0
            for line in FULL_APPLICATION:
                before = api.last(USER)
                had_buttons = bool(before.buttons())
                out = await answer(bot, api, line)
                assert out, f"no answer to {line!r}"
                if had_buttons and len(api.callback_answers) > pressed:
                    pressed = len(api.callback_answers)
                    assert before.reply_markup is None, "a pressed keyboard must be removed"
            assert pressed >= 10
            assert "すべての質問" in api.last(USER).text or "完了" in api.last(USER).text
            await bot.say("/export")
            assert api.documents, "the export is sent as a document"
            doc = api.documents[-1]
            assert doc.filename.startswith("みなと市地域DX推進ラボ_実施計画書案.")
            assert doc.filename.endswith((".docx", ".json")) and len(doc.data) > 100
            assert api.rejected == []
            assert bot.service is not None
            lab = bot.service.store.bound_lab("telegram", str(USER))
            assert lab is not None
            app = bot.service.application(lab)
            assert app.lab_name == "みなと市地域DX推進ラボ"
            assert len(app.members) == 4 and len(app.kpis) == 2 and len(app.initiatives) == 2
            assert [m.category for m in app.members][1] == "school"

    run(scenario())


def test_user_text_is_escaped_and_help_lists_telegram_commands(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            first = await bot.say("/start")
            assert "/cancel" in "".join(s.text for s in first)
            await bot.say("<b>みなと</b> & <script>ラボ")
            await bot.say("/back")
            assert "&lt;b&gt;みなと&lt;/b&gt; &amp; &lt;script&gt;ラボ" in api.last(USER).text
            assert api.rejected == []

    run(scenario())


def test_multichoice_toggles_edit_the_keyboard(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            for line in FULL_APPLICATION[:8]:
                await answer(bot, api, line)
            question = api.last(USER)
            assert "取組の種類" in question.text
            assert not any(b["text"] == "決定" for b in question.buttons())
            first = question.buttons()[0]["text"]
            assert await bot.press(question, first) == []
            assert question.buttons()[0]["text"].startswith("☑")
            assert any(b["text"] == "決定" for b in question.buttons())
            out = await bot.press(question, "決定")
            assert "保存しました" in out[0].text
            assert question.reply_markup is None

    run(scenario())


def test_edit_menu_buttons_jump_to_a_question(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            for line in FULL_APPLICATION[:3]:
                await answer(bot, api, line)
            menu = (await bot.say("/edit"))[-1]
            assert menu.buttons() and menu.buttons()[0]["text"] == "1"
            out = await bot.press(menu, "2")
            assert "対象地域" in out[-1].text
            out = await bot.say("〇〇県うみべ市")
            assert "地方版IoT推進ラボ" in out[-1].text  # back where the edit started

    run(scenario())
