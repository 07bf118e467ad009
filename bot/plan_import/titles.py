"""Which paragraphs are titles, at what level, and what they say without their numbering.

Owns the reading of section titles written the many ways Word users write them: a Heading style,
a numbered plain paragraph (「１．地域が目指すビジョン」「(2) 自立化シナリオ」「第3章 …」「①…」
「ア．…」), a 【取組内容】 label alone on its line, or a short line in bold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bot.plan_import.blocks import Paragraph

MAX_TITLE_CHARS = 48
"""A numbered or bold line longer than this is body text (a list item), not a title."""

LABEL_LEVEL = 4
"""The level of a 【…】 label and of an initiative's own title: below every numbered level."""

_LEVEL1 = re.compile(
    r"^(?:第\s*[0-9一二三四五六七八九十]+\s*[章部節]|[0-9]{1,2}(?:[.、)]|\s)(?![0-9])|[IVX]{1,4}[.、\s])\s*"
)
_LEVEL2 = re.compile(
    r"^(?:[(][0-9一二三四五六七八九十]{1,2}[)]|[0-9]{1,2}-[0-9]{1,2}\.?|[0-9]{1,2}\.[0-9]{1,2}\.?)\s*"
)
_LEVEL3 = re.compile(r"^(?:[①-⑳]|[(]?[ア-ンａ-ｚa-z][.、)]|[一二三四五六七八九十]{1,2}[、.])\s*")
_LABEL = re.compile(r"^[【\[［〔]([^】\]］〕]{1,40})[】\]］〕]\s*$")
_INITIATIVE = re.compile(r"^取組\s*[0-9]{1,2}\s*(?:[:：．.、)\s]|$)")
_PLACEHOLDER = "【未記入】"


@dataclass(frozen=True)
class Title:
    """A title: its level (1 section … 4 label), its text without numbering, and its line as written."""

    level: int
    text: str
    line: str
    initiative: bool = False


def _nfkc(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) but circled numbers ①–⑳ kept as written."""
    return "".join(
        ch if "\u2460" <= ch <= "\u2473" else unicodedata.normalize("NFKC", ch) for ch in text
    ).strip()


def strip_numbering(text: str) -> str:
    """「１．地域が目指すビジョン」 → 「地域が目指すビジョン」; 【取組内容】 → 「取組内容」."""
    line = _nfkc(text)
    label = _LABEL.match(line)
    if label:
        return label.group(1).strip()
    for pattern in (_LEVEL2, _LEVEL1, _LEVEL3):
        match = pattern.match(line)
        if match and match.end() < len(line):
            return line[match.end() :].strip(" 　:：")
    return line


def numbering_level(text: str) -> int:
    """1, 2 or 3 for a line that starts with a section number of that depth; 0 otherwise."""
    line = _nfkc(text)
    if _LEVEL2.match(line):
        return 2
    if _LEVEL1.match(line):
        return 1
    if _LEVEL3.match(line):
        return 3
    return 0


def is_placeholder(text: str) -> bool:
    return text.strip() == _PLACEHOLDER


def title_of(paragraph: Paragraph, known: Callable[[str], bool] = lambda _: False) -> Title | None:
    """The title a paragraph is, or ``None`` for body text.

    ``known`` says whether the vocabulary knows a text: a short line Word numbers itself is a
    title only then (otherwise it is an item of a numbered list)."""
    raw = paragraph.text.strip()
    if not raw or is_placeholder(raw):
        return None
    line = _nfkc(raw)
    if _INITIATIVE.match(line) and len(line) <= MAX_TITLE_CHARS * 2:
        rest = _INITIATIVE.sub("", line).strip(" 　:：")
        return Title(LABEL_LEVEL, rest, raw, initiative=True)
    if paragraph.heading:
        return Title(min(paragraph.heading, 3), strip_numbering(raw), raw)
    if "\n" in raw:
        return None
    if _LABEL.match(line):
        return Title(LABEL_LEVEL, strip_numbering(raw), raw)
    short = len(line) <= MAX_TITLE_CHARS and not line.endswith(("。", "."))
    if not short:
        return None
    level = numbering_level(line)
    if level and strip_numbering(line) != line:
        return Title(level, strip_numbering(line), raw)
    if paragraph.bold:
        return Title(2, line, raw)
    if paragraph.numbered and known(line):
        return Title(min(paragraph.numbered, 3), line, raw)
    return None
