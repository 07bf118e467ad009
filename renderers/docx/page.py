"""Page layout of the draft 実施計画書: A4, official-document margins, header and footer.

Owns the section properties (python-docx's default template is US Letter), the header marking the
document as a draft (「案」 in a box, top right) and the footer with the page number as a Word
``PAGE`` field (「- 1 -」), so that Word and LibreOffice number the pages themselves.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from renderers.docx import styles

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 30
MARGIN_BOTTOM_MM = 25
MARGIN_LEFT_MM = 25
MARGIN_RIGHT_MM = 25
HEADER_DISTANCE_MM = 15
FOOTER_DISTANCE_MM = 12

TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


def setup_page(document: Document, *, draft_mark: str, page_number: tuple[str, str]) -> None:
    """A4 portrait with the draft's margins, the 「案」 header and the page-number footer."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.gutter = Mm(0)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(draft_mark)._r.get_or_add_rPr().style = styles.HEADER_MARK

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = page_number
    if before:
        footer.add_run(before)
    _add_page_field(footer)
    if after:
        footer.add_run(after)


def _add_page_field(paragraph: Paragraph) -> None:
    """A complex ``PAGE`` field (begin, instruction, separate, cached "1", end)."""

    def field_char(kind: str) -> None:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run("1")
    field_char("end")
