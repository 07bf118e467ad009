"""The channel-neutral chat commands: FAQ, stateless eligibility, the comparison file by role."""

from __future__ import annotations

import html
import io

import pytest
from openpyxl import load_workbook

from bot.roles import PermissionDenied
from bot.secretariat.secretariat_commands import compare_file, eligibility_reply, faq_reply
from bot.wiring import service_for
from tests.secretariat.conftest import LAB_A, World


def test_faq_reply_and_usage() -> None:
    assert "補助金や資金の支援はありますか" in faq_reply("補助金はありますか")
    assert "例: /faq" in faq_reply("  ")
    assert "見つかりませんでした" in faq_reply("ラーメン屋")


def test_faq_reply_escapes_the_query() -> None:
    text = faq_reply("<b>補助金</b>はありますか", escape=html.escape)
    assert "&lt;b&gt;" in text and "<b>" not in text


def test_eligibility_step_by_step_without_state() -> None:
    first = eligibility_reply("")
    assert "【1/6】" in first and "例: /eligibility 1 1 1,2 2 2 2" in first
    partial = eligibility_reply("1 1")
    assert "2問目まで" in partial and "【3/6】" in partial
    wrong = eligibility_reply("1 9")
    assert "2問目の答え「9」" in wrong and "【2/6】" in wrong
    done = eligibility_reply("1 1 1,2 はい いいえ いいえ")
    assert done.startswith("判定: 対象になります") and "根拠:" in done
    assert eligibility_reply("2 3 1 2 2 2").startswith("判定: まだ要件を満たしていません")


@pytest.mark.parametrize(
    ("user", "ok"),
    [
        ("secretariat", True),
        ("admin", True),
        ("envadmin", True),
        ("staff_a", False),
        ("coordinator", False),
        ("nobody", False),
    ],
)
def test_compare_file_only_for_the_secretariat_and_admins(world: World, user: str, ok: bool) -> None:
    store = world.store()
    try:
        person = store.person(user, channel="console")
        if not ok:
            with pytest.raises(PermissionDenied):
                compare_file(service_for(store), person.id)
            return
        sent = compare_file(service_for(store), person.id, [LAB_A])
    finally:
        store.close()
    assert sent.filename.endswith(".xlsx") and "1件" in sent.comment
    ws = load_workbook(io.BytesIO(sent.content)).active
    assert ws is not None and ws.max_row == 2
