"""The view model of the draft 実施計画書: frozen, fully prepared, XML-safe text in blocks.

Owns the neutral shapes the Word writer consumes — headings, paragraphs, tables and page breaks —
and nothing about python-docx or the Application model. Everything in a ``DocumentView`` is final
text: labels resolved, placeholders filled in, 和暦 formatted, characters XML cannot hold removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]
ParagraphKind = Literal["body", "label", "note", "plain", "subtitle"]


@dataclass(frozen=True)
class Text:
    """One line of prepared text; ``placeholder`` marks a visible 【未記入】 for an unanswered item."""

    text: str
    placeholder: bool = False


Cell = tuple[Text, ...]
"""The lines of one table cell (each becomes a paragraph)."""


@dataclass(frozen=True)
class Heading:
    """A numbered heading; ``level`` 1 (section), 2 (item) or 3 (group)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraphs:
    """Lines of text, each its own paragraph.

    ``body`` is answer text (indented, justified), ``label`` a 【…】 sub-item title kept with what
    follows, ``note`` a small explanatory line, ``subtitle`` a small line that belongs to the
    heading above it (kept with what follows, like the heading), ``plain`` unindented text.
    """

    lines: tuple[Text, ...]
    kind: ParagraphKind = "body"


@dataclass(frozen=True)
class Column:
    """One table column: header text, width on the page and alignment of its cells."""

    header: str
    width_mm: float
    align: Align = "left"


@dataclass(frozen=True)
class TableView:
    """A bordered table; with ``header`` its first row repeats on every page.

    ``label_column`` shades the first column instead (a form-like two-column table).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    header: bool = True
    label_column: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = Heading | Paragraphs | TableView | PageBreak


@dataclass(frozen=True)
class DocumentView:
    """Everything the draft 実施計画書 shows, in reading order."""

    title: str
    draft_mark: str
    date: str
    lab_name: Text
    applicant: tuple[Text, ...]
    """申請者: one line per applying municipality (its head), or the placeholder."""
    info: TableView
    body: tuple[Block, ...]
    appendix: tuple[Block, ...]
    page_number: tuple[str, str] = ("- ", " -")
    """The footer text before and after the page number field."""
    issued: dt.date | None = None
    """The date of the draft, also written to the file's properties."""

    def blocks(self) -> tuple[Block, ...]:
        """Body then appendix, the appendix starting on a new page."""
        if not self.appendix:
            return self.body
        return (*self.body, PageBreak(), *self.appendix)
