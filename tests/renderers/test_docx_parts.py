"""Parts of the Word output: XML cleaning, interview questions, view model details, wording."""

from __future__ import annotations

import pytest
import yaml

from criteria.application import Application, Initiative, Kpi
from criteria.checking import run_checks
from criteria.report import CheckReport, EligibilityResult, Finding, ViewpointResult
from renderers.docx import build_document_view
from renderers.docx import interview as interview_module
from renderers.docx.interview import InterviewQuestion, interview_questions, parse_bank
from renderers.docx.model import Heading, Paragraphs, TableView
from renderers.docx.sanitize import clean_lines, clean_text
from renderers.messages import keys, message
from tests.renderers.docx_helpers import TODAY, full_application, sample_report

# --- sanitize -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("普通の文章", "普通の文章"),
        ("a\x00b\x01c\x08d\x1fe", "abcde"),
        ("一行目\x0b二行目", "一行目\n二行目"),
        ("前\x0c後", "前\n後"),
        ("CR\r\nLF\rCR", "CR\nLF\nCR"),
        ("タブ\tそのまま", "タブ\tそのまま"),
        ("孤立\ud800\udfffサロゲート\udc00", "孤立𐏿サロゲート"),
        ("\ud83d\ude80", "🚀"),
        ("非文字\ufffe\uffff", "非文字"),
        ("🚢 مرحبا {{ 7*7 }} <w:t>&amp;", "🚢 مرحبا {{ 7*7 }} <w:t>&amp;"),
        ("\u2028\x7f\x85\ufdd0", "\u2028\x7f\x85\ufdd0"),  # legal in XML: kept
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_lines_drops_blank_edges_only() -> None:
    assert clean_lines("\n\n一\n\n二\n \n") == ("一", "", "二")
    assert clean_lines(" \n\x00\n") == ()


# --- interview questions ------------------------------------------------------------------------------


def _report(**verdicts: tuple[str, list[Finding]]) -> CheckReport:
    viewpoints = {
        slug: ViewpointResult(label=slug, verdict=verdict, findings=findings)  # type: ignore[arg-type]
        for slug, (verdict, findings) in verdicts.items()
    }
    return CheckReport(viewpoints=viewpoints, eligibility=EligibilityResult(municipality_participates=True))


CORE = ("実施能力", "自治体の関与", "継続の見通し")
ALWAYS = (*CORE, "移行", "全般")


def raised(questions: tuple[InterviewQuestion, ...]) -> list[InterviewQuestion]:
    """The questions the self-check raised (not the core, transition or general ones)."""
    return [q for q in questions if q.group not in ALWAYS]


def test_questions_prefer_the_most_specific_code() -> None:
    finding = Finding(code="kpi.no_deadline.fiscal", severity="warn", field="kpis[0]", message="m")
    questions = raised(interview_questions(_report(direction=("weak", [finding]))))
    assert questions[0].text == "各KPIをいつまでに達成する計画ですか。"
    assert questions[0].group == "direction"


def test_questions_fall_back_to_the_field_of_an_unknown_code() -> None:
    finding = Finding(code="zz.unknown", severity="error", field="other.data_platform", message="m")
    questions = raised(interview_questions(_report(other=("weak", [finding]))))
    assert questions[0].text.startswith("データ連携基盤について")


def test_meets_and_optional_missing_ask_only_the_questions_everyone_faces() -> None:
    questions = interview_questions(_report(direction=("meets", []), other=("missing", [])))
    assert [q.group for q in questions][:3] == list(CORE)
    assert {q.group for q in questions} == {*CORE, "全般"}
    transition = interview_questions(_report(direction=("meets", [])), transition=True)
    assert [q.group for q in transition][3:5] == ["移行", "移行"]


def test_ok_findings_do_not_bring_questions() -> None:
    finding = Finding(code="kpi.no_deadline", severity="ok", field="kpis[0]", message="m")
    assert raised(interview_questions(_report(direction=("meets", [finding])))) == []


def test_missing_municipality_is_asked_first() -> None:
    report = run_checks(Application())
    questions = raised(interview_questions(report))
    if not report.eligibility.municipality_participates:
        assert questions[0].group == "基本要件（自治体の参画）"


def test_question_limits_hold() -> None:
    many = [
        Finding(code=c, severity="warn", field="x", message="m")
        for c in ("kpi", "vision", "progress", "needs")
    ]
    report = _report(
        **{
            s: ("missing", many)
            for s in (
                "direction",
                "regionality",
                "transformation",
                "municipal_commitment",
                "diversity",
                "other",
            )
        }
    )
    questions = raised(interview_questions(report))
    assert len(questions) <= 15
    assert max(sum(1 for q in questions if q.group == g) for g in {q.group for q in questions}) <= 3
    assert len({q.text for q in questions}) == len(questions)


