"""Tables for reviewers: an Excel workbook (openpyxl) or a CSV file Excel opens correctly.

Owns how a prepared table (``Sheet``: columns with their header, width and wrapping, and rows of
plain values) looks in a spreadsheet: bold headers on a tinted row, the header row and the first
column frozen, readable column widths, wrapped text aligned to the top, an autofilter, A4
landscape when printed. Values are written as values, never as formulas: a cell starting with
``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` (CSV/formula injection). The CSV is UTF-8 with a
BOM so Excel on Japanese Windows reads it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

Value = str | int | float | None

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_MAX_CELL = 32_000  # Excel's limit is 32,767 characters
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
_FONT = "Meiryo UI"


@dataclass(frozen=True, kw_only=True)
class Column:
    """A column: its header, its width in characters (a full-width character counts 2), wrapped or not."""

    key: str
    header: str
    width: float = 12
    wrap: bool = False
    number_format: str | None = None


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """A prepared table: a title (the sheet's name), the columns, one row per item."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    frozen_columns: int = 1


def safe_text(value: Value) -> Value:
    """A value safe for a cell: control characters removed, formulas defused, length limited."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value)[:_MAX_CELL]
    if text.startswith(_FORMULA):
        text = "'" + text
    return text


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", "", title).strip() or "Sheet"
    return cleaned[:31]


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The workbook as bytes."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = _sheet_title(sheet.title)
    ws.append([column.header for column in sheet.columns])
    for row in sheet.rows:
        ws.append([safe_text(value) for value in row])
    header_font = Font(name=_FONT, bold=True)
    body_font = Font(name=_FONT)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        head = ws.cell(row=1, column=index)
        head.font = header_font
        head.fill = _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row_index in range(2, len(sheet.rows) + 2):
            cell = ws.cell(row=row_index, column=index)
            cell.font = body_font
            cell.alignment = Alignment(wrap_text=column.wrap, vertical="top")
            if column.number_format:
                cell.number_format = column.number_format
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1).coordinate
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(sheet: Sheet) -> bytes:
    """The table as CSV, UTF-8 with a BOM, CRLF line ends (what Excel expects)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.header for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow(["" if value is None else safe_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig", errors="replace")


def display_width(text: str) -> int:
    """Width of ``text`` in half-width characters (full-width count 2)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def fit_width(header: str, values: Sequence[Value], *, minimum: float = 8, maximum: float = 60) -> float:
    """A readable width for a column: its longest line, within ``minimum`` and ``maximum``."""
    longest = display_width(header)
    for value in values:
        for line in str("" if value is None else value).splitlines() or [""]:
            longest = max(longest, display_width(line))
    return float(max(minimum, min(maximum, longest + 2)))
