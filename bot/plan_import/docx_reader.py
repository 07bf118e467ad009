"""Reads a .docx (already checked by ``limits``) into ``blocks``: paragraphs and tables in order.

Owns every python-docx detail of reading: body order (paragraphs and tables interleaved, content
controls unwrapped), heading levels from styles ("Heading 2", 「見出し 2」) and outline levels,
bold runs, merged table cells, and the text of line breaks and tabs.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from typing import Any

from bot.plan_import.blocks import Block, Paragraph, Table
from bot.plan_import.errors import PlanError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"(?:heading|見出し)\s*([1-9])", re.IGNORECASE)
_TITLE_STYLES = {"title", "表題", "subtitle", "副題"}
MAX_BLOCKS = 20_000
"""The most paragraphs and tables read from one document (a plan has a few hundred)."""


def _style_name(document: Any, element: Any) -> str:
    style_id = element.xpath("./w:pPr/w:pStyle/@w:val")
    if not style_id:
        return ""
    try:
        style = document.styles.get_by_id(style_id[0], 1)  # WD_STYLE_TYPE.PARAGRAPH
    except (KeyError, ValueError):
        return str(style_id[0])
    return str(getattr(style, "name", "") or style_id[0])


def _heading_level(document: Any, element: Any, style: str) -> int:
    match = _HEADING_STYLE.search(unicodedata.normalize("NFKC", style))
    if match:
        return int(match.group(1))
    if style.strip().lower() in _TITLE_STYLES:
        return 1
    outline = element.xpath("./w:pPr/w:outlineLvl/@w:val")
    if outline and outline[0].isdigit() and int(outline[0]) < 9:
        return int(outline[0]) + 1
    return 0


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _runs(element: Any) -> Iterator[Any]:
    """The runs of a paragraph, including those inside hyperlinks, fields and insertions."""
    for node in element.iter(f"{_W}r"):
        # Skip deleted text (tracked changes) and text in nested text boxes.
        if node.xpath("ancestor::w:del") or node.xpath("ancestor::w:txbxContent"):
            continue
        yield node


def _is_bold(run: Any) -> bool:
    values = run.xpath("./w:rPr/w:b/@w:val")
    present = run.xpath("./w:rPr/w:b")
    if not present:
        return False
    return not values or values[0] not in ("0", "false", "off")


def _paragraph(document: Any, element: Any) -> Paragraph:
    texts: list[str] = []
    visible: list[bool] = []
    for run in _runs(element):
        text = _run_text(run)
        texts.append(text)
        if text.strip():
            visible.append(_is_bold(run))
    style = _style_name(document, element)
    return Paragraph(
        text="".join(texts),
        heading=_heading_level(document, element, style),
        bold=bool(visible) and all(visible),
        style=style,
    )


def _cell_text(document: Any, cell: Any) -> str:
    lines = [_paragraph(document, p).text for p in cell.iter(f"{_W}p") if not p.xpath("ancestor::w:tbl[2]")]
    return "\n".join(lines).strip("\n")


def _table(document: Any, element: Any) -> Table:
    rows: list[tuple[str, ...]] = []
    for tr in element.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iter(f"{_W}tc"):
            if tc.xpath("ancestor::w:tbl[1]")[0] is not element:
                continue  # a nested table's cell
            merge = tc.xpath("./w:tcPr/w:vMerge")
            continued = bool(merge) and merge[0].get(f"{_W}val") in (None, "continue")
            text = "" if continued else _cell_text(document, tc)
            span = tc.xpath("./w:tcPr/w:gridSpan/@w:val")
            width = int(span[0]) if span and str(span[0]).isdigit() else 1
            cells.extend([text] * max(1, min(width, 64)))  # a merged cell under each column it spans
        rows.append(tuple(cells))
    return Table(rows=tuple(rows))


def _body_elements(container: Any) -> Iterator[Any]:
    for child in container.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def read_blocks(data: bytes, *, name: str) -> tuple[Block, ...]:
    """The document's paragraphs and tables in reading order; ``PlanError`` if python-docx fails."""
    import docx  # loaded only when a file is imported
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError, SyntaxError) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; a package without a main part is a KeyError.
        raise PlanError("broken", name=name) from exc
    blocks: list[Block] = []
    for element in _body_elements(document.element.body):
        if len(blocks) >= MAX_BLOCKS:
            raise PlanError("too_many_blocks", name=name, limit=MAX_BLOCKS)
        if element.tag == f"{_W}p":
            blocks.append(_paragraph(document, element))
        else:
            blocks.append(_table(document, element))
    return tuple(blocks)
