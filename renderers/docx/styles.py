"""Typography of the draft 実施計画書: fonts, sizes, spacing and the named styles the writer uses.

Owns the document defaults and every style definition. python-docx's ``font.name`` sets only
the Latin faces, so the East Asian face (``w:eastAsia``) is written explicitly in the document
defaults and in every style, together with the Japanese language tag; theme fonts and theme
colours of the default template are removed so that Word and LibreOffice show the same 明朝 body
and ゴシック headings. Sizes are in half-points, spacing and indents in twentieths of a point.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

# Font family names as Word knows them (identifiers, not wording).
MINCHO = "ＭＳ 明朝"
GOTHIC = "ＭＳ ゴシック"

BODY_SIZE = 21  # 10.5 pt
TABLE_SIZE = 19  # 9.5 pt
NOTE_SIZE = 18  # 9 pt
CHAR = 210  # one full-width character at 10.5 pt, in twips
TABLE_CHAR = 190  # one full-width character at 9.5 pt

# Style ids used by the writer.
BODY = "DXBody"
BODY_LIST = "DXBodyList"
PLAIN = "DXPlain"
LABEL = "DXLabel"
NOTE = "DXNote"
SUBTITLE = "DXSubtitle"
TABLE_TEXT = "DXTableText"
TABLE_HEAD = "DXTableHead"
TABLE_LIST = "DXTableList"
COVER_DATE = "DXCoverDate"
TITLE = "Title"
HEADINGS = ("Heading1", "Heading2", "Heading3")
PLACEHOLDER = "DXPlaceholder"
HEADER_MARK = "DXDraftMark"


def _fonts(face: str) -> str:
    return f'<w:rFonts w:ascii="{face}" w:eastAsia="{face}" w:hAnsi="{face}" w:cs="{face}"/>'


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


_LANG = '<w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/>'


def _paragraph_style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    ppr: str = "",
    rpr: str = "",
    outline: int | None = None,
) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    default = ' w:default="1"' if style_id == "Normal" else ""
    return (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}"{default}>'
        f'<w:name w:val="{name}"/>{based}<w:next w:val="{BODY if outline is not None else style_id}"/>'
        f"<w:qFormat/><w:pPr>{ppr}{level}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _character_style(style_id: str, name: str, rpr: str) -> str:
    return (
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="DefaultParagraphFont"/>'
        f"<w:rPr>{rpr}</w:rPr></w:style>"
    )


_ROW_SPACING = '<w:spacing w:after="0" w:line="360" w:lineRule="atLeast"/>'  # at least 18 pt a line
_KEEP = "<w:keepNext/><w:keepLines/>"

_STYLES: tuple[str, ...] = (
    _paragraph_style(
        "Normal",
        "Normal",
        based_on=None,
        ppr=f'<w:widowControl/>{_ROW_SPACING}<w:jc w:val="both"/>',
        rpr=f'{_fonts(MINCHO)}<w:kern w:val="2"/>{_size(BODY_SIZE)}{_LANG}',
    ),
    _paragraph_style(
        TITLE,
        "Title",
        ppr=f'{_KEEP}<w:spacing w:before="240" w:after="360" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        rpr=f"{_fonts(GOTHIC)}{_size(32)}",
    ),
    _paragraph_style(
        "Heading1",
        "heading 1",
        ppr=f'{_KEEP}<w:spacing w:before="360" w:after="120" w:line="240" w:lineRule="auto"/>',
        rpr=f"{_fonts(GOTHIC)}{_size(24)}",
        outline=0,
    ),
    _paragraph_style(
        "Heading2",
        "heading 2",
        ppr=f'{_KEEP}<w:spacing w:before="200" w:after="60" w:line="300" w:lineRule="atLeast"/>',
        rpr=f"{_fonts(GOTHIC)}{_size(BODY_SIZE)}",
        outline=1,
    ),
    _paragraph_style(
        "Heading3",
        "heading 3",
        ppr=f'{_KEEP}<w:spacing w:before="160" w:after="40" w:line="300" w:lineRule="atLeast"/>'
        f'<w:ind w:left="{CHAR}"/>',
        rpr=f"{_fonts(GOTHIC)}{_size(BODY_SIZE)}",
        outline=2,
    ),
    _paragraph_style(
        BODY, "DX Body", ppr=f'<w:ind w:left="{CHAR}" w:firstLineChars="100" w:firstLine="{CHAR}"/>'
    ),
    _paragraph_style(
        BODY_LIST,
        "DX Body List",
        ppr=f'<w:ind w:left="{2 * CHAR}" w:hangingChars="100" w:hanging="{CHAR}"/>',
    ),
    _paragraph_style(PLAIN, "DX Plain", ppr=f'<w:ind w:left="{CHAR}"/>'),
    _paragraph_style(
        LABEL,
        "DX Label",
        ppr=f'{_KEEP}<w:spacing w:before="120" w:after="0" w:line="300" w:lineRule="atLeast"/>'
        f'<w:ind w:left="{CHAR}"/>',
        rpr=_fonts(GOTHIC),
    ),
    _paragraph_style(
        NOTE,
        "DX Note",
        ppr=f'<w:spacing w:after="40" w:line="280" w:lineRule="atLeast"/><w:ind w:left="{CHAR}"/>',
        rpr=_size(NOTE_SIZE),
    ),
    _paragraph_style(
        SUBTITLE,
        "DX Subtitle",
        based_on=NOTE,
        ppr=f'{_KEEP}<w:spacing w:after="40" w:line="280" w:lineRule="atLeast"/><w:ind w:left="{CHAR}"/>',
        rpr=_size(NOTE_SIZE),
    ),
    _paragraph_style(
        TABLE_TEXT,
        "DX Table Text",
        ppr='<w:spacing w:after="0" w:line="280" w:lineRule="atLeast"/><w:jc w:val="left"/>',
        rpr=_size(TABLE_SIZE),
    ),
    _paragraph_style(
        TABLE_LIST,
        "DX Table List",
        based_on=TABLE_TEXT,
        ppr=f'<w:ind w:left="{TABLE_CHAR}" w:hangingChars="100" w:hanging="{TABLE_CHAR}"/>',
    ),
    _paragraph_style(
        TABLE_HEAD,
        "DX Table Head",
        based_on=TABLE_TEXT,
        ppr='<w:jc w:val="center"/>',
        rpr=_fonts(GOTHIC),
    ),
    _paragraph_style(COVER_DATE, "DX Cover Date", ppr='<w:jc w:val="right"/>'),
    _character_style(PLACEHOLDER, "DX Placeholder", '<w:color w:val="C00000"/>'),
    _character_style(
        HEADER_MARK,
        "DX Draft Mark",
        f'{_fonts(GOTHIC)}{_size(24)}<w:bdr w:val="single" w:sz="8" w:space="1" w:color="auto"/>',
    ),
)

_DEFAULTS = (
    f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_fonts(MINCHO)}{_size(BODY_SIZE)}{_LANG}"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
)


def apply_styles(document: Document) -> None:
    """Install the document defaults and the draft's styles (replacing the template's versions)."""
    styles = document.styles.element
    old = styles.find(qn("w:docDefaults"))
    if old is not None:
        styles.replace(old, parse_xml(_DEFAULTS))
    existing = {s.get(qn("w:styleId")): s for s in styles.iterfind(qn("w:style"))}
    for xml in _STYLES:
        style = parse_xml(xml)
        current = existing.get(style.get(qn("w:styleId")))
        if current is not None:
            styles.replace(current, style)
        else:
            styles.append(style)
    _japanese_settings(document)


def _japanese_settings(document: Document) -> None:
    """Compress punctuation as Japanese Word documents do (行頭・行末の約物を詰める)."""
    settings = document.settings.element
    control = settings.find(qn("w:characterSpacingControl"))
    if control is not None:
        control.set(qn("w:val"), "compressPunctuation")
