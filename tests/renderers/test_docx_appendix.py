"""The appendices of the Word file (issue 17 item 12, issue 13 item 5 on the Word side).

The self-check is never all ○ while a viewpoint is weak or missing, a sub-requirement thin or
absent, or a KPI without a readable target or deadline; it credits only what the body says. The
interview list always holds the questions every applicant faces, plus those the draft raises.
"""

from __future__ import annotations

import pytest

from criteria.application import Application, Initiative, Kpi, Member, OtherItems
from criteria.report import (
    VIEWPOINT_SLUGS,
    CheckReport,
    EligibilityResult,
    Finding,
    ParsedKpi,
    RequirementResult,
    ViewpointResult,
)
from renderers.docx import interview as interview_module
from renderers.docx.appendix import credited_bonus, interview, self_check, unread_kpis
from renderers.docx.interview import interview_questions, parse_bank
from renderers.docx.model import Paragraphs, TableView
from tests.renderers.docx_helpers import all_text, full_application, render, table_with_header

LABELS = {
    "direction": "方向性",
    "regionality": "地域性",
    "transformation": "変革",
    "municipal_commitment": "自治体の積極性と継続性",
    "diversity": "多様性と一体感",
    "other": "その他",
}
GOOD_KPI = Kpi(kind="outcome", indicator="DX認定企業数", target_value=20, unit="社", target_year=2028)
CHECK_HEADER = ("審査の視点", "判定", "指摘事項と改善のヒント")
INTERVIEW_HEADER = ("No.", "審査の視点", "想定される質問", "回答の要点（準備メモ）")


def clear_report(readiness: float = 1.0, **results: ViewpointResult) -> CheckReport:
    """Every viewpoint ``meets`` unless given; the municipality takes part."""
    viewpoints = {
        slug: results.get(slug, ViewpointResult(label=LABELS[slug], verdict="meets"))
        for slug in VIEWPOINT_SLUGS
    }
    return CheckReport(
        viewpoints=viewpoints,
        eligibility=EligibilityResult(municipality_participates=True),
        readiness=readiness,
    )


def good_app(**fields: object) -> Application:
    base = Application(
        lab_name="青葉台DXラボ",
        members=[Member(name="青葉台町", category="municipality")],
        kpis=[GOOD_KPI],
    )
    return base.model_copy(update=fields)


def check_rows(report: CheckReport, app: Application) -> dict[str, tuple[str, list[str]]]:
    table = next(b for b in self_check(report, app) if isinstance(b, TableView))
    return {r[0][0].text: (r[1][0].text, [t.text for t in r[2]]) for r in table.rows}


def readiness_line(report: CheckReport, app: Application) -> str:
    notes = [b for b in self_check(report, app) if isinstance(b, Paragraphs)]
    return next(line.text for b in notes for line in b.lines if line.text.startswith("記載の充足度"))


# --- self-check ------------------------------------------------------------------------------------------


def test_all_clear_is_all_circles_and_full_readiness() -> None:
    app = good_app(other=OtherItems(open_data="市の統計データをオープンデータとして公開し、活用する。"))
    report = clear_report().model_copy(update={"bonus": ["open_data"]})
    rows = check_rows(report, app)
    assert {mark for mark, _ in rows.values()} == {"○"}
    assert rows["その他"][1] == ["審査で配慮される取組の記載があります：オープンデータの活用"]
    assert readiness_line(report, app) == "記載の充足度（目安）：100％"


@pytest.mark.parametrize(
    ("kpi", "line"),
    [
        (GOOD_KPI.model_copy(update={"target_year": None}), "・No.1 のKPIの達成年度が読み取れません。"),
        (GOOD_KPI.model_copy(update={"target_value": None}), "・No.1 のKPIの目標値が読み取れません。"),
        (Kpi(text="DX認定企業を増やす"), "・No.1 のKPIの目標値が読み取れません。"),
    ],
)
def test_a_kpi_without_readable_target_or_deadline_is_never_a_circle(kpi: Kpi, line: str) -> None:
    app = good_app(kpis=[kpi])
    report = clear_report()  # a check that (wrongly) says every viewpoint meets
    rows = check_rows(report, app)
    mark, lines = rows["方向性"]
    assert mark == "△"
    assert line in lines
    assert any(text.startswith("→ ") for text in lines)
    assert readiness_line(report, app) == "記載の充足度（目安）：99％"


