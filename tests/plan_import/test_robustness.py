"""Odd documents: merged cells, nested tables, hostile text, any order of blocks — never a crash."""

from __future__ import annotations

import io

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.plan_import import PlanError, read_plan
from bot.plan_import.blocks import Block, Paragraph, Table
from bot.plan_import.mapping import map_blocks
from bot.plan_import.resume import resume_step
from criteria.checking import run_checks
from dialogs.flow import default_flow
from dialogs.state import Draft

WORDS = [
    *("１．地域が目指すビジョン", "(2) 自立化シナリオ", "【取組内容】", "取組1　データ", "【KPI】", "別紙1"),
    *("地方版IoT推進ラボ", "■ ① プロジェクト", "□ ② 企業支援", "【未記入】", "ただの文章です。", "", "\n"),
    *("\x0b\x00\ud800", "<!channel>", "{{ 7*7 }}", "構成員は計3団体（自治体1）。"),
]
CELLS = st.sampled_from(
    ["指標", "目標値", "年度", "名称", "区分", "氏名", "R10年度", "15社", "", "【未記入】", "x"]
)


def _blocks() -> st.SearchStrategy[list[Block]]:
    paragraph = st.builds(
        Paragraph,
        text=st.one_of(st.sampled_from(WORDS), st.text(max_size=30)),
        heading=st.integers(0, 5),
        bold=st.booleans(),
    )
    table = st.builds(
        Table,
        rows=st.lists(st.lists(CELLS, min_size=1, max_size=5).map(tuple), max_size=4).map(tuple),
    )
    return st.lists(st.one_of(paragraph, table), max_size=25)


@settings(max_examples=300, deadline=None)
@given(_blocks())
def test_any_sequence_of_blocks_maps_or_says_no_section(blocks: list[Block]) -> None:
    try:
        result = map_blocks(tuple(blocks), name="x.docx")
    except PlanError as exc:
        assert exc.key == "no_sections"
        return
    assert result.answers or result.transition_notes


def test_merged_header_cells_and_a_nested_table() -> None:
    d = docx.Document()
    d.add_heading("管理体制", level=1)
    table = d.add_table(rows=3, cols=4)
    for c, text in enumerate(["指標", "", "目標値", "目標年度"]):
        table.cell(0, c).text = text
    table.cell(0, 0).merge(table.cell(0, 1))  # the 指標 header spans two columns
    for c, text in enumerate(["DX認定企業数", "（累計）", "15社", "令和10年度"]):
        table.cell(1, c).text = text
    inner = table.cell(2, 0).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "入れ子の表"
    buffer = io.BytesIO()
    d.save(buffer)
    plan = read_plan(buffer.getvalue(), name="m.docx")
    assert plan.answers["kpis"][0]["target_value"] == 15
    assert plan.answers["kpis"][0]["target_year"] == 2028
    assert plan.answers["kpis"][0]["indicator"] == "DX認定企業数 （累計）"  # both merged columns


def test_text_is_kept_verbatim() -> None:
    d = docx.Document()
    d.add_heading("ビジョン", level=1)
    d.add_paragraph("<!channel> {{ 7*7 }} ＆ 「引用」 🏯")
    buffer = io.BytesIO()
    d.save(buffer)
    vision = read_plan(buffer.getvalue(), name="v.docx").answers["vision"]
    assert vision == "<!channel> {{ 7*7 }} ＆ 「引用」 🏯"


def test_the_dialog_goes_back_to_a_weak_answer_when_nothing_required_is_empty() -> None:
    answers = {
        "lab_name": "L", "region": "R", "transition_from_iot_lab": False,
        "vision": "町の産業を元気にします。",  # no well-being: weak
        "regional_issues": "人口減少", "customer_social_needs": "声", "transformation": "変える",
        "initiative_types": ["project"],
        "initiatives": [{"title": "t", "description": "d", "type": "project"}],
        "self_reliance_scenario": "s", "secretariat": "s", "key_persons": [{"name": "n"}],
        "members": [{"name": "L市", "category": "municipality"}], "municipality_role": "m", "continuity": "c",
        "kpis": [{"text": "令和10年度までに売上を10億円"}], "progress_management": "p",
    }  # fmt: skip
    draft = Draft(answers=answers)
    report = run_checks(draft.application())
    step = resume_step(default_flow(), draft, report)
    assert step is not None
    weak = {f.field.split("[")[0] for f in report.problems() if f.viewpoint != "other"}
    assert step.field in weak
