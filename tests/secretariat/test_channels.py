"""The secretariat's commands through the real Slack and Telegram adapters (fake APIs, no network)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from bot.appfile import load_application
from bot.commands.transfer import answers_of
from bot.roles import Role
from storage.roles import RoleStore
from tests.secretariat.conftest import FIXTURES
from tests.slack.conftest import SlackDriver, dm_channel
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.harness import BotRun, run


def test_slack_faq_and_eligibility(slack: SlackDriver) -> None:
    slack.command("U1", "faq 補助金はありますか")
    slack.idle()
    text = slack.texts(dm_channel("U1"))
    assert "補助金や資金の支援はありますか" in text and "根拠" in text
    slack.command("U1", "faq ラーメン屋さん")
    slack.command("U1", "eligibility 1 1 1,2 はい いいえ いいえ")
    slack.idle()
    text = slack.texts(dm_channel("U1"))
    assert "見つかりませんでした" in text
    assert "判定: 対象になります" in text


def test_slack_compare_is_a_file_for_the_secretariat_only(slack: SlackDriver) -> None:
    store = slack.service.store
    lab = store.lab("みなと市DXラボ")
    importer = store.person("import", channel="import")

    store.replace_draft(
        lab.id,
        answers_of(load_application(FIXTURES / "full_application.json")),
        person_id=importer.id,
        channel="import",
    )
    slack.command("U2", "compare")
    slack.idle()
    assert "権限がありません" in slack.texts(dm_channel("U2"))
    assert slack.fake.uploads == {}
    person = store.person("佐藤", channel="slack", external_id="U2")
    RoleStore(store).grant(person.id, Role.SECRETARIAT.value, granted_by=None)
    slack.command("U2", "compare")
    slack.idle()
    slack.fake.wait_until(lambda: slack.fake.uploads, what="an upload")
    (content,) = slack.fake.uploads.values()
    ws = load_workbook(io.BytesIO(content)).active
    assert ws is not None and ws.max_row == 2 and ws.cell(row=2, column=1).value == "みなと市DXラボ"


def test_telegram_faq_and_eligibility(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            out = await bot.say("/faq データ連携基盤は必須？")
            assert "データ連携基盤の整備は必須ですか" in out[0].text and out[0].parse_mode == "HTML"
            out = await bot.say("/faq <b>ラーメン</b>")
            assert "&lt;b&gt;" in out[0].text and "見つかりませんでした" in out[0].text
            out = await bot.say("/eligibility")
            assert "【1/6】" in out[0].text
            out = await bot.say("/eligibility 2 3 1 いいえ いいえ いいえ")
            assert "判定: まだ要件を満たしていません" in out[0].text

    run(scenario())


def test_telegram_compare_is_a_document_for_the_secretariat_only(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            assert bot.store is not None
            store = bot.store
            lab = store.lab("みなと市DXラボ")
            importer = store.person("import", channel="import")
            answers = answers_of(load_application(FIXTURES / "full_application.json"))
            store.replace_draft(lab.id, answers, person_id=importer.id, channel="import")
            out = await bot.say("/compare")
            assert "権限がありません" in out[0].text and api.documents == []
            person = store.person("山田 花子", channel="telegram", external_id="5001")
            RoleStore(store).grant(person.id, Role.SECRETARIAT.value, granted_by=None)
            await bot.say("/compare")
            await api.wait_for(lambda: api.documents)
            (document,) = api.documents
            ws = load_workbook(io.BytesIO(document.data)).active
            assert ws is not None and ws.cell(row=2, column=1).value == "みなと市DXラボ"

    run(scenario())


def test_telegram_eligibility_by_buttons(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeBotApi() as api, BotRun(api, tmp_path / "tg.db") as bot:
            out = await bot.say("/eligibility")
            question = out[-1]
            for label in (
                "自治体（市区町村",
                "参加していて、申請にも同意",
                "①と②の両方",
                "はい",
                "いいえ",
                "いいえ",
            ):
                out = await bot.press(question, label)
                question = out[-1]
            assert "判定: 対象になります" in question.text
            assert api.rejected == []
            store = bot.store
            assert store is not None and store.inbox_pending("telegram") == []  # nothing to replay

    run(scenario())


def test_every_eligibility_combo_is_a_valid_answer() -> None:
    from criteria import eligibility_questionnaire as eq

    for item in eq.questions():
        for combo in item.combos:
            assert eq.parse_answer(item.id, combo.answer) is not None