def test_no_kpi_at_all_is_never_a_circle() -> None:
    rows = check_rows(clear_report(), good_app(kpis=[]))
    assert rows["方向性"][0] == "△"
    assert "・KPIがまだありません。" in rows["方向性"][1]


def test_a_finding_already_reporting_the_unread_kpi_is_not_repeated() -> None:
    app = good_app(kpis=[GOOD_KPI.model_copy(update={"target_year": None})])
    finding = Finding(
        code="kpi.no_deadline",
        severity="warn",
        field="kpis[0]",
        message="1番目のKPIに達成年度がありません。",
        hint="期限を書いてください。",
    )
    direction = ViewpointResult(label="方向性", verdict="weak", findings=[finding])
    _, lines = check_rows(clear_report(direction=direction), app)["方向性"]
    assert lines == ["・1番目のKPIに達成年度がありません。", "→ 期限を書いてください。"]


def test_the_checks_reading_of_a_kpi_counts() -> None:
    app = good_app(kpis=[Kpi(text="令和10年度までにDX認定企業を20社にする")])
    read = ParsedKpi(indicator="DX認定企業", target_value=20, unit="社", target_year=2028, fiscal_year=True)
    report = clear_report().model_copy(update={"kpis": [read]})
    assert unread_kpis(app, report) == []
    assert check_rows(report, app)["方向性"][0] == "○"
    relative = ParsedKpi(indicator="観光客数", relative_change="+30%", target_year=2028)
    assert unread_kpis(app, report.model_copy(update={"kpis": [relative]})) == []


@pytest.mark.parametrize("status", ["thin", "absent"])
def test_a_thin_or_absent_sub_requirement_is_never_a_circle(status: str) -> None:
    requirement = RequirementResult(
        slug="transformation.model_change",
        label="顧客・社会のニーズを基にした従来モデルの変革",
        seed="顧客や社会のニーズを基に",
        status=status,  # type: ignore[arg-type]
    )
    transformation = ViewpointResult(label="変革", verdict="meets", requirements=[requirement])
    report = clear_report(transformation=transformation)
    rows = check_rows(report, good_app())
    mark, lines = rows["変革"]
    assert mark == "△"
    assert lines[0].startswith("・「顧客・社会のニーズを基にした従来モデルの変革」")
    assert "99％" in readiness_line(report, good_app())


def test_an_absent_optional_item_never_lowers_other() -> None:
    absent = RequirementResult(
        slug="other.data_platform", label="データ連携基盤の整備", seed="s", status="absent"
    )
    other = ViewpointResult(label="その他", verdict="meets", requirements=[absent])
    report = clear_report(other=other).model_copy(update={"bonus": ["open_data"]})
    app = good_app(other=OtherItems(open_data="オープンデータを公開する。"))
    rows = check_rows(report, app)
    assert rows["その他"] == ("○", ["審査で配慮される取組の記載があります：オープンデータの活用"])
    assert readiness_line(report, app) == "記載の充足度（目安）：100％"
    assert not [q for q in interview_questions(report) if q.group == "その他"]


def test_known_sub_requirements_bring_their_own_question() -> None:
    people = RequirementResult(slug="municipal_commitment.people", label="人材", seed="人材", status="thin")
    commitment = ViewpointResult(label="自治体の積極性と継続性", verdict="weak", requirements=[people])
    raised = [q.text for q in interview_questions(clear_report(municipal_commitment=commitment))]
    assert "ラボを運営し発展させる事務局とキーパーソンは、どのような経験と役割をお持ちですか。" in raised


