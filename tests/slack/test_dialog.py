"""A whole application in the DM with the app, then the Word file uploaded to the DM."""

from __future__ import annotations

import io
import zipfile

from tests.answers import FULL_APPLICATION
from tests.slack.conftest import SlackDriver, dm_channel

USER = "U1"
DM = dm_channel(USER)


def test_a_whole_application_typed_in_the_dm_then_exported(slack: SlackDriver) -> None:
    response = slack.command(USER, "start")
    assert response.status == 200 and response.body == ""  # in the DM: nothing ephemeral
    assert "こんにちは" in slack.texts(DM)
    for line in FULL_APPLICATION:
        assert slack.dm(USER, line).status == 200
    assert "すべての質問を一通り終えました" in slack.texts(DM)

    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    app = slack.service.application(session.lab)
    assert app.lab_name == "みなと市地域DX推進ラボ"
    assert [m.name for m in app.members] == [
        "みなと市",
        "みなと工業大学",
        "みなと精密株式会社",
        "みなと信用金庫",
    ]
    assert len(app.kpis) == 2 and app.kpis[0].target_value == 15
    assert slack.service.store.history(session.lab.id, "vision")[0].channel == "slack"
    assert slack.service.store.history(session.lab.id, "vision")[0].person == "山田"

    posts = len(slack.fake.of("chat.postMessage"))
    slack.dm(USER, "出力")
    complete = slack.fake.wait_for("files.completeUploadExternal")[0]
    assert complete.args["channel_id"] == DM
    upload = slack.fake.of("upload")[0]
    data = slack.fake.uploads[upload.args["file_id"]]
    name = slack.fake.of("files.getUploadURLExternal")[0].args["filename"]
    if name.endswith(".docx"):
        assert zipfile.ZipFile(io.BytesIO(data)).namelist()  # a real Word (zip) file
    else:
        assert name.endswith(".json") and "みなと市地域DX推進ラボ" in data.decode()
    assert name.startswith("みなと市地域DX推進ラボ_実施計画書案")
    assert "みなと市地域DX推進ラボ" in complete.args["initial_comment"]
    assert len(slack.fake.of("chat.postMessage")) >= posts


def test_choice_buttons_answer_and_stale_buttons_are_refused(slack: SlackDriver) -> None:
    slack.command(USER, "")
    for line in FULL_APPLICATION[:3]:
        slack.dm(USER, line)
    # 移行ですか？ (yes/no) is asked with buttons carrying the step id
    no = slack.element(DM, "dx_pick", label="いいえ")
    slack.click(USER, no)
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    assert slack.service.store.draft(session.lab.id).answers["transition_from_iot_lab"] is False
    before = len(slack.fake.posted_texts(DM))
    slack.click(USER, no)  # the same button again: its question is no longer asked
    assert "そのボタンは前の質問のものです" in slack.texts(DM, before)
    # back (with the step it was shown on) goes back once; pressed again from the old message, refused
    back = slack.element(DM, "dx_cmd_back")
    slack.click(USER, back)
    assert "移行" in slack.texts(DM)
    before = len(slack.fake.posted_texts(DM))
    slack.click(USER, back)
    assert "そのボタンは前の質問のものです" in slack.texts(DM, before)


def test_multichoice_checkboxes_and_the_edit_menu(slack: SlackDriver) -> None:
    slack.command(USER, "")
    for line in FULL_APPLICATION[:8]:
        slack.dm(USER, line)
    submit = slack.element(DM, "dx_multi", label="決定")
    step = '"s":"initiative_types"'
    assert step in submit["value"]
    ticked = [{"value": "project"}, {"value": "company_support"}]
    boxes = {"dx_multi_select": {"type": "checkboxes", "selected_options": ticked}}
    state = {"values": {"dx_multi_select:initiative_types": boxes}}
    slack.click(USER, submit, state=state)
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    assert slack.service.store.draft(session.lab.id).answers["initiative_types"] == [
        "project",
        "company_support",
    ]

    slack.click(USER, slack.element(DM, "dx_cmd_edit"))
    select = slack.element(DM, "dx_edit_pick")
    vision = next(o for o in select["options"] if o["value"] == "vision")
    before = len(slack.fake.posted_texts(DM))
    slack.click(USER, select, option=vision)
    assert "■ 地域が目指すビジョン" in slack.texts(DM, before)


def test_user_text_is_escaped_for_mrkdwn_and_kept_verbatim(slack: SlackDriver) -> None:
    slack.command(USER, "")
    # Slack delivers typed <, > and & escaped; the person typed "<!channel> A&B <@U2>"
    slack.dm(USER, "&lt;!channel&gt; A&amp;B &lt;@U2&gt;")
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    assert slack.service.store.draft(session.lab.id).answers["lab_name"] == "<!channel> A&B <@U2>"
    slack.dm(USER, "修正 ラボの名称")
    shown = slack.texts(DM)
    assert "&lt;!channel&gt; A&amp;B &lt;@U2&gt;" in shown
    assert "<!channel>" not in shown and "<@U2>" not in shown


def test_long_answers_are_shown_shortened_and_kept_whole(slack: SlackDriver) -> None:
    slack.command(USER, "")
    long_name = "長" * 12_000
    slack.dm(USER, long_name)
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    assert slack.service.store.draft(session.lab.id).answers["lab_name"] == long_name
    slack.dm(USER, "修正 ラボの名称")
    slack.dm(USER, "確認")  # the review lists every answer
    assert "一部を省略" in slack.texts(DM)
    for call in slack.fake.of("chat.postMessage"):  # the fake rejects what Slack rejects
        assert len(call.args.get("blocks") or []) <= 50
        assert len(call.args.get("text") or "") <= 40_000
