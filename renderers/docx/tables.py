"""Bordered tables of the draft 実施計画書, sized to the A4 text width.

Owns the table layout: 'Table Grid' borders, fixed column widths from the view model (they add up
to the text width, so nothing runs off the page), rows that never split across pages
(``w:cantSplit`` on every row), a shaded header row marked ``w:tblHeader`` so that Word and
LibreOffice repeat it on every page and kept with the first body row, a shaded label column for
form-like tables, and cell paragraphs in the table text style with the column's alignment.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from renderers.docx import styles
from renderers.docx.elements import new_paragraph, sub
from renderers.docx.model import Cell, TableView, Text

TWIPS_PER_MM = 1440 / 25.4
HEADER_FILL = "D9D9D9"
LABEL_FILL = "EDEDED"
CELL_MARGIN = 85  # 1.5 mm either side of the text
CELL_PADDING = 28  # 0.5 mm above and below
HANGING_MARKS = ("・", "→", "※")  # cell lines starting so wrap under their text, not under the mark

_TR, _TRPR, _TC, _TCPR, _TCW, _SHD, _VALIGN = (
    qn("w:tr"),
    qn("w:trPr"),
    qn("w:tc"),
    qn("w:tcPr"),
    qn("w:tcW"),
    qn("w:shd"),
    qn("w:vAlign"),
)
_VAL, _W, _TYPE, _FILL, _COLOR = qn("w:val"), qn("w:w"), qn("w:type"), qn("w:fill"), qn("w:color")


def twips(mm: float) -> int:
    """Millimetres as twentieths of a point."""
    return round(mm * TWIPS_PER_MM)


def _properties(tbl: Any, widths: list[int]) -> None:
    tbl_pr = sub(tbl, qn("w:tblPr"))
    sub(tbl_pr, qn("w:tblStyle")).set(_VAL, "TableGrid")
    width = sub(tbl_pr, qn("w:tblW"))
    width.set(_W, str(sum(widths)))
    width.set(_TYPE, "dxa")
    sub(tbl_pr, qn("w:tblLayout")).set(_TYPE, "fixed")
    margins = sub(tbl_pr, qn("w:tblCellMar"))
    for side, size in (
        ("w:top", CELL_PADDING),
        ("w:left", CELL_MARGIN),
        ("w:bottom", CELL_PADDING),
        ("w:right", CELL_MARGIN),
    ):
        margin = sub(margins, qn(side))
        margin.set(_W, str(size))
        margin.set(_TYPE, "dxa")
    look = sub(tbl_pr, qn("w:tblLook"))
    look.set(_VAL, "04A0")
    grid = sub(tbl, qn("w:tblGrid"))
    for w in widths:
        sub(grid, qn("w:gridCol")).set(_W, str(w))


def _row(tbl: Any, *, header: bool) -> Any:
    """A ``w:tr`` that never splits across pages; a header row also repeats on every page."""
    tr = sub(tbl, _TR)
    tr_pr = sub(tr, _TRPR)
    sub(tr_pr, qn("w:cantSplit"))
    if header:
        sub(tr_pr, qn("w:tblHeader"))
    return tr


def _cell(
    tr: Any, width: int, lines: Cell, style_id: str, align: str, fill: str | None, *, keep_next: bool = False
) -> None:
    tc = sub(tr, _TC)
    tc_pr = sub(tc, _TCPR)
    tc_w = sub(tc_pr, _TCW)
    tc_w.set(_W, str(width))
    tc_w.set(_TYPE, "dxa")
    if fill is not None:
        shd = sub(tc_pr, _SHD)
        shd.set(_VAL, "clear")
        shd.set(_COLOR, "auto")
        shd.set(_FILL, fill)
    sub(tc_pr, _VALIGN).set(_VAL, "center")
    if not lines:
        tc.append(new_paragraph(style_id, align=align, keep_next=keep_next))
    for line in lines:
        hanging = style_id == styles.TABLE_TEXT and line.text.startswith(HANGING_MARKS)
        style = styles.TABLE_LIST if hanging else style_id
        tc.append(new_paragraph(style, line, align=align, keep_next=keep_next))


def new_table(view: TableView) -> Any:
    """A ``w:tbl`` element for ``view``."""
    tbl = OxmlElement("w:tbl")
    widths = [twips(c.width_mm) for c in view.columns]
    _properties(tbl, widths)
    if view.header:
        # The header row is the table's heading: it keeps with the first body row.
        tr = _row(tbl, header=True)
        for column, width in zip(view.columns, widths, strict=True):
            _cell(tr, width, (Text(column.header),), styles.TABLE_HEAD, "center", HEADER_FILL, keep_next=True)
    for row in view.rows:
        tr = _row(tbl, header=False)
        for index, (column, width, lines) in enumerate(zip(view.columns, widths, row, strict=True)):
            label = view.label_column and index == 0
            fill = LABEL_FILL if label else None
            style_id = styles.TABLE_HEAD if label else styles.TABLE_TEXT
            _cell(tr, width, lines, style_id, "left" if label else column.align, fill)
    return tbl
