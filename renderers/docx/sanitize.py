"""Makes user text safe for WordprocessingML while keeping it verbatim.

Owns the one boundary where text typed or pasted by people meets the XML of a ``.docx``: XML 1.0
cannot hold C0 control characters (other than tab, line feed and carriage return), lone UTF-16
surrogates or the non-characters U+FFFE/U+FFFF, and python-docx (lxml) raises on them. Everything
else — emoji, right-to-left scripts, markup-looking text such as ``<w:t>`` or ``{{ 7*7 }}`` — is
kept exactly as given. The original text stays untouched in storage; only the document is cleaned.
"""

from __future__ import annotations

import re

# Word writes a manual line break as \x0b (vertical tab) and a page/section break as \x0c when
# text is copied out of it: they mean "new line", so they become one instead of gluing words.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
_PAIR = re.compile(r"[\ud800-\udbff][\udc00-\udfff]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _join_pair(match: re.Match[str]) -> str:
    pair = match.group()
    return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))


def clean_text(text: str) -> str:
    """``text`` with XML-illegal characters removed and line breaks normalised to ``\\n``.

    Surrogate pairs that arrive as two code points (from UTF-16 sources) are joined into the
    character they encode; lone surrogates are dropped. Fast when there is nothing to clean.
    """
    if not _SUSPECT.search(text):
        return text
    text = _BREAKS.sub("\n", text)
    text = _PAIR.sub(_join_pair, text)
    return _ILLEGAL.sub("", text)


def clean_lines(text: str) -> tuple[str, ...]:
    """The cleaned lines of ``text``, leading and trailing blank lines removed; ``()`` for blank text."""
    cleaned = clean_text(text)
    if not cleaned.strip():
        return ()
    lines = cleaned.split("\n")
    while not lines[-1].strip():
        lines.pop()
    while not lines[0].strip():
        del lines[0]
    return tuple(lines)
