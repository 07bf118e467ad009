"""Errors the command line turns into a clear Japanese message and exit status 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the person at the keyboard: shown as is, no traceback, exit 2.

    The message must already be the Japanese sentence to show (from the message catalogue).
    """

    def __init__(self, message: str, *, status: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
