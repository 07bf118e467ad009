"""How values are written into SQLite text columns: JSON with ASCII escapes, UTC timestamps.

ASCII escapes let any Python string — lone surrogates included — be stored and read back
verbatim, which UTF-8 text columns could not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    """The current UTC time, ISO 8601 with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def dump(value: Any) -> str:
    """A value as compact JSON text with ASCII escapes."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def load(text: str | None) -> Any:
    """A value from ``dump`` (``None`` stays ``None``)."""
    return None if text is None else json.loads(text)
