"""What Slack rejects, in one place: block counts and text lengths (Block Kit reference).

The fake Slack API in the tests enforces the same numbers, so a builder that exceeds one fails
a test exactly as it would fail in a workspace.
"""

from __future__ import annotations

import re

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
SECTION_TEXT = 3_000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BUTTON_VALUE = 2_000
ACTION_ID = 255
BLOCK_ID = 255
OPTION_TEXT = 75
OPTION_VALUE = 150
SELECT_OPTIONS = 100
RADIO_OPTIONS = 10
CHECKBOX_OPTIONS = 10
PLACEHOLDER = 150
INPUT_LABEL = 2_000
INPUT_HINT = 2_000
INPUT_VALUE = 3_000
VIEW_TITLE = 24
PRIVATE_METADATA = 3_000
FALLBACK_TEXT = 3_000
ELLIPSIS = "…"

_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")


def mrkdwn_escape(text: str) -> str:
    """Make user text inert in mrkdwn: ``<!channel>`` stays text, as Slack documents."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending with '…' when cut (never inside an entity)."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - len(ELLIPSIS), 0)]
    cut = _ENTITY_TAIL.sub("", cut)
    return cut + ELLIPSIS


def split_text(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """Split on line boundaries into pieces within ``limit``; an over-long line is shortened."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = shorten(line, limit)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            if current.strip():
                pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces
