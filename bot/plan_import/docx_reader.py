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
_LIST_NUMBER_STYLE = re.compile(r"list number|番号付きリスト|段落番号", re.IGNORECASE)
_TITLE_STYLES = {"title", "表題", "subtitle", "副題"}
MAX_BLOCKS = 20_000
"""The most paragraphs and tables read from one document (a plan has a few hundred)."""


class _Styles:
    """Paragraph style id → name, looked up once per id (python-docx's look-up is slow)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.names: dict[str, str] = {}

    def name(self, element: Any) -> str:
        node = element.find(f"{_W}pPr/{_W}pStyle")
        style_id = node.get(f"{_W}val") if node is not None else None
        if not style_id:
            return ""
        found = self.names.get(style_id)
        if found is None:
            try:
                style = self.document.styles.get_by_id(style_id, 1)  # WD_STYLE_TYPE.PARAGRAPH
                found = str(getattr(style, "name", "") or style_id)
            except (KeyError, ValueError):
                found = str(style_id)
            self.names[style_id] = found
        return found


def _heading_level(element: Any, style: str) -> int:
    match = _HEADING_STYLE.search(unicodedata.normalize("NFKC", style))
    if match:
        return int(match.group(1))
    if style.strip().lower() in _TITLE_STYLES:
        return 1
    outline = element.find(f"{_W}pPr/{_W}outlineLvl")
    level = outline.get(f"{_W}val") if outline is not None else None
    if level and level.isdigit() and int(level) < 9:
        return int(level) + 1
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


_HIDDEN = (f"{_W}del", f"{_W}txbxContent", f"{_W}moveFrom")


def _runs(element: Any) -> Iterator[Any]:
    """The runs of a paragraph, including those inside hyperlinks, fields and insertions.

    Deleted text (tracked changes) and text boxes anchored in the paragraph are left out."""
    for node in element.iter(f"{_W}r"):
        parent = node.getparent()
        while parent is not None and parent is not element and parent.tag not in _HIDDEN:
            parent = parent.getparent()
        if parent is element:
            yield node


def _is_bold(run: Any) -> bool:
    node = run.find(f"{_W}rPr/{_W}b")
    if node is None:
        return False
    return node.get(f"{_W}val") not in ("0", "false", "off")


def _paragraph(styles: _Styles, element: Any) -> Paragraph:
    texts: list[str] = []
    visible: list[bool] = []
    for run in _runs(element):
        text = _run_text(run)
        texts.append(text)
        if text.strip():
            visible.append(_is_bold(run))
    style = styles.name(element)
    return Paragraph(
        text="".join(texts),
        heading=_heading_level(element, style),
        bold=bool(visible) and all(visible),
        style=style,
        numbered=_numbering_level(element, style),
    )


def _numbering_level(element: Any, style: str) -> int:
    """1 + ``w:ilvl`` for a paragraph Word numbers itself (「1.」 shown, not in the text); else 0."""
    numbering = element.find(f"{_W}pPr/{_W}numPr")
    if numbering is None:
        return 1 if _LIST_NUMBER_STYLE.search(style) else 0
    num_id = numbering.find(f"{_W}numId")
    if num_id is not None and num_id.get(f"{_W}val") == "0":
        return 0  # numbering switched off
    level = numbering.find(f"{_W}ilvl")
    value = level.get(f"{_W}val") if level is not None else "0"
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else 1


def _cell_paragraphs(container: Any) -> Iterator[Any]:
    """The paragraphs of a cell in order, not those of a table nested in it."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _cell_paragraphs(content)


def _cell_text(styles: _Styles, cell: Any) -> str:
    return "\n".join(_paragraph(styles, p).text for p in _cell_paragraphs(cell)).strip("\n")


def _table(styles: _Styles, element: Any) -> Table:
    rows: list[tuple[str, ...]] = []
    for tr in element.iterchildren(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            merge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continued = merge is not None and merge.get(f"{_W}val") in (None, "continue")
            text = "" if continued else _cell_text(styles, tc)
            span = tc.find(f"{_W}tcPr/{_W}gridSpan")
            width_text = span.get(f"{_W}val") if span is not None else "1"
            width = int(width_text) if width_text and width_text.isdigit() else 1
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
    styles = _Styles(document)
    blocks: list[Block] = []
    for element in _body_elements(document.element.body):
        if len(blocks) >= MAX_BLOCKS:
            raise PlanError("too_many_blocks", name=name, limit=MAX_BLOCKS)
        if element.tag == f"{_W}p":
            blocks.append(_paragraph(styles, element))
        else:
            blocks.append(_table(styles, element))
    return tuple(blocks)
