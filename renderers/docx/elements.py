"""Builds WordprocessingML paragraphs and runs from prepared text (``model.Text``).

Owns the low-level element construction shared by the body writer and the tables: a paragraph
with its style, alignment and keep/page-break flags, and runs that carry tabs as ``w:tab`` and
placeholders in their character style. Elements are made with python-docx's oxml element factory
(lxml underneath), which is several times faster than the proxy objects' style look-ups by name
and, unlike string templates, cannot produce malformed XML.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from renderers.docx import styles
from renderers.docx.model import Text
from renderers.docx.sanitize import clean_text

_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T, _TAB, _JC = (
    qn("w:p"),
    qn("w:pPr"),
    qn("w:pStyle"),
    qn("w:r"),
    qn("w:rPr"),
    qn("w:rStyle"),
    qn("w:t"),
    qn("w:tab"),
    qn("w:jc"),
)
_KEEP_NEXT, _BREAK_BEFORE = qn("w:keepNext"), qn("w:pageBreakBefore")
_VAL, _SPACE = qn("w:val"), qn("xml:space")


def sub(parent: Any, tag: str) -> Any:
    """Append a new child element ``tag`` (Clark notation) to ``parent`` and return it."""
    child = parent.makeelement(tag, {})
    parent.append(child)
    return child


def new_paragraph(
    style_id: str,
    text: Text | None = None,
    *,
    align: str | None = None,
    keep_next: bool = False,
    page_break_before: bool = False,
) -> Any:
    """A ``w:p`` in style ``style_id`` holding ``text`` (empty when None)."""
    p = OxmlElement("w:p")
    ppr = sub(p, _PPR)
    sub(ppr, _PSTYLE).set(_VAL, style_id)
    if keep_next:
        sub(ppr, _KEEP_NEXT)
    if page_break_before:
        sub(ppr, _BREAK_BEFORE)
    if align is not None:
        sub(ppr, _JC).set(_VAL, "both" if align == "justify" else align)
    if text is not None and text.text:
        add_text(p, text)
    return p


def add_text(p: Any, text: Text) -> None:
    """Append ``text`` to paragraph ``p`` as one run (tabs become ``w:tab``)."""
    r = sub(p, _R)
    if text.placeholder:
        sub(sub(r, _RPR), _RSTYLE).set(_VAL, styles.PLACEHOLDER)
    # The view model is already clean; cleaning again here (a no-op scan) keeps any hand-built
    # view from crashing lxml.
    content = clean_text(text.text)
    if "\t" not in content:
        t = sub(r, _T)
        t.text = content
        t.set(_SPACE, "preserve")
        return
    for index, piece in enumerate(content.split("\t")):
        if index:
            sub(r, _TAB)
        if piece:
            t = sub(r, _T)
            t.text = piece
            t.set(_SPACE, "preserve")
