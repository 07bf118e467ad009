"""Records through the modal: real fields, errors beside the field, typed entry still working."""

from __future__ import annotations

import json
from typing import Any

from tests.answers import FULL_APPLICATION
from tests.slack.conftest import SlackDriver, dm_channel

USER = "U1"
DM = dm_channel(USER)
MEMBERS_AT = FULL_APPLICATION.index("事務局長として全体の企画・調整を担う") + 2  # key persons: 完了


def _to_members(slack: SlackDriver) -> None:
    slack.command(USER, "")
    for line in FULL_APPLICATION[:MEMBERS_AT]:
        slack.dm(USER, line)
    assert "構成員" in slack.texts(DM)


def _open_form(slack: SlackDriver, **find: Any) -> dict[str, Any]:
    slack.click(USER, slack.element(DM, "dx_form", **find))
    return dict(slack.fake.of("views.open")[-1].args["view"])


def _answers(slack: SlackDriver) -> dict[str, Any]:
    session = slack.service.session(lab="slack:U1", person="山田", channel="slack", external_id=USER)
    return dict(slack.service.store.draft(session.lab.id).answers)


def test_member_modal_has_real_fields(slack: SlackDriver) -> None:
    _to_members(slack)
    view = _open_form(slack)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == ["name", "category", "role"]
    assert inputs["category"]["type"] == "static_select"
    assert len(inputs["category"]["options"]) == 10
    assert json.loads(view["private_metadata"])["s"] == "members"


def test_validation_errors_appear_beside_the_field_then_the_record_is_saved(slack: SlackDriver) -> None:
    _to_members(slack)
    view = _open_form(slack)
    response = slack.submit(USER, view, {"name": "みなと市", "category": None, "role": ""})
    assert response.status == 200
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"category", "role"}
    assert "種別" in body["errors"]["category"]
    assert "members" not in _answers(slack)

    response = slack.submit(USER, view, {"name": "みなと市", "category": "municipality", "role": "事務局"})
    assert response.status == 200 and response.body == ""  # the modal closes
    assert _answers(slack)["members"] == [{"name": "みなと市", "category": "municipality", "role": "事務局"}]
    assert "みなと市（自治体）" in slack.texts(DM)


def test_kpi_modal_reads_radio_numbers_and_japanese_years(slack: SlackDriver) -> None:
    slack.command(USER, "")
    for line in FULL_APPLICATION[
        : FULL_APPLICATION.index(
            "毎年度、参加企業向けの成果報告会と新規プロジェクトの募集を行い、運営費は市の予算と参加企業の会費で賄う。"
        )
        + 1
    ]:
        slack.dm(USER, line)
    view = _open_form(slack)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["kind"]["type"] == "radio_buttons"
    assert inputs["target_value"]["type"] == "number_input"
    assert inputs["target_year"]["type"] == "plain_text_input"

    bad = {
        "kind": "output",
        "indicator": "商談会の開催数",
        "target_value": "12",
        "unit": "回",
        "target_year": "来年くらい",
    }
    body = json.loads(slack.submit(USER, view, bad).body)
    assert list(body["errors"]) == ["target_year"]
    assert "令和10年度" in body["errors"]["target_year"]

    slack.submit(USER, view, {**bad, "target_year": "R9年度"})
    # only the sentence: the other fields are read from it, as in the typed dialog
    slack.click(USER, slack.element(DM, "dx_form"))
    view = dict(slack.fake.of("views.open")[-1].args["view"])
    slack.submit(
        USER, view, {"kind": "outcome", "text": "令和10年度までにDX認定を取得する企業を十五社にする"}
    )
    kpis = _answers(slack)["kpis"]
    assert kpis[0]["target_year"] == 2027 and kpis[0]["fiscal_year"] is True and kpis[0]["target_value"] == 12
    assert kpis[1]["target_value"] == 15 and kpis[1]["target_year"] == 2028 and kpis[1]["unit"] == "社"


def test_a_stored_record_opens_prefilled_for_editing(slack: SlackDriver) -> None:
    _to_members(slack)
    view = _open_form(slack)
    slack.submit(USER, view, {"name": "みなと市", "category": "municipality", "role": "事務局"})
    select = slack.element(DM, "dx_form_edit")
    slack.click(USER, select, option=select["options"][0])
    edit = dict(slack.fake.of("views.open")[-1].args["view"])
    inputs = {b["block_id"]: b["element"] for b in edit["blocks"] if b["type"] == "input"}
    assert inputs["name"]["initial_value"] == "みなと市"
    assert inputs["category"]["initial_option"]["value"] == "municipality"
    slack.submit(USER, edit, {"name": "みなと市役所", "category": "municipality", "role": "事務局"})
    assert [m["name"] for m in _answers(slack)["members"]] == ["みなと市役所"]


def test_field_by_field_typed_entry_still_works_with_buttons(slack: SlackDriver) -> None:
    _to_members(slack)
    slack.dm(USER, "みなと工業大学")
    slack.click(USER, slack.element(DM, "dx_pick", label="大学・各種学校"))
    slack.dm(USER, "データ分析の技術指導")
    slack.click(USER, slack.element(DM, "dx_rec", label="完了して次へ"))
    assert _answers(slack)["members"] == [
        {"name": "みなと工業大学", "category": "school", "role": "データ分析の技術指導"}
    ]
    assert "自治体の役割" in slack.texts(DM)
