"""The draft 実施計画書 as Word: reopened with python-docx, read as a reviewer would."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.application import Application, Initiative, KeyPerson, Kpi, Member, OtherItems
from criteria.checking import run_checks
from renderers.docx import build_document_view, render_docx, write_application_docx
from renderers.docx.model import TableView
from renderers.docx.page import TEXT_WIDTH_MM
from renderers.docx.tables import twips
from tests.renderers.docx_helpers import (
    GAP,
    TODAY,
    all_text,
    cell_text,
    full_application,
    paragraphs,
    render,
    sample_report,
    shows,
    styled,
    table_with_header,
)

PLACEHOLDER = "【未記入】"
MEMBER_HEADER = ("No.", "名称", "区分", "ラボにおける役割")
KPI_HEADER = ("No.", "指標", "種別", "基準値", "目標値", "目標年度")
CHECK_HEADER = ("審査の視点", "判定", "指摘事項と改善のヒント")
INTERVIEW_HEADER = ("No.", "審査の視点", "想定される質問", "回答の要点（準備メモ）")


@pytest.fixture(scope="module")
def full() -> docx.document.Document:
    return render(full_application(), sample_report(), transition_gap=GAP)


def answers(app: Application) -> list[str]:
    """Every non-blank line a person typed into ``app``."""
    texts: list[str] = [
        *app.applicant.replace("、", "\n").split("\n"),
        app.lab_name,
        app.region,
        *app.joint_regions,
        app.iot_lab_name,
        app.vision,
        app.regional_issues,
        app.customer_social_needs,
        app.transformation,
        app.self_reliance_scenario,
        app.secretariat,
        app.municipality_role,
        app.continuity,
        app.progress_management,
        app.other.open_data,
        app.other.digital_talent,
        app.other.data_platform,
    ]
    for i in app.initiatives:
        texts += [i.title, i.description]
    for p in app.key_persons:
        texts += [p.name, p.organization, p.role]
    for m in app.members:
        texts += [m.name, m.role]
    for k in app.kpis:  # a KPI's sentence is shown only when it adds something (test_docx_kpis)
        texts += [k.indicator, k.baseline, k.unit]
    return [line.strip() for text in texts for line in text.split("\n") if line.strip()]


# --- a full draft -------------------------------------------------------------------------------------


def test_cover_has_title_date_lab_and_applicant(full: docx.document.Document) -> None:
    assert styled(full, "Title") == ["地域DX推進ラボ 実施計画書（案）"]
    assert full.paragraphs[0].text == "令和8年11月28日"  # 和暦 only (issue 17 item 10)
    info = full.tables[0]
    assert cell_text(info, 0, 0) == "ラボの名称"
    assert cell_text(info, 0, 1) == "北浜ものづくりDX推進ラボ"
    assert cell_text(info, 1, 0) == "申請者"
    assert cell_text(info, 1, 1) == "北浜市長 北浜 次郎\n南浦町長 南浦 三郎"  # one municipality a line
    assert cell_text(info, 2, 0) == "事務局"
    assert cell_text(info, 2, 1) == "北浜市 産業振興部 ものづくり支援課"


def test_file_properties_name_the_draft_not_the_library(full: docx.document.Document) -> None:
    props = full.core_properties
    assert props.title == "地域DX推進ラボ 実施計画書（案）"
    assert props.subject == "北浜ものづくりDX推進ラボ"
    assert props.author == "北浜市長 北浜 次郎、南浦町長 南浦 三郎"
    assert "python-docx" not in (props.comments + props.author + props.last_modified_by)
    assert props.created.date() == TODAY
    assert props.language == "ja-JP"


def test_sections_follow_the_programme_structure(full: docx.document.Document) -> None:
    assert styled(full, "Heading1") == [
        "1　地域が目指すビジョン",
        "2　ビジョンを実現するための実施計画",
        "3　ビジョン及び実施計画の管理体制",
        "4　その他の取組",
        "5　地方版IoT推進ラボからの変更点",
        "別紙1　審査の視点 セルフチェック",
        "別紙2　面談で想定される質問",
    ]
    items = styled(full, "Heading2")
    for expected in (
        "（1）ビジョン",
        "（1）取組内容",
        "（2）プロジェクト等がビジネスとして自立化するまでの想定シナリオ",
        "（3）実施体制・役割分担",
        "（1）進捗状況を測るための指標（KPI）",
        "（2）進捗状況を管理するための仕組み",
        "（1）オープンデータの活用",
    ):
        assert expected in items
    assert "（3）地域のデータ連携基盤の整備" not in items  # a bonus item only when answered
    assert styled(full, "Heading3") == [
        "① 地域の産学官金プロジェクト等の取組",
        "② 地域支援機関等による企業支援の取組",
    ]


def test_every_answer_is_in_the_document_verbatim(full: docx.document.Document) -> None:
    text = all_text(full)
    missing = [line for line in answers(full_application()) if not shows(text, line)]
    assert missing == []
    for change in GAP:
        assert change.title in text and change.explanation in text


def test_member_table_lists_every_organisation(full: docx.document.Document) -> None:
    app = full_application()
    table = table_with_header(full, *MEMBER_HEADER)
    assert len(table.rows) == len(app.members) + 1
    assert [cell_text(table, 1, c) for c in range(4)] == [
        "1",
        "北浜市",
        "自治体",
        "事務局、実証フィールドの提供",
    ]
    assert cell_text(table, 2, 2) == "自治体"  # given as the Japanese label
    assert cell_text(table, 9, 2) == "市民団体"
    assert (
        "構成員は計9団体（自治体2、公的機関1、大学・各種学校1、企業・事業者2、事業者団体1、金融機関1、市民団体1）。"
        in all_text(full)
    )


def test_kpi_table_shows_years_in_wareki_with_western(full: docx.document.Document) -> None:
    table = table_with_header(full, *KPI_HEADER)
    assert len(table.rows) == 6
    assert [cell_text(table, 1, c) for c in range(6)] == [
        "1",
        "共同受注の件数（年間）",  # the indicator alone, not the sentence under it
        "アウトカム",
        "0件\n（令和7年度）",
        "120件",
        "令和10年度\n(2028年度)",
    ]
    assert cell_text(table, 3, 4) == "1,200人"
    assert cell_text(table, 3, 2) == "アウトプット"
    # a KPI given only as text takes what the checks parsed from it
    assert cell_text(table, 4, 1) == "DX認定を取得した企業"
    assert [cell_text(table, 4, c) for c in (4, 5)] == ["15社", "令和9年度\n(2027年度)"]
    assert cell_text(table, 4, 2) == PLACEHOLDER


def test_page_is_a4_with_official_margins(full: docx.document.Document) -> None:
    section = full.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.top_margin.mm == pytest.approx(30, abs=0.1)
    assert section.left_margin.mm == pytest.approx(25, abs=0.1)
    assert section.right_margin.mm == pytest.approx(25, abs=0.1)


def test_east_asian_fonts_are_set_in_defaults_and_styles(full: docx.document.Document) -> None:
    styles = full.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "ＭＳ 明朝"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja-JP"
    for style_id, face in (
        ("Normal", "ＭＳ 明朝"),
        ("Heading1", "ＭＳ ゴシック"),
        ("Heading2", "ＭＳ ゴシック"),
        ("Heading3", "ＭＳ ゴシック"),
        ("Title", "ＭＳ ゴシック"),
        ("DXLabel", "ＭＳ ゴシック"),
    ):
        style = next(s for s in styles.iterfind(qn("w:style")) if s.get(qn("w:styleId")) == style_id)
        fonts = style.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face, style_id
        assert fonts.get(qn("w:ascii")) == face, style_id
        assert fonts.get(qn("w:asciiTheme")) is None, style_id
    assert full.styles["Normal"].font.size.pt == 10.5
    assert full.styles["Normal"].font.name == "ＭＳ 明朝"


def test_header_says_draft_and_footer_numbers_pages(full: docx.document.Document) -> None:
    section = full.sections[0]
    assert section.header.paragraphs[0].text == "案"
    footer = section.footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert section.footer.paragraphs[0].text == "- 1 -"


def test_tables_fit_a4_and_repeat_their_header_row(full: docx.document.Document) -> None:
    assert len(full.tables) == 7  # info, key persons, members, KPI, changes, self-check, interview
    limit = twips(TEXT_WIDTH_MM)
    for table in full.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterfind(qn("w:gridCol"))]
        assert sum(grid) <= limit + 2
        assert table.style.name == "Table Grid"
    for table in full.tables[1:]:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table.rows[0].cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"


def test_headings_and_labels_keep_with_next(full: docx.document.Document) -> None:
    for name in ("Heading 1", "Heading 2", "Heading 3", "DX Label"):
        assert full.styles[name].paragraph_format.keep_with_next is True
    body = list(full.element.body.iterchildren())
    for index, element in enumerate(body):
        if element.tag == qn("w:tbl") and index > 0:
            before = body[index - 1]
            # a body table follows its heading or 【label】; the appendices' tables their notes
            assert before.pPr.style in ("Heading1", "Heading2", "DXLabel", "DXNote", "Title")


def test_self_check_appendix_marks_each_viewpoint(full: docx.document.Document) -> None:
    table = table_with_header(full, *CHECK_HEADER)
    rows = {cell_text(table, r, 0): (cell_text(table, r, 1), cell_text(table, r, 2)) for r in range(1, 8)}
    assert rows["基本要件（自治体の参画）"][0] == "○"
    assert rows["方向性"] == ("△", "・KPI 4 に達成年度がありません。\n→ 期限を示してください。")
    hint_styles = {p.style.name for p in table.rows[2].cells[2].paragraphs}
    assert hint_styles == {"DX Table List"}
    assert rows["地域性"] == ("○", "特記事項なし")
    assert rows["多様性と一体感"][0] == "×"
    assert rows["その他"][0] == "－"  # optional: never a defect
    assert "記載の充足度（目安）：83％" in all_text(full)


def test_interview_questions_come_from_weak_and_missing_findings(full: docx.document.Document) -> None:
    table = table_with_header(full, *INTERVIEW_HEADER)
    groups = [cell_text(table, r, 1) for r in range(1, len(table.rows))]
    questions = [cell_text(table, r, 2) for r in range(1, len(table.rows))]
    assert "各KPIをいつまでに達成する計画ですか。" in questions  # from kpi.no_deadline
    assert "方向性" in groups and "変革" in groups and "多様性と一体感" in groups
    assert "地域性" not in groups and "その他" not in groups  # meets / optional
    assert "移行" in groups and groups[-1] == "全般"
    assert [cell_text(table, r, 0) for r in range(1, len(table.rows))] == [
        str(n) for n in range(1, len(groups) + 1)
    ]
    assert len(set(questions)) == len(questions)


# --- partial drafts -----------------------------------------------------------------------------------


def test_empty_draft_renders_with_placeholders() -> None:
    document = render(Application(), run_checks(Application()))
    text = all_text(document)
    assert text.count(PLACEHOLDER) >= 15
    assert styled(document, "Heading1")[:3] == [
        "1　地域が目指すビジョン",
        "2　ビジョンを実現するための実施計画",
        "3　ビジョン及び実施計画の管理体制",
    ]
    assert "4　その他の取組" not in styled(document, "Heading1")
    assert "5　地方版IoT推進ラボからの変更点" not in text
    assert cell_text(document.tables[0], 0, 1) == PLACEHOLDER  # lab name
    members = table_with_header(document, *MEMBER_HEADER)
    assert len(members.rows) == 2 and cell_text(members, 1, 1) == PLACEHOLDER
    assert len(table_with_header(document, *KPI_HEADER).rows) == 2
    body = [p for p in document.paragraphs if p._p.style == "DXBody"]
    assert body and all(p.text == PLACEHOLDER for p in body)
    placeholder_run = next(r for p in document.paragraphs for r in p.runs if r.text == PLACEHOLDER)
    assert placeholder_run.style.name == "DX Placeholder"


def test_partial_draft_mixes_answers_and_placeholders() -> None:
    app = Application(
        lab_name="みなと市DXラボ",
        vision="港のデータで物流を変える。",
        initiative_types=["company_support"],
        members=[Member(name="みなと市", category="municipality"), Member(name="みなと銀行")],
        kpis=[Kpi(text="令和10年度までにDX認定企業を十五社")],
        transition_from_iot_lab=True,
    )
    document = render(app, run_checks(app))
    text = all_text(document)
    assert "港のデータで物流を変える。" in text
    assert "該当なし（①地域の産学官金プロジェクト等の取組を含まないため）" in text
    assert (
        "■ ② 地域支援機関等による企業支援の取組" in text and "□ ① 地域の産学官金プロジェクト等の取組" in text
    )
    members = table_with_header(document, *MEMBER_HEADER)
    assert [cell_text(members, 2, c) for c in range(4)] == ["2", "みなと銀行", PLACEHOLDER, PLACEHOLDER]
    assert "構成員は計2団体（自治体1、区分未記入1）。" in text
    assert "4　地方版IoT推進ラボからの変更点" in styled(document, "Heading1")  # no その他: numbered on
    changes = table_with_header(document, "No.", "項目", "内容")
    assert cell_text(changes, 1, 1) == PLACEHOLDER
    assert "あり（移行元：【未記入】）" in text


# --- hostile text -------------------------------------------------------------------------------------

HOSTILE = "改行\x0bあり\x00NUL\ud800孤立サロゲート\x0cページ\ufffe終わり"
LONG = "長" * 20_000
EMOJI = "🚢🏭👩‍💻 データ連携 ✅"
RTL = "مرحبا بالعالم שלום"
TEMPLATE = "{{ 7*7 }} {% for x in y %}"
MARKUP = "<w:t>注入</w:t> & <![CDATA[x]]> \"'"


def hostile_application() -> Application:
    return Application(
        lab_name=HOSTILE,
        region=TEMPLATE,
        vision=LONG,
        regional_issues=EMOJI + "\n" + RTL,
        customer_social_needs=MARKUP,
        transformation="タブ\tあり\r\nCRLF改行",
        initiatives=[Initiative(title=TEMPLATE, description=HOSTILE, type="project")],
        key_persons=[KeyPerson(name=EMOJI, organization=RTL, role=MARKUP)],
        members=[Member(name=MARKUP, category="company", role=HOSTILE)],
        kpis=[
            Kpi(
                text=HOSTILE,
                indicator=TEMPLATE,
                baseline=EMOJI,
                unit="\x00",
                target_value=1,
                target_year=2028,
            )
        ],
        other=OtherItems(open_data=RTL),
        transition_from_iot_lab=True,
        iot_lab_name=MARKUP,
    )


def test_hostile_text_renders_reopens_and_stays_verbatim(tmp_path: Path) -> None:
    report = sample_report(kpis=1)
    document = render(
        hostile_application(),
        report,
        applicant=HOSTILE,
        transition_gap=[dataclasses.replace(GAP[0], explanation=MARKUP)],
    )
    text = all_text(document)
    assert LONG in text
    assert EMOJI in text and RTL in text
    assert TEMPLATE in text and "49" not in text
    assert MARKUP in text
    assert "改行\nあり" in text  # a Word line break becomes a new line, not glued words
    assert "NUL孤立サロゲート" in text
    assert "サロゲート\nページ終わり" in text
    assert "タブ\tあり\nCRLF改行" in text
    for bad in ("\x00", "\x0b", "\x0c", "\ufffe", "\ud800"):
        assert bad not in text


def test_hostile_text_in_the_check_report_renders() -> None:
    report = sample_report()
    direction = report.viewpoints["direction"]
    findings = [direction.findings[0].model_copy(update={"message": HOSTILE, "hint": TEMPLATE})]
    viewpoints = {**report.viewpoints, "direction": direction.model_copy(update={"findings": findings})}
    document = render(full_application(), report.model_copy(update={"viewpoints": viewpoints}))
    assert "孤立サロゲート" in all_text(document) and TEMPLATE in all_text(document)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200))
def test_any_text_renders(text: str) -> None:
    app = Application(lab_name=text, vision=text, members=[Member(name=text, role=text)])
    out = io.BytesIO()
    write_application_docx(app, run_checks(app), out, applicant=text, today=TODAY)
    out.seek(0)
    docx.Document(out)


# --- interfaces ---------------------------------------------------------------------------------------


def test_writes_to_a_path_and_the_view_is_frozen(tmp_path: Path) -> None:
    app = full_application()
    view = build_document_view(app, run_checks(app), today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.title = "x"  # type: ignore[misc]
    path = tmp_path / "plan.docx"
    render_docx(view, path)
    reopened = docx.Document(str(path))
    assert cell_text(reopened.tables[0], 1, 1) == "北浜市長 北浜 次郎\n南浦町長 南浦 三郎"
    assert all(isinstance(b, TableView) or b is not None for b in view.body)


def test_every_paragraph_is_reachable(full: docx.document.Document) -> None:
    assert sum(1 for _ in paragraphs(full)) > 100


SHARED_FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("*_application.json"))


@pytest.mark.parametrize("path", SHARED_FIXTURES, ids=lambda p: p.name)
def test_shared_fixtures_render_every_answer(path: Path) -> None:
    app = Application.model_validate_json(path.read_text(encoding="utf-8"))
    document = render(app, run_checks(app))
    text = all_text(document)
    assert [line for line in answers(app) if not shows(text, line)] == []
    assert styled(document, "Title") == ["地域DX推進ラボ 実施計画書（案）"]
