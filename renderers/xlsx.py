"""Tables for reviewers: an Excel workbook (openpyxl) or a CSV file Excel opens correctly.

Owns how a prepared table (``Sheet``: columns with their header, width and wrapping, and rows of
plain values) looks in a spreadsheet: bold headers on a tinted row, the header row and the first
column frozen, readable column widths, wrapped text aligned to the top, an autofilter, A4
landscape when printed; both files are streamed row by row. Values are written as values, never
as formulas: a cell starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with ``'`` (CSV/formula
injection). The CSV is UTF-8 with a BOM so Excel on Japanese Windows reads it as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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


def write_xlsx(sheet: Sheet, out: BinaryIO) -> None:
    """The workbook, streamed into ``out`` (openpyxl's write-only mode: each row is written as
    it comes and not kept; every body cell of a column copies that column's prepared style)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_title(sheet.title))
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}2"
    ws.row_dimensions[1].height = 32
    header_font = Font(name=_FONT, bold=True)
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    header: list[WriteOnlyCell] = []
    templates: list[WriteOnlyCell] = []
    body_font = Font(name=_FONT)
    for column in sheet.columns:
        head = WriteOnlyCell(ws, value=column.header)
        head.font, head.fill, head.alignment = header_font, _HEADER_FILL, header_alignment
        header.append(head)
        template = WriteOnlyCell(ws)
        template.font = body_font
        template.alignment = Alignment(wrap_text=column.wrap, vertical="top")
        if column.number_format:
            template.number_format = column.number_format
        templates.append(template)
    ws.append(header)
    count = 0
    for row in sheet.rows:
        cells: list[WriteOnlyCell | None] = []
        for value, template in zip(row, templates, strict=True):
            if value is None:
                cells.append(None)
                continue
            cell = WriteOnlyCell(ws, value=safe_text(value))
            cell._style = copy(template._style)  # as openpyxl copies styles: no look-up per cell
            cells.append(cell)
        ws.append(cells)
        count += 1
    if count:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{count + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    book.save(out)


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The workbook as bytes."""
    out = io.BytesIO()
    write_xlsx(sheet, out)
    return out.getvalue()


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Value]], out: BinaryIO) -> int:
    """The table as CSV, UTF-8 with a BOM, CRLF line ends (what Excel expects), streamed into
    ``out`` row by row; returns the number of rows written."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", errors="replace", newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else safe_text(value) for value in row])
        count += 1
    text.flush()
    text.detach()
    return count


def csv_bytes(sheet: Sheet) -> bytes:
    """The table as CSV, UTF-8 with a BOM, CRLF line ends (what Excel expects)."""
    out = io.BytesIO()
    write_csv(sheet.columns, sheet.rows, out)
    return out.getvalue()


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
