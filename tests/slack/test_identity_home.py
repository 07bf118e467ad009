"""Who answers for which lab (bind, channel bindings, link codes) and the App Home tab."""

from __future__ import annotations

from tests.answers import FULL_APPLICATION
from tests.slack.conftest import SlackDriver, dm_channel


def _lab_of(slack: SlackDriver, user: str) -> str:
    lab = slack.service.store.bound_lab("slack", user)
    assert lab is not None
    return lab.name


def test_a_user_binds_themselves_and_continues_the_labs_draft(slack: SlackDriver) -> None:
    slack.command("U1", "")
    assert _lab_of(slack, "U1") == "slack:U1"  # a lab of their own until bound
    slack.command("U1", "bind みなと市DXラボ")
    assert _lab_of(slack, "U1") == "みなと市DXラボ"
    assert "みなと市DXラボ" in slack.texts(dm_channel("U1"))
    slack.command("U1", "")
    slack.dm("U1", "みなと市地域DX推進ラボ")
    lab = slack.service.store.find_lab("みなと市DXラボ")
    assert (
        lab is not None and slack.service.store.draft(lab.id).answers["lab_name"] == "みなと市地域DX推進ラボ"
    )


def test_only_admins_bind_others_and_channels(slack: SlackDriver) -> None:
    slack.command("U1", "bind みなと市DXラボ <@U2|sato>")
    assert "管理者だけ" in slack.texts(dm_channel("U1"))
    assert slack.service.store.bound_lab("slack", "U2") is None

    slack.command("UADMIN", "bind みなと市DXラボ <@U2|sato>")
    assert _lab_of(slack, "U2") == "みなと市DXラボ"
    slack.command("UADMIN", "bind さくら町DXラボ", channel="C0001")
    assert _lab_of(slack, "C0001") == "さくら町DXラボ"
    assert "C0001" in slack.texts(dm_channel("UADMIN"))

    # someone using /dxlab in the bound channel answers for that lab, and continues it in the DM
    slack.command("U1", "start", channel="C0001")
    assert _lab_of(slack, "U1") == "さくら町DXラボ"
    assert "さくら町DXラボ" in slack.texts(dm_channel("U1"))


def test_two_people_answer_one_lab_each_with_their_own_position(slack: SlackDriver) -> None:
    slack.command("UADMIN", "bind みなと市DXラボ <@U1>")
    slack.command("UADMIN", "bind みなと市DXラボ <@U2>")
    slack.command("U1", "")
    slack.dm("U1", FULL_APPLICATION[0])
    slack.command("U2", "")
    slack.dm("U2", "修正 ラボの名称")
    assert "山田さん" in slack.texts(dm_channel("U2"))  # who answered it


def test_a_link_code_continues_the_same_draft_on_another_channel(slack: SlackDriver) -> None:
    store = slack.service.store
    slack.command("U1", "bind みなと市DXラボ")
    slack.command("U1", "link")
    text = slack.texts(dm_channel("U1"))
    code = text.split("連携コード: *", 1)[1].split("*", 1)[0]
    person = store.redeem_link_code(code, channel="telegram", external_id="4242")
    assert person is not None and person.name == "山田"
    lab = store.bound_lab("person", str(person.id))
    assert lab is not None and lab.name == "みなと市DXラボ"  # where the other channel continues

    # the other way: a code made elsewhere for a person working on a lab, redeemed here
    other = store.person("佐藤", channel="telegram", external_id="77")
    store.bind("person", str(other.id), store.lab("さくら町DXラボ").id)
    code = store.create_link_code(other.id)
    slack.command("U2", f"link {code.lower()}")
    assert "さくら町DXラボ" in slack.texts(dm_channel("U2"))
    assert _lab_of(slack, "U2") == "さくら町DXラボ"
    assert store.person("x", channel="slack", external_id="U2") == other
    slack.command("U2", "link WRONGCODE")
    assert "そのコードは使えません" in slack.texts(dm_channel("U2"))


def test_app_home_shows_progress_and_the_scorecard_with_continue_and_export(slack: SlackDriver) -> None:
    slack.command("U1", "")
    for line in FULL_APPLICATION[:4]:
        slack.dm("U1", line)
    slack.home_opened("U1")
    view = slack.fake.wait_for("views.publish")[0].args["view"]
    assert slack.fake.of("views.publish")[0].args["user_id"] == "U1"
    text = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert "入力済み" in text and "基本情報: 4/4" in text
    assert FULL_APPLICATION[0] in text and "slack:U1" not in text  # the lab's name as written
    for label in ("方向性", "地域性", "変革", "自治体の積極性と継続性", "多様性と一体感", "その他"):
        assert label in text
    buttons = {e["action_id"]: e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert {"dx_cmd_start", "dx_cmd_export"} <= set(buttons)

    before = len(slack.fake.posted_texts(dm_channel("U1")))
    slack.click("U1", buttons["dx_cmd_start"], channel="")
    assert "おかえりなさい" in slack.texts(dm_channel("U1"), before)
    slack.click("U1", buttons["dx_cmd_export"], channel="")
    assert slack.fake.wait_for("files.completeUploadExternal")[0].args["channel_id"] == dm_channel("U1")


def test_app_home_never_shows_the_internal_lab_name(slack: SlackDriver) -> None:
    slack.command("U1", "")
    slack.home_opened("U1")
    view = slack.fake.wait_for("views.publish")[0].args["view"]
    text = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
    assert "slack:U1" not in text and "まだ入力されていません" in text
