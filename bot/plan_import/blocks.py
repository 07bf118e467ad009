"""The neutral shapes a Word document is read into: paragraphs and tables, in reading order.

Owns nothing about python-docx or the Application: ``docx_reader`` produces these, ``mapping``
consumes them, and tests may build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    """One paragraph's text.

    ``heading`` is the outline level Word knows (a Heading style or an outline level: 1, 2, …),
    0 for body text; ``bold`` is True when every visible run is bold; ``style`` the style name;
    ``numbered`` the level (1, 2, …) of Word's automatic numbering (the number is not in ``text``).
    """

    text: str
    heading: int = 0
    bold: bool = False
    style: str = ""
    numbered: int = 0


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts (merged cells once; each cell's paragraphs joined by \\n)."""

    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Table
