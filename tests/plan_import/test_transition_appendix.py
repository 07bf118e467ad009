"""The Word file of a transitioning lab shows the IoT→DX 差分 in its own appendix (別紙3)."""

from __future__ import annotations

import datetime as dt
import io

import docx

from bot.exporter import render_bytes
from bot.plan_import import read_plan
from criteria.application import Application
from dialogs.state import build_application
from tests.plan_import import documents


def _appendix_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    last = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in last.rows]
    return headings, rows


def test_an_imported_iot_plan_renders_the_diff_with_what_is_still_to_add() -> None:
    plan = read_plan(documents.iot_era_plan(), name="iot.docx")
    app = build_application(plan.answers)
    data = render_bytes(app, "docx", today=dt.date(2026, 12, 1))
    headings, rows = _appendix_rows(data)
    assert headings[-1] == "別紙3　地方版IoT推進ラボから地域DX推進ラボへの差分"
    assert rows[0] == ["項目", "地方版IoT推進ラボ", "地域DX推進ラボ", "本計画書（案）"]
    by_title = {row[0]: row for row in rows[1:]}
    change = by_title["「変革」の視点が新しく加わりました"]
    assert change[1] == "（定めなし。新しく加わった点です）"
    assert "従来モデルの変革" in change[2]
    assert change[3].startswith("要追記")
    wellbeing = by_title["経済発展に加えて、ウェルビーイングの向上を目指すことが求められます"]
    assert "地域の経済発展を実現する" in wellbeing[1] and wellbeing[3].startswith("要追記")
    # The appendix is dxlab's own: importing the rendered file again ignores it.
    again = read_plan(data, name="again.docx")
    assert again.unplaced == ()
    assert again.answers["vision"] == plan.answers["vision"]


def test_a_new_application_has_no_diff_appendix() -> None:
    app = Application(vision="ビジョン", transition_from_iot_lab=False)
    headings, _ = _appendix_rows(render_bytes(app, "docx", today=dt.date(2026, 12, 1)))
    assert not any(h.startswith("別紙3") for h in headings)
