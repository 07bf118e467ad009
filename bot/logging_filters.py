"""Secrets never reach a log or a traceback: known secret values are replaced before output.

Owns ``RedactSecrets``, a logging filter that rewrites a record's message, arguments, traceback
and stack text, and ``install``, which puts it on every handler of the root logger and wraps
``sys.excepthook`` / ``threading.excepthook`` (an uncaught exception, such as python-telegram-bot's
``InvalidToken`` which quotes the token, prints through them). The secrets are the values of the
settings in ``SECRET_SETTINGS`` at the time of ``install`` (after ``.env`` is read).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from types import TracebackType

SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
)
MASK = "[redacted]"
MIN_LENGTH = 6  # shorter values would redact ordinary words


def secret_values(env: Mapping[str, str] | None = None) -> list[str]:
    """The configured secrets, longest first (so a secret containing another is masked whole)."""
    env = os.environ if env is None else env
    values = {env.get(name, "").strip() for name in SECRET_SETTINGS}
    return sorted((v for v in values if len(v) >= MIN_LENGTH), key=len, reverse=True)


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record with ``[redacted]``; never drops a record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            text = record.getMessage()
        except Exception:  # a malformed record: let the handler report it as usual
            return True
        record.msg, record.args = self.redact(text), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str] | None = None) -> RedactSecrets:
    """Redact ``secrets`` (default: the configured ones) from the root logger's handlers and hooks."""
    redactor = RedactSecrets(secret_values() if secrets is None else secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(old)  # installed before with other settings: replaced
        handler.addFilter(redactor)
    if redactor.secrets:
        _wrap_excepthooks(redactor)
    return redactor


def _wrap_excepthooks(redactor: RedactSecrets) -> None:
    def excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redactor.redact("".join(traceback.format_exception(kind, value, tb))))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        sys.stderr.write(redactor.redact(f"Exception in thread {name}:\n{text}"))

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
