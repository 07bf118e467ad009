"""Writes a ``DocumentView`` as a Word file (.docx) with python-docx.

Owns the order of the page — date at the top right, title, basic-information table, the numbered
sections, the appendices on new pages — and the pagination rules: only headings (the title, the
numbered headings, the 【…】 labels and a heading's one-line subtitle, by their styles) and a
table's header row keep with what follows. Body text, notes and table cells never do, so no chain
of kept paragraphs can push a heading onto the next page and leave a mostly blank one; the view
model puts a heading or label directly before every table of the body. Typography lives in
``styles``, page layout in ``page``, tables in ``tables``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import IO, Any

import docx

from renderers.docx import styles
from renderers.docx.elements import new_paragraph
from renderers.docx.model import Block, DocumentView, Heading, PageBreak, Paragraphs, TableView, Text
from renderers.docx.page import setup_page
from renderers.docx.tables import new_table

# A line that starts like a list item (・ ● ○ ■ ◆ - * ① (1) 1. ア.) hangs instead of indenting.
_LIST_ITEM = re.compile(r"^\s*(?:[・●○■□◆◇※\-\*＊]|[①-⑳]|[(（][0-9０-９一-十]+[)）]|[0-9０-９]+[.．、)）])")

_PARAGRAPH_STYLES = {
    "label": styles.LABEL,
    "note": styles.NOTE,
    "plain": styles.PLAIN,
    "subtitle": styles.SUBTITLE,
}


class _Body:
    """Appends blocks to the document body, before its section properties."""

    def __init__(self, body: Any) -> None:
        self._anchor = body.sectPr
        self._last: Any = None
        self._break_next = False

    def _append(self, element: Any) -> None:
        self._anchor.addprevious(element)
        self._last = element

    def paragraph(self, style_id: str, text: Any = None, **flags: Any) -> None:
        if self._break_next:
            flags["page_break_before"] = True
            self._break_next = False
        self._append(new_paragraph(style_id, text, **flags))

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.paragraph(styles.HEADINGS[min(max(block.level, 1), 3) - 1], Text(block.text))
        elif isinstance(block, Paragraphs):
            for line in block.lines:
                if block.kind == "body":
                    style = styles.BODY_LIST if _LIST_ITEM.match(line.text) else styles.BODY
                else:
                    style = _PARAGRAPH_STYLES[block.kind]
                self.paragraph(style, line)
        elif isinstance(block, TableView):
            self.table(block)
        elif isinstance(block, PageBreak):
            self._break_next = True

    def table(self, view: TableView) -> None:
        if self._break_next:
            self.paragraph(styles.PLAIN)
        self._append(new_table(view))
        # Word needs a paragraph between two tables and after a final table; a small gap also
        # separates a table from the next heading.
        self.paragraph(styles.NOTE)


def _properties(document: Any, view: DocumentView) -> None:
    """File properties: the draft's title, lab and applicant instead of python-docx's defaults."""
    props = document.core_properties
    props.title = view.title
    props.subject = "" if view.lab_name.placeholder else view.lab_name.text
    props.author = "、".join(line.text for line in view.applicant if not line.placeholder)
    props.last_modified_by = props.author
    props.comments = ""
    props.language = "ja-JP"
    if view.issued is not None:
        moment = dt.datetime.combine(view.issued, dt.time(9, 0))
        props.created = props.modified = moment
    props.revision = 1


def render_docx(view: DocumentView, out: Path | IO[bytes]) -> None:
    """Write ``view`` as a .docx to a path or a binary stream (python-docx may raise ``OSError``)."""
    document = docx.Document()
    styles.apply_styles(document)
    setup_page(document, draft_mark=view.draft_mark, page_number=view.page_number)
    _properties(document, view)
    body = _Body(document.element.body)
    body.paragraph(styles.COVER_DATE, Text(view.date))
    body.paragraph(styles.TITLE, Text(view.title))
    body.table(view.info)
    for block in view.blocks():
        body.block(block)
    document.save(out if not isinstance(out, Path) else str(out))
