"""Plans written in different styles are read into the answers a person would expect."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from bot.plan_import import read_plan
from bot.plan_import.transition import gap_marks, unanswered_questions
from criteria.application import Application, Kpi
from criteria.checking import run_checks
from criteria.kpi import parse_kpi
from dialogs.state import build_application
from renderers.docx import write_application_docx
from tests.plan_import import documents

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_real_headings_with_full_width_numbers_and_a_kpi_table_in_its_own_words() -> None:
    plan = read_plan(documents.heading_style_plan(), name="a.docx")
    a = plan.answers
    assert a["lab_name"] == "さくら町地域DX推進ラボ"  # from the document's title
    assert a["vision"].startswith("農業と観光のデータを生かし")
    assert a["regional_issues"] == "担い手の高齢化が進み、農業の生産額が減っています。"
    assert a["self_reliance_scenario"] == "3年目から会費と利用料で運営します。"
    assert a["progress_management"] == "四半期ごとに運営会議で確認します。"
    assert a["initiatives"] == [
        {
            "title": "スマート農業データ共有",
            "description": "農協と町が圃場のデータを共有し、出荷計画を立てます。",
            "type": "project",
        },
        {
            "title": "町内事業者のDX伴走支援",
            "description": "商工会が専門家を派遣します。",
            "type": "company_support",
        },
    ]
    assert a["members"] == [
        {"name": "さくら町", "category": "municipality", "role": "事務局"},
        {"name": "さくら農業協同組合", "category": "business_association", "role": "データ提供"},
        {
            "name": "株式会社さくらファーム",
            "category": "company",
            "role": "実証",
        },  # 区分 guessed from the name
    ]
    assert a["kpis"][0] == {
        "indicator": "スマート農業の導入農家数",
        "baseline": "3戸",
        "target_value": 30,
        "unit": "戸",
        "target_year": 2027,
        "fiscal_year": True,
    }
    assert a["kpis"][1]["target_year"] == 2028 and a["kpis"][1]["target_value"] == 20
    assert plan.sources["vision"] == "１．地域が目指すビジョン"
    assert plan.unplaced == ()
    assert not plan.iot_plan


def test_bold_numbered_paragraphs_labels_and_reordered_kpi_columns() -> None:
    plan = read_plan(documents.bold_paragraph_plan(), name="b.docx")
    a = plan.answers
    assert a["vision"] == "港の水産業をデータで強くし、暮らしの満足度も高めます。"
    assert a["regional_issues"] == "漁獲量の減少と後継者不足が課題です。"
    assert a["customer_social_needs"].startswith("飲食店から")
    assert a["transformation"].startswith("獲れた分を売るモデルから")
    assert a["initiatives"] == [
        {"title": "水揚げデータ連携", "description": "漁協と加工業者が水揚げデータを共有します。"}
    ]
    assert a["secretariat"] == "うみべ市 産業課"
    assert a["key_persons"] == [{"name": "浜 一郎", "organization": "うみべ市", "role": "統括"}]
    assert a["kpis"] == [
        {
            "indicator": "水産加工品の売上高",
            "kind": "outcome",
            "baseline": "12億円",
            "target_value": 15,
            "unit": "億円",
            "target_year": 2028,
            "fiscal_year": True,
        },
        {
            "indicator": "データ連携に参加する事業者数",
            "kind": "output",
            "target_value": 25,
            "unit": "社",
            "target_year": 2026,
            "fiscal_year": True,
        },
    ]
    # The schedule fits no question: it is kept for the 「取り込めなかった記述」 note.
    assert [(u.heading, u.lines) for u in plan.unplaced] == [
        ("4. スケジュール", ("令和7年度に準備会を開きます。",))
    ]
    assert "lab_name" not in a  # 「実施計画書（案）」 names no lab


def test_an_iot_era_plan_becomes_a_transition_with_the_gap_marked() -> None:
    plan = read_plan(documents.iot_era_plan(), name="iot.docx")
    a = plan.answers
    assert plan.iot_plan
    assert a["transition_from_iot_lab"] is True
    assert a["iot_lab_name"] == "やまなみ村IoT推進ラボ"
    assert "lab_name" not in a  # the DX lab's name is asked anew
    assert "transformation" not in a  # the IoT plan has no 変革 section
    assert a["vision"].startswith("IoTを活用して")
    assert a["kpis"] == [{"text": "令和8年度までに獣害の被害額を500万円にする"}]
    assert a["members"] == [
        {"name": "やまなみ村", "category": "municipality", "role": "事務局"},
        {"name": "やまなみ信用金庫", "category": "financial_institution", "role": "資金面の支援"},
    ]
    assert a["initiatives"] == [{"description": "獣害センサーのデータを猟友会と共有し、捕獲を効率化します。"}]
    assert plan.transition_notes == {
        "current_activity": "平成29年に選定され、センサーによる獣害対策の実証を3年間行いました。",
        "problems": "実証の後、事業として続ける担い手が見つかっていません。",
    }
    assert unanswered_questions(plan) == ("iot_to_dx",)
    marks = {m.item.id: m.open for m in gap_marks(build_application(a))}
    assert marks["transformation_viewpoint"] is True
    assert marks["wellbeing"] is True  # economic development only
    assert marks["company_support"] is True  # no ② and no declared type


@pytest.mark.parametrize("fixture", ["full_application.json", "partial_application.json"])
def test_a_dxlab_rendered_plan_imports_back_to_the_same_answers(fixture: str) -> None:
    original = Application.model_validate(json.loads((FIXTURES / fixture).read_text(encoding="utf-8")))
    buffer = io.BytesIO()
    report = run_checks(original)
    write_application_docx(original, report, buffer, today=dt.date(2026, 12, 1), transition_gap=None)
    plan = read_plan(buffer.getvalue(), name="round.docx")
    back = build_application(plan.answers)
    assert plan.unplaced == ()
    left = original.model_dump(exclude={"kpis"})
    right = back.model_dump(exclude={"kpis"})
    assert right == left
    # Each KPI reads back to the same indicator, target, unit, year and kind. (The Word table may
    # show a KPI's sentence or only the values read from it; either way the meaning is kept.)
    assert [_meaning(k) for k in back.kpis] == [_meaning(k) for k in original.kpis]
    assert [k.baseline for k in back.kpis if k.baseline] == [k.baseline for k in original.kpis if k.baseline]
    if all(k.text for k in back.kpis):  # the sentences themselves are in the file
        assert [k.text for k in back.kpis] == [k.text for k in original.kpis]
        assert run_checks(back) == report


def _meaning(kpi: Kpi) -> tuple[object, ...]:
    read = parse_kpi(kpi)
    return (read.indicator, read.target_value, read.unit, read.target_year, read.fiscal_year, read.kind)


def test_a_dxlab_plan_edited_in_word_brings_the_edit_back() -> None:
    import docx

    original = Application.model_validate(
        json.loads((FIXTURES / "full_application.json").read_text(encoding="utf-8"))
    )
    buffer = io.BytesIO()
    write_application_docx(original, run_checks(original), buffer, today=dt.date(2026, 12, 1))
    document = docx.Document(io.BytesIO(buffer.getvalue()))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("みなと市は事務局として"):
            paragraph.text = "みなと市は事務局として会議を運営し、予算を確保します。"
    edited = io.BytesIO()
    document.save(edited)
    plan = read_plan(edited.getvalue(), name="edited.docx")
    assert plan.answers["municipality_role"] == "みなと市は事務局として会議を運営し、予算を確保します。"
    assert plan.answers["vision"] == original.vision


def test_a_plan_written_as_one_form_table() -> None:
    plan = read_plan(documents.form_table_plan(), name="form.docx")
    a = plan.answers
    assert a["lab_name"] == "かわせみ市地域DX推進ラボ" and a["region"] == "かわせみ市"
    assert a["vision"].startswith("川の恵みを生かした")
    assert a["secretariat"] == "かわせみ市 商工観光課"
    assert a["members"] == [
        {"name": "かわせみ市", "category": "municipality", "role": "事務局"},
        {"name": "かわせみ信用金庫", "category": "financial_institution", "role": "資金支援"},
    ]
    assert [k["text"] for k in a["kpis"]] == [
        "令和9年度までに観光消費額を30億円にする",
        "令和10年度までにDX支援企業数を40社",
    ]
    assert [(u.heading, u.lines) for u in plan.unplaced] == [("備考", ("詳しくは別添資料をご覧ください。",))]


def test_titles_numbered_by_word_itself() -> None:
    plan = read_plan(documents.auto_numbered_plan(), name="auto.docx")
    assert plan.answers["vision"] == "森林資源とデータで、林業と暮らしを豊かにします。"
    # 「間伐材を集める」 is a numbered list item, not a title: it stays in the answer above it.
    assert plan.answers["self_reliance_scenario"] == "木材の共同販売の手数料で運営します。\n間伐材を集める"


def test_a_cover_naming_only_the_programme_names_no_lab() -> None:
    import docx

    d = docx.Document()
    d.add_heading("地域DX推進ラボ 実施計画書", level=0)
    d.add_heading("ビジョン", level=1)
    d.add_paragraph("町を元気にします。")
    buffer = io.BytesIO()
    d.save(buffer)
    assert "lab_name" not in read_plan(buffer.getvalue(), name="c.docx").answers


def test_sub_titles_inside_the_kpis_keep_the_lines_below_as_kpis() -> None:
    import docx

    d = docx.Document()
    d.add_heading("４．管理体制", level=1)
    d.add_heading("(1) 数値目標", level=2)
    d.add_heading("ア．成果", level=3)
    d.add_paragraph("・令和10年度までに移住者を100人にする")
    d.add_heading("イ．活動", level=3)
    d.add_paragraph("・令和8年度までに講座を20回開く")
    buffer = io.BytesIO()
    d.save(buffer)
    kpis = read_plan(buffer.getvalue(), name="k.docx").answers["kpis"]
    texts = [k["text"] for k in kpis]
    assert texts == ["令和10年度までに移住者を100人にする", "令和8年度までに講座を20回開く"]


def test_a_chat_lists_at_most_twenty_unplaced_blocks() -> None:
    import docx

    from bot.plan_import.from_chat import import_upload
    from storage import MemoryStore

    d = docx.Document()
    d.add_heading("ビジョン", level=1)
    d.add_paragraph("町を元気にします。")
    for n in range(25):
        d.add_heading(f"参考資料{n}", level=1)
        d.add_paragraph(f"資料の説明{n}")
    buffer = io.BytesIO()
    d.save(buffer)
    store = MemoryStore()
    lab, person = store.lab("L"), store.person("p", channel="console")
    data = buffer.getvalue()
    result = import_upload(
        store, lab_id=lab.id, person_id=person.id, data=data, name="a.docx", caption="", channel="x"
    )
    assert result.imported
    listed = [line for line in result.lines if line.startswith("・「参考資料")]
    assert len(listed) == 20
    assert "・ほか5か所" in "\n".join(result.lines)
