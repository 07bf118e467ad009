"""The composition root: builds the store, the engine and the service from the settings.

Owns the one place where concrete classes are chosen, and the translation of storage failures
into clear Japanese ``UserError``s for the command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import UserError
from bot.service import DialogService
from bot.settings import db_path
from criteria import transition
from criteria.checking import run_checks
from dialogs.engine import Engine
from renderers.messages import message
from storage import StorageError, open_store
from storage.sqlite import SQLiteStore


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help=message("cli.help_db"))


def open_db(explicit: str | None) -> SQLiteStore:
    """Open the database, or raise ``UserError`` saying why it cannot be used."""
    path: Path = db_path(explicit)
    try:
        return open_store(path)
    except StorageError as exc:
        raise UserError(storage_message(exc)) from exc


_STORAGE_MESSAGES = {
    "corrupt": "cli.db_corrupt",
    "locked": "cli.db_locked",
    "full": "cli.db_full",
    "newer": "cli.db_newer",
}


def storage_message(exc: StorageError) -> str:
    """The Japanese sentence for a database that cannot be used (``exc.kind`` says why)."""
    key = _STORAGE_MESSAGES.get(exc.kind, "cli.db_unwritable")
    found, _, supported = exc.detail.partition("/")
    return message(key, path=exc.path, detail=exc.detail, found=found, supported=supported)


def build_engine() -> Engine:
    """The engine with the shipped flow, the checks and the transition gap."""
    return Engine(
        checker=run_checks,
        transition_gap=transition.gap_items,
        transition_viewpoints=transition.marked_viewpoints,
    )


def build_service(explicit_db: str | None) -> DialogService:
    return DialogService(store=open_db(explicit_db), engine=build_engine())
