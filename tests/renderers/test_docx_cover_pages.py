"""The cover and the pagination of the Word file (issue 17 items 7, 8, 10 and 11).

申請者 comes from the application's own answer (never the 事務局), the date line is 和暦 only, no
table row splits across pages and header rows repeat, and only headings keep with what follows.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from bot.exporter import render_bytes
from criteria.application import Application, Member
from criteria.checking import run_checks
from dialogs.flow import default_flow
from tests.renderers.docx_helpers import GAP, cell_text, full_application, render, sample_report

PLACEHOLDER = "【未記入】"
HEADING_STYLES = {"Title", "Heading1", "Heading2", "Heading3", "DXLabel", "DXSubtitle"}


@pytest.fixture(scope="module")
def full() -> Any:
    return render(full_application(), sample_report(), transition_gap=GAP)


def _rows(document: Any) -> dict[str, str]:
    info = document.tables[0]
    return {cell_text(info, r, 0): cell_text(info, r, 1) for r in range(len(info.rows))}


# --- item 7: 申請者 -------------------------------------------------------------------------------------


def test_applicant_is_printed_from_its_own_answer_one_municipality_a_line() -> None:
    app = Application(
        applicant="青葉台町長 青葉 太郎、桜川町長 桜川 花子",
        secretariat="青葉台町 企画課",
        members=[Member(name="青葉台町", category="municipality")],
    )
    rows = _rows(render(app, run_checks(app)))
    assert rows["申請者"] == "青葉台町長 青葉 太郎\n桜川町長 桜川 花子"
    assert rows["事務局"] == "青葉台町 企画課"


def test_applicant_never_repeats_the_secretariat() -> None:
    app = Application(secretariat="青葉台町 企画課")
    rows = _rows(render(app, run_checks(app)))
    assert rows["申請者"] == PLACEHOLDER  # unanswered: visible, and not the 事務局's text
    assert rows["事務局"] == "青葉台町 企画課"
    # a caller passing the 事務局 as the applicant (the older exporters did) is not believed
    echoed = _rows(render(app, run_checks(app), applicant="青葉台町 企画課"))
    assert echoed["申請者"] == PLACEHOLDER
    answered = app.model_copy(update={"applicant": "青葉台町長 青葉 太郎"})
    rows = _rows(render(answered, run_checks(answered), applicant="青葉台町 企画課"))
    assert rows["申請者"] == "青葉台町長 青葉 太郎"


def test_an_explicit_applicant_overrides_the_answer() -> None:
    app = full_application()
    rows = _rows(render(app, sample_report(), applicant="北浜市長 北浜 次郎"))
    assert rows["申請者"] == "北浜市長 北浜 次郎"


def test_the_dialogs_export_prints_the_applicant_not_the_secretariat() -> None:
    app = full_application()
    document = docx.Document(io.BytesIO(render_bytes(app, "docx", today=dt.date(2026, 12, 1))))
    rows = _rows(document)
    assert rows["申請者"] == "北浜市長 北浜 次郎\n南浦町長 南浦 三郎"
    assert rows["申請者"] != rows["事務局"]
    blank = app.model_copy(update={"applicant": ""})
    document = docx.Document(io.BytesIO(render_bytes(blank, "docx", today=dt.date(2026, 12, 1))))
    assert _rows(document)["申請者"] == PLACEHOLDER


def test_the_dialog_asks_for_the_applicant_beside_the_secretariat() -> None:
    flow = default_flow()
    step = flow.step("applicant")
    assert step.field == "applicant" and step.kind == "text" and not step.required
    ids = [s.id for s in flow.steps]
    assert ids[ids.index("applicant") + 1] == "secretariat"
    assert "首長" in step.prompt and "、" in step.prompt
    assert Application.model_validate({"applicant": "x"}).applicant == "x"
    assert Application().applicant == ""


# --- item 10: the date line -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (dt.date(2026, 12, 1), "令和8年12月1日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
    ],
)
def test_date_line_is_wareki_only(day: dt.date, line: str) -> None:
    document = render(Application(), run_checks(Application()), today=day)
    assert document.paragraphs[0].text == line


# --- item 8: rows never split, header rows repeat ------------------------------------------------------


def test_no_table_row_splits_across_pages_and_header_rows_repeat(full: Any) -> None:
    assert len(full.tables) == 7
    for number, table in enumerate(full.tables):
        rows = table._tbl.findall(qn("w:tr"))
        for index, tr in enumerate(rows):
            tr_pr = tr.find(qn("w:trPr"))
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, (number, index)
            header = tr_pr.find(qn("w:tblHeader")) is not None
            # the basic-information table has no header row; every other table has exactly one
            assert header == (number > 0 and index == 0), (number, index)


# --- item 11: only headings keep with next ---------------------------------------------------------------


def _style_keeps(document: Any) -> set[str]:
    keeping = set()
    for style in document.styles.element.iterfind(qn("w:style")):
        ppr = style.find(qn("w:pPr"))
        if ppr is not None and ppr.find(qn("w:keepNext")) is not None:
            keeping.add(style.get(qn("w:styleId")))
    return keeping


def test_only_headings_keep_with_the_next_paragraph(full: Any) -> None:
    keeping = _style_keeps(full)
    assert {"Title", "Heading1", "Heading2", "Heading3", "DXLabel"} <= keeping
    assert not keeping & {"Normal", "DXBody", "DXBodyList", "DXPlain", "DXNote", "DXTableText", "DXTableHead"}
    header_cells = set()
    for table in full.tables[1:]:
        header_cells |= set(table._tbl.findall(qn("w:tr"))[0].iter(qn("w:p")))
    kept = 0
    for p in full.element.body.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")).get(qn("w:val"))
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if ppr.find(qn("w:keepNext")) is not None:
            # a table's header row is its heading: it keeps with the first body row
            assert p in header_cells, text
        elif style in keeping:
            assert style in HEADING_STYLES, (style, text)
            kept += 1
    assert kept > 20
    # a subtitle is part of the heading right above it, never a free-standing note
    paragraphs = list(full.element.body.iterchildren(qn("w:p")))
    for before, p in itertools.pairwise(paragraphs):
        if p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "DXSubtitle":
            assert before.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")).startswith("Heading")
    # a body table follows its heading directly, so no note or sentence has to keep with it
    body = list(full.element.body.iterchildren())
    for index, element in enumerate(body):
        if element.tag == qn("w:tbl"):
            style = body[index - 1].find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val"))
            assert style in HEADING_STYLES | {"DXNote"}
