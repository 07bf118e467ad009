"""Group chats (privacy mode on) and /link to the same person and draft as the terminal."""

from __future__ import annotations

from pathlib import Path

from bot.service import DialogService
from dialogs.events import Start
from storage import SQLiteStore
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, engine, run

GROUP = -1001234
ALICE = FakeBotApi.user(5001, "花子", "山田")
BOB = FakeBotApi.user(5002, "太郎", "佐藤")


def test_group_answers_commands_and_replies_to_its_questions_only(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            out = await bot.say("/start@dxlab_test_bot", user=ALICE, chat_id=GROUP, group=True)
            assert "このグループをラボ" in out[0].text
            question = out[-1]
            assert question.reply_markup == {"force_reply": True, "selective": True}
            assert question.reply_to is not None
            assert await bot.say("お昼どうする？", user=BOB, chat_id=GROUP, group=True) == []
            out = await bot.say(
                "みなと市地域DX推進ラボ", user=ALICE, chat_id=GROUP, group=True, reply_to=question
            )
            assert "保存しました" in out[0].text
            # another member answers in the same group: same lab, their own place in the dialog
            out = await bot.say("/start", user=BOB, chat_id=GROUP, group=True)
            assert "おかえりなさい" in out[0].text or "こんにちは" in out[0].text
            assert bot.service is not None
            store = bot.service.store
            lab = store.bound_lab("telegram", str(GROUP))
            assert lab is not None
            assert store.draft(lab.id).answers["lab_name"] == "みなと市地域DX推進ラボ"
            assert api.rejected == []

    run(scenario())


def test_link_code_from_the_terminal_joins_the_same_person_and_draft(tmp_path: Path) -> None:
    db = tmp_path / "dx.db"
    store = SQLiteStore(db)
    service = DialogService(store=store, engine=engine())
    session = service.session(lab="みなと市DXラボ", person="山田", channel="console")
    service.handle(session, Start())
    code = store.create_link_code(session.person.id)
    store.close()

    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, db) as bot:
            out = await bot.say("/link")
            assert "<code>" in out[0].text
            out = await bot.say("/link ZZZZZZZZ")
            assert "正しくない" in out[0].text
            out = await bot.say(f"/link {code.lower()}")
            assert "山田さんとして連携しました" in out[0].text and "みなと市DXラボ" in out[0].text
            await bot.say("みなと市地域DX推進ラボ")
            assert bot.service is not None
            lab = bot.service.store.find_lab("みなと市DXラボ")
            assert lab is not None
            entries = bot.service.store.history(lab.id, "lab_name")
            assert [(e.person, e.channel) for e in entries] == [("山田", "telegram")]
            assert api.rejected == []

    run(scenario())
