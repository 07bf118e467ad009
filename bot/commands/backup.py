"""``dxlab backup OUT.db`` and ``dxlab restore BACKUP.db``: SQLite's online backup API.

A backup is consistent even while the assistant keeps writing (the backup API copies pages under
SQLite's own locking). Restoring copies a backup over the live database the same way, after
checking that the backup is a dxlab database in good order; the replaced database is first
saved beside itself as ``<name>.before-restore-<time>.db``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from bot.errors import UserError
from bot.settings import db_path
from bot.wiring import add_db_option, open_db
from renderers.messages import message


def add_parser(subparsers: Any) -> None:
    backup: argparse.ArgumentParser = subparsers.add_parser(
        "backup", help=message("cli.help_backup"), description=message("cli.help_backup")
    )
    backup.add_argument("output", metavar="OUT.db")
    add_db_option(backup)
    backup.set_defaults(handler=run_backup)
    restore: argparse.ArgumentParser = subparsers.add_parser(
        "restore", help=message("cli.help_restore"), description=message("cli.help_restore")
    )
    restore.add_argument("backup", metavar="BACKUP.db")
    add_db_option(restore)
    restore.set_defaults(handler=run_restore)


def copy_database(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` page by page with the online backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()


def _check(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(message("cli.backup_invalid", path=str(path), detail=str(exc))) from exc
    if ok != "ok" or not {"labs", "drafts", "answers"} <= tables:
        raise UserError(message("cli.backup_invalid", path=str(path), detail=str(ok)))


def run_backup(args: argparse.Namespace) -> int:
    store = open_db(args.db)  # migrates and proves the source is usable
    store.close()
    out = Path(args.output)
    if out.exists():
        raise UserError(message("cli.backup_exists", path=str(out)))
    try:
        copy_database(db_path(args.db), out)
    except (sqlite3.Error, OSError) as exc:
        raise UserError(message("cli.cannot_write", path=str(out), reason=str(exc))) from exc
    _check(out)
    print(message("cli.backup_done", path=str(out)))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    source = Path(args.backup)
    if not source.exists():
        raise UserError(message("cli.file_not_found", path=str(source)))
    _check(source)
    target = db_path(args.db)
    saved = None
    if target.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        saved = target.with_name(f"{target.stem}.before-restore-{stamp}.db")
        copy_database(target, saved)
    try:
        copy_database(source, target)
    except (sqlite3.Error, OSError) as exc:
        raise UserError(message("cli.cannot_write", path=str(target), reason=str(exc))) from exc
    store = open_db(str(target))  # migrates an older backup to the current schema
    store.close()
    print(message("cli.restore_done", path=str(target), saved=str(saved) if saved else ""))
    return 0