def test_a_sub_requirement_a_finding_speaks_about_is_not_repeated() -> None:
    indicators = RequirementResult(
        slug="direction.indicators", label="進捗を測る指標", seed="s", status="thin"
    )
    finding = Finding.model_validate(
        {
            "code": "kpi.no_target",
            "severity": "warn",
            "field": "kpis[0]",
            "message": "1番目のKPIに数値の目標がありません。",
            "hint": "目標の数値を書いてください。",
            "requirement": "direction.indicators",  # the field the checks add (ignored where unknown)
        }
    )
    direction = ViewpointResult(label="方向性", verdict="weak", findings=[finding], requirements=[indicators])
    mark, lines = check_rows(clear_report(direction=direction), good_app())["方向性"]
    assert mark == "△"
    if getattr(finding, "requirement", ""):
        assert lines == ["・1番目のKPIに数値の目標がありません。", "→ 目標の数値を書いてください。"]
    else:
        assert lines[0] == "・「進捗を測る指標」の記載はありますが、十分ではありません。"


def test_met_sub_requirements_keep_the_circle() -> None:
    requirement = RequirementResult(slug="direction.vision", label="ビジョン", seed="ビジョン", status="met")
    direction = ViewpointResult(label="方向性", verdict="meets", requirements=[requirement])
    assert check_rows(clear_report(direction=direction), good_app())["方向性"] == ("○", ["特記事項なし"])


def test_weak_and_missing_verdicts_show_as_such() -> None:
    report = clear_report(
        readiness=1.0,
        diversity=ViewpointResult(label="多様性と一体感", verdict="missing"),
        regionality=ViewpointResult(label="地域性", verdict="weak"),
    )
    rows = check_rows(report, good_app())
    assert rows["多様性と一体感"][0] == "×" and rows["地域性"][0] == "△"
    assert readiness_line(report, good_app()) == "記載の充足度（目安）：99％"


def test_a_skipped_bonus_item_is_never_credited() -> None:
    app = good_app(
        other=OtherItems(open_data="市の統計データをオープンデータとして公開する。", data_platform=""),
    )
    report = clear_report().model_copy(update={"bonus": ["open_data", "data_platform"]})
    assert credited_bonus(app, report) == ["open_data"]
    rows = check_rows(report, app)
    assert rows["その他"] == ("○", ["審査で配慮される取組の記載があります：オープンデータの活用"])
    assert "データ連携基盤" not in " ".join(rows["その他"][1])


def test_a_bonus_item_the_body_describes_is_credited_and_a_negated_one_is_not() -> None:
    described = good_app(
        initiatives=[
            Initiative(title="共同受注", description="地域のデータ連携基盤を整備し、受発注データを共有する。")
        ]
    )
    report = clear_report().model_copy(update={"bonus": ["data_platform"]})
    assert credited_bonus(described, report) == ["data_platform"]
    negated = good_app(continuity="データ連携基盤の整備は行わない。")
    assert credited_bonus(negated, report) == []
    # nothing credited: その他 is optional, never a defect
    assert check_rows(report, negated)["その他"][0] == "－"


def test_a_credit_the_check_did_not_report_is_never_invented() -> None:
    app = good_app(other=OtherItems(open_data="オープンデータを公開する。"))
    assert credited_bonus(app, clear_report()) == []


def test_the_fixture_document_is_not_all_circles_while_a_kpi_is_unread() -> None:
    app = full_application()
    app = app.model_copy(update={"kpis": [*app.kpis, Kpi(kind="outcome", indicator="売上", unit="円")]})
    report = clear_report().model_copy(update={"bonus": ["open_data", "digital_talent", "data_platform"]})
    document = render(app, report)
    table = table_with_header(document, *CHECK_HEADER)
    marks = {table.rows[r].cells[0].text: table.rows[r].cells[1].text for r in range(1, len(table.rows))}
    assert marks["方向性"] == "△"
    text = all_text(document)
    assert (
        "・No.6 のKPIの目標値が読み取れません。" in text
        and "・No.6 のKPIの達成年度が読み取れません。" in text
    )
    assert "記載の充足度（目安）：99％" in text
    # the fixture skipped データ連携基盤: only the two items it wrote are credited
    assert "審査で配慮される取組の記載があります：オープンデータの活用、デジタル推進人材の育成・確保" in text


