"""A pressed question no longer looks live: its buttons are replaced (chat.update) by the choice."""

from __future__ import annotations

from tests.answers import FULL_APPLICATION
from tests.slack.conftest import SlackDriver, dm_channel

USER = "U1"
DM = dm_channel(USER)


def _updates(slack: SlackDriver) -> list[dict[str, object]]:
    return [c.args for c in slack.fake.of("chat.update")]


def test_one_chat_update_per_pressed_question(slack: SlackDriver) -> None:
    slack.command(USER, "")
    for line in FULL_APPLICATION[:3]:
        slack.dm(USER, line)
    slack.click(USER, slack.element(DM, "dx_pick", label="いいえ"))  # 移行ですか？
    slack.idle()
    for line in FULL_APPLICATION[4:8]:
        slack.dm(USER, line)
    ticked = [{"value": "project"}, {"value": "company_support"}]
    boxes = {"dx_multi_select": {"type": "checkboxes", "selected_options": ticked}}
    state = {"values": {"dx_multi_select:initiative_types": boxes}}
    slack.click(USER, slack.element(DM, "dx_multi", label="決定"), state=state)
    slack.idle()
    updates = _updates(slack)
    assert len(updates) == 2  # two questions pressed, two messages replaced
    for update, chosen in zip(updates, ("いいえ", "① 地域の産学官金"), strict=True):
        blocks = update["blocks"]
        assert isinstance(blocks, list) and all(b.get("type") != "actions" for b in blocks)
        assert "を選びました" in str(blocks)
        assert chosen in str(blocks)


def test_eligibility_buttons_on_slack(slack: SlackDriver) -> None:
    slack.command(USER, "eligibility")
    slack.idle()
    first = slack.element(DM, "dx_act")
    slack.click(USER, first)
    slack.idle()
    assert "【2/6】" in slack.texts(DM)
    assert len(_updates(slack)) == 1  # the answered question's buttons are gone
