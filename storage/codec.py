"""How values are written into SQLite text columns: UTF-8 JSON, UTC timestamps.

A value is JSON text with characters as themselves (UTF-8 on disk: 3 bytes a Japanese character,
not the 6 of an ASCII escape — a 100,000-character answer is 300 KB in the draft and in the
history, not 600 KB each). A string SQLite cannot hold as UTF-8 — one with a lone surrogate, as
``surrogateescape`` makes from undecodable terminal bytes — falls back to JSON with ASCII escapes
for that value, so every Python string is still stored and read back verbatim. Both forms are
plain JSON, so ``load`` reads either, and rows written before migration 7 as well.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def dump(value: Any) -> str:
    """A value as compact JSON text: UTF-8 where it can be, ASCII escapes where it cannot."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if not text.isascii():
        try:
            text.encode("utf-8")  # faster than searching for surrogates (0.11 vs 0.21 ms at 300 KB)
        except UnicodeEncodeError:
            return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


def load(text: str | None) -> Any:
    """A value from ``dump`` (``None`` stays ``None``)."""
    return None if text is None else json.loads(text)


def reencode(text: str | None) -> str | None:
    """``text`` (from any earlier ``dump``) in today's form, or ``None`` if it already is."""
    if text is None or "\\u" not in text:
        return None
    fresh = dump(json.loads(text))
    return None if fresh == text else fresh