# --- interview questions ---------------------------------------------------------------------------------

CORE = ["実施能力", "自治体の関与", "継続の見通し"]


def test_a_complete_draft_still_gets_the_questions_every_applicant_faces() -> None:
    questions = interview_questions(clear_report())
    assert [q.group for q in questions][:3] == CORE
    assert questions[-1].group == "全般"
    assert len(questions) == 5


def test_a_transition_adds_the_iot_to_dx_difference() -> None:
    questions = interview_questions(clear_report(), transition=True)
    assert [q.group for q in questions][:5] == [*CORE, "移行", "移行"]
    assert "IoT推進ラボから地域DX推進ラボへの移行" in questions[3].text


def test_thin_and_absent_sub_requirements_raise_questions() -> None:
    thin = RequirementResult(slug="municipal_commitment.staff", label="人材", seed="人材", status="thin")
    absent = RequirementResult(
        slug="municipal_commitment.revenue", label="経済的自立とリターン", seed="リターン", status="absent"
    )
    met = RequirementResult(slug="municipal_commitment.run", label="運営", seed="運営", status="met")
    commitment = ViewpointResult(
        label="自治体の積極性と継続性", verdict="meets", requirements=[thin, absent, met]
    )
    questions = interview_questions(clear_report(municipal_commitment=commitment))
    raised = [q.text for q in questions if q.group == "自治体の積極性と継続性"]
    assert raised[0] == "「人材」について、計画書（案）の記載をもう一歩具体的にご説明ください。"
    assert (
        raised[1]
        == "「経済的自立とリターン」について、どのようにお考えですか。計画書（案）にはまだ記載がありません。"
    )
    assert not any("運営" in q for q in raised[:2])


def test_sub_requirement_questions_from_the_bank_by_slug_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    data = interview_module.yaml.safe_load(interview_module._PATH.read_text(encoding="utf-8"))
    bank = parse_bank(
        {**data, "requirements": {"transformation.model_change": ["従来モデルの何を変えますか。"]}}
    )
    monkeypatch.setattr(interview_module, "_bank", lambda: bank)
    requirement = RequirementResult(
        slug="transformation.model_change.needs", label="変革", seed="変革", status="thin"
    )
    report = clear_report(
        transformation=ViewpointResult(label="変革", verdict="weak", requirements=[requirement])
    )
    raised = [q.text for q in interview_questions(report) if q.group == "変革"]
    assert raised[0] == "従来モデルの何を変えますか。"


def test_unread_kpis_raise_the_kpi_questions() -> None:
    app = good_app(kpis=[Kpi(text="DX認定企業を増やす")])
    table = next(b for b in interview(clear_report(), app) if isinstance(b, TableView))
    asked = {row[2][0].text: row[1][0].text for row in table.rows}
    assert asked["各KPIの目標値（件数・社数など）はどの程度を想定していますか。"] == "方向性"
    assert asked["各KPIをいつまでに達成する計画ですか。"] == "方向性"


def test_the_rendered_interview_appendix_of_a_complete_draft() -> None:
    document = render(full_application(), clear_report())
    table = table_with_header(document, *INTERVIEW_HEADER)
    groups = [table.rows[r].cells[1].text for r in range(1, len(table.rows))]
    assert groups[:5] == [*CORE, "移行", "移行"]
    assert len(groups) >= 7


def test_a_circle_says_what_it_rests_on() -> None:
    from criteria.checking import run_checks

    app = full_application()
    rows = check_rows(run_checks(app), app)
    mark, lines = rows["変革"]
    assert mark == "○"
    assert any(line.startswith("・従来モデルの変革：") and "「" in line for line in lines)
    mark, lines = rows["多様性と一体感"]
    assert any("連携・参加しています" in line for line in lines)