def test_interview_yaml_is_valid_and_rejects_mistakes() -> None:
    data = yaml.safe_load(interview_module._PATH.read_text(encoding="utf-8"))
    bank = parse_bank(data)
    assert set(bank.viewpoints) == {
        "direction",
        "regionality",
        "transformation",
        "municipal_commitment",
        "diversity",
        "other",
    }
    with pytest.raises(ValueError, match="unknown viewpoints"):
        parse_bank({**data, "viewpoints": {"nope": ["q"]}})
    with pytest.raises(ValueError, match="unknown code"):
        parse_bank({**data, "fields": {"vision": "nope"}})
    with pytest.raises(ValueError, match="non-empty strings"):
        parse_bank({**data, "general": [""]})
    with pytest.raises(ValueError, match="core"):
        parse_bank({**data, "core": [{"group": "実施能力"}]})
    assert [q.group for q in bank.core] == ["実施能力", "自治体の関与", "継続の見通し"]


# --- view model ---------------------------------------------------------------------------------------


def test_view_text_is_prepared_and_blocks_are_typed() -> None:
    app = full_application()
    view = build_document_view(app, sample_report(), today=TODAY)
    assert view.date == "令和8年11月28日"
    assert view.lab_name.text == "北浜ものづくりDX推進ラボ" and not view.lab_name.placeholder
    assert view.page_number == ("- ", " -")
    assert any(isinstance(b, Heading) for b in view.body)
    assert all(isinstance(b, Heading | Paragraphs | TableView) for b in view.body)
    for block in view.blocks():
        if isinstance(block, TableView):
            assert sum(c.width_mm for c in block.columns) <= 160
            assert all(len(row) == len(block.columns) for row in block.rows)


def test_untyped_initiatives_and_float_targets() -> None:
    app = Application(
        initiatives=[Initiative(title="", description="内容だけ")],
        kpis=[
            Kpi(indicator="比率", target_value=12.5, unit="％", target_year=2019, fiscal_year=True),
            Kpi(indicator="件数", target_value="１，２００", unit="件", target_year=2030, fiscal_year=False),
        ],
    )
    view = build_document_view(app, run_checks(app), today=TODAY)
    headings = [b.text for b in view.body if isinstance(b, Heading)]
    assert "類型が未選択の取組" in headings
    labels = [
        line.text for b in view.body if isinstance(b, Paragraphs) and b.kind == "label" for line in b.lines
    ]
    assert "取組1" in labels
    kpi = next(b for b in view.body if isinstance(b, TableView) and b.columns[1].header == "指標")
    assert kpi.rows[0][4][0].text == "12.5％"
    assert [t.text for t in kpi.rows[0][5]] == ["令和元年度", "(2019年度)"]
    assert kpi.rows[1][4][0].text == "1,200件"
    assert [t.text for t in kpi.rows[1][5]] == ["令和12年", "(2030年)"]


def test_every_docx_message_renders() -> None:
    params = {
        "number": 1,
        "title": "t",
        "name": "n",
        "box": "■",
        "label": "l",
        "total": 2,
        "breakdown": "b",
        "count": 1,
        "percent": 50,
        "message": "m",
        "hint": "h",
        "page": "1",
        "path": "p",
        "items": "i",
        "era": "令和",
        "year": "8",
        "month": 12,
        "day": 1,
        "indicator": "x",
        "qualifier": "累計",
        "change": "+30%",
        "text": "t",
        "summary": "s",
        "where": "w",
        "quote": "q",
    }
    for key in keys("docx"):
        assert message(key, **params)


def test_eligibility_row_shows_findings_with_hints() -> None:
    from renderers.docx.appendix import self_check

    finding = Finding(
        code="eligibility.no_consent",
        severity="warn",
        field="secretariat",
        message="事務局が自治体ではないようです。",
        hint="同意を一文加えてください。",
    )
    report = CheckReport(
        viewpoints={}, eligibility=EligibilityResult(municipality_participates=True, findings=[finding])
    )
    check = next(b for b in self_check(report, Application()) if isinstance(b, TableView))
    assert check.rows[0][1][0].text == "△"
    assert [t.text for t in check.rows[0][2]] == [
        "・事務局が自治体ではないようです。",
        "→ 同意を一文加えてください。",
    ]


def test_transition_gap_accepts_objects_pairs_and_mappings() -> None:
    from renderers.docx import TransitionChange

    app = Application(transition_from_iot_lab=True, iot_lab_name="旧ラボ")
    gap = [
        TransitionChange("目的", "変革へ"),
        ("対象", "企業支援を追加"),
        {"title": "体制", "explanation": "金融機関"},
    ]
    view = build_document_view(app, run_checks(app), today=TODAY, transition_gap=gap)
    changes = next(b for b in view.body if isinstance(b, TableView) and b.columns[1].header == "項目")
    assert [(r[1][0].text, r[2][0].text) for r in changes.rows] == [
        ("目的", "変革へ"),
        ("対象", "企業支援を追加"),
        ("体制", "金融機関"),
    ]
