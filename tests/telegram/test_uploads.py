"""A .docx plan sent in a private chat is fetched with getFile and imported; the dialog goes on."""

from __future__ import annotations

from pathlib import Path

from bot.plan_import import MAX_INPUT_BYTES
from tests.plan_import import documents
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run

USER = 5001


def _answers(bot: BotRun) -> dict[str, object]:
    assert bot.store is not None
    lab = bot.store.bound_lab("telegram", str(USER))
    return dict(bot.store.draft(lab.id).answers) if lab is not None else {}


def test_a_plan_sent_privately_is_imported_and_the_scorecard_and_next_question_follow(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            sent = await bot.push(api.document_update("計画.docx", documents.heading_style_plan()))
            text = "\n".join(s.text for s in sent)
            assert "読み取った項目" in text
            assert "スコアカード" in text
            assert "対象地域" in text  # the first empty question
            assert api.downloads == ["documents/BQAC0001.docx"]
            answers = _answers(bot)
            assert str(answers["vision"]).startswith("農業と観光のデータを生かし")

    run(scenario())


def test_the_diff_is_answered_by_resending_with_a_caption(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            await bot.say("/start")
            await bot.say("前からのラボ名")
            plan = documents.heading_style_plan()
            sent = await bot.push(api.document_update("計画.docx", plan))
            text = "\n".join(s.text for s in sent)
            assert "「前からのラボ名」→「さくら町地域DX推進ラボ」" in text
            assert _answers(bot)["lab_name"] == "前からのラボ名"
            await bot.push(api.document_update("計画.docx", plan, caption="空欄だけ"))
            answers = _answers(bot)
            assert answers["lab_name"] == "前からのラボ名" and "vision" in answers

    run(scenario())


def test_refusals_change_nothing_and_groups_are_ignored(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "dx.db") as bot:
            big = await bot.push(api.document_update("big.docx", b"x", declared_size=MAX_INPUT_BYTES + 1))
            assert "大きすぎる" in big[0].text
            pdf = await bot.push(api.document_update("plan.pdf", b"%PDF-1.4"))
            assert "PDF のため読み込めません" in pdf[0].text
            photo = await bot.push(api.document_update("photo.png", b"\x89PNG"))
            assert "photo.png は取り込めません" in photo[0].text
            plan = documents.heading_style_plan()
            group = await bot.push(api.document_update("計画.docx", plan, group=True))
            assert group == []
            assert api.downloads == ["documents/BQAC0002.docx"]  # only the PDF was fetched
            assert _answers(bot) == {}

    run(scenario())
