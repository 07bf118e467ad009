"""Reading small whole numbers from text without handing ``int()`` an unbounded digit run.

Owns the one rule every typed or received number goes through before ``int()``/``float()``: at
most ``MAX_DIGITS`` decimal digits (Python refuses more than 4,300 with a ``ValueError``, and long
runs cost quadratic time). Choice numbers, 「修正 3」, record numbers, CLI options, CSV cells and
chat payload numbers all use it.
"""

from __future__ import annotations

MAX_DIGITS = 18  # any count, index or day number a person types; below the int64 range
MAX_NUMBER_CHARS = 40  # a decimal number as text (digits, sign, point, exponent) before float()


def bounded_int(text: str, *, max_digits: int = MAX_DIGITS) -> int | None:
    """The non-negative integer ``text`` spells in decimal digits (spaces around allowed), else ``None``.

    ``None`` for an empty text, a sign, a point, more than ``max_digits`` digits, or characters
    that ``str.isdigit`` accepts but ``int`` does not (superscripts, U+19DA).
    """
    token = text.strip()
    if not token or len(token) > max_digits or not token.isdecimal():
        return None
    return int(token)


def short_enough_for_float(text: str) -> bool:
    """Whether ``text`` is short enough to hand to ``float()`` (longer is never a typed number)."""
    return len(text) <= MAX_NUMBER_CHARS
