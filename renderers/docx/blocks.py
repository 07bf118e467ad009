"""Small builders of view-model blocks shared by the document sections and the appendices.

Owns the wording look-up (``docx.*`` messages), the placeholder for unanswered items, the turning
of an answer into cleaned lines, the official numbering of headings (1 / （1）) and tables whose
empty body still shows one row with 【未記入】.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from renderers.docx.model import Align, Block, Cell, Column, Heading, Paragraphs, TableView, Text
from renderers.docx.sanitize import clean_lines
from renderers.messages import message


def wording(key: str, **params: Any) -> str:
    """Message ``docx.<key>`` of the catalogue."""
    return message(f"docx.{key}", **params)


def placeholder() -> Text:
    """The visible mark of an unanswered item (【未記入】)."""
    return Text(wording("placeholder"), placeholder=True)


def answer_lines(text: str) -> tuple[Text, ...]:
    """The cleaned lines of an answer, or one placeholder line when it is blank."""
    lines = clean_lines(text)
    return tuple(Text(line) for line in lines) if lines else (placeholder(),)


def fixed(text: str) -> Cell:
    """A cell holding one line of prepared text."""
    return (Text(text),)


def column(key: str, width_mm: float, align: Align = "left") -> Column:
    """A table column headed by message ``docx.<key>``."""
    return Column(wording(key), width_mm, align)


def table(columns: Sequence[Column], rows: Iterable[tuple[Cell, ...]]) -> TableView:
    """A table with a header row; with no rows, one row showing the placeholder in column 2."""
    body = list(rows)
    if not body:
        body = [tuple((placeholder(),) if i == 1 else fixed("") for i in range(len(columns)))]
    return TableView(columns=tuple(columns), rows=tuple(body))


class Sections:
    """Accumulates blocks, numbering sections 1, 2 … and their items （1）, （2） …."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._section = 0
        self._item = 0

    def section(self, title_key: str) -> None:
        self._section += 1
        self._item = 0
        self.blocks.append(Heading(1, wording("heading1", number=self._section, title=wording(title_key))))

    def item(self, title_key: str) -> None:
        self._item += 1
        self.blocks.append(Heading(2, wording("heading2", number=self._item, title=wording(title_key))))

    def group(self, title: str) -> None:
        self.blocks.append(Heading(3, wording("heading3", title=title)))

    def label(self, title: str) -> None:
        self.blocks.append(Paragraphs((Text(wording("label", title=title)),), kind="label"))

    def answer(self, text: str) -> None:
        self.blocks.append(Paragraphs(answer_lines(text)))

    def note(self, text: str) -> None:
        self.blocks.append(Paragraphs((Text(text),), kind="note"))

    def subtitle(self, text: str) -> None:
        """A small line under the heading just added, kept with what follows like the heading."""
        self.blocks.append(Paragraphs((Text(text),), kind="subtitle"))

    def add(self, block: Block) -> None:
        self.blocks.append(block)
