"""``dxlab backup OUT.db`` and ``dxlab restore BACKUP.db``: SQLite's online backup API.

A backup is consistent even while the assistant keeps writing (the backup API copies pages under
SQLite's own locking); it is written to a temporary name and renamed when complete, so a killed
backup leaves no half file under the name asked for. Restoring checks the backup (integrity,
not from a newer dxlab), prepares and migrates a copy beside the live database, saves the live
database as ``<name>.before-restore-<time>.db``, and only then copies the prepared file in — a
failure at any step leaves the live database usable and as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from bot.errors import UserError
from bot.files import reason
from bot.settings import db_path
from bot.wiring import add_db_option, open_db
from renderers.messages import message
from storage.schema import SCHEMA_VERSION


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
    """Copy ``source`` into ``target`` page by page with the online backup API.

    SQLite writes the whole copy into ``target`` as one transaction: if it fails part-way
    (a full disk), ``target`` is left as it was.
    """
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=256)
        finally:
            dst.close()
    finally:
        src.close()


def _check(path: Path, *, role: str = "backup") -> None:
    """Refuse a file that is not a dxlab database in good order, or one from a newer dxlab."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(message("cli.backup_invalid", path=str(path), detail=str(exc))) from exc
    if version > SCHEMA_VERSION:
        raise UserError(message(f"cli.{role}_newer", path=str(path), found=version, supported=SCHEMA_VERSION))
    if ok != "ok" or not {"labs", "drafts", "answers"} <= tables:
        raise UserError(message("cli.backup_invalid", path=str(path), detail=str(ok)))


def _temporary(beside: Path, purpose: str) -> Path:
    """A fresh temporary name in the folder of ``beside`` (a killed run leaves it, never ``beside``)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{beside.name}.{purpose}-", suffix=".tmp", dir=beside.parent)
    except OSError as exc:
        raise UserError(message("cli.cannot_write", path=str(beside), reason=reason(exc))) from exc
    os.close(fd)
    return Path(name)


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)


def run_backup(args: argparse.Namespace) -> int:
    """Copy the database to ``args.output``: into a temporary file first, renamed when complete."""
    store = open_db(args.db)  # migrates and proves the source is usable
    store.close()
    out = Path(args.output)
    if out.exists():
        raise UserError(message("cli.backup_exists", path=str(out)))
    temp = _temporary(out, "backup")
    try:
        try:
            copy_database(db_path(args.db), temp)
        except (sqlite3.Error, OSError) as exc:
            raise UserError(message("cli.cannot_write", path=str(out), reason=_why(exc))) from exc
        _check(temp)
        try:
            os.replace(temp, out)
        except OSError as exc:
            raise UserError(message("cli.cannot_write", path=str(out), reason=reason(exc))) from exc
    finally:
        _remove(temp)
    print(message("cli.backup_done", path=str(out)))
    return 0


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return reason(exc)
    text = str(exc)
    return message("docx.reason_no_space") if "full" in text else text


def run_restore(args: argparse.Namespace) -> int:
    """Replace the live database with a backup, checked and migrated before the live file is touched.

    1. The backup is checked (a dxlab database, not from a newer dxlab, integrity ``ok``).
    2. It is copied beside the live file and migrated there; the copy is checked again.
    3. The live database is saved as ``<name>.before-restore-<time>.db``.
    4. The prepared copy is written into the live file in one transaction (the backup API), so
       a failure leaves the live database as it was.
    """
    source = Path(args.backup)
    if not source.exists():
        raise UserError(message("cli.file_not_found", path=str(source)))
    _check(source, role="restore")
    target = db_path(args.db)
    staging = _temporary(target, "restore")
    saved: Path | None = None
    try:
        try:
            copy_database(source, staging)
        except (sqlite3.Error, OSError) as exc:
            raise UserError(
                message("cli.restore_failed", path=str(target), reason=_why(exc), saved="")
            ) from exc
        open_db(str(staging)).close()  # migrates an older backup to the current schema
        _check(staging, role="restore")
        if target.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            saved = target.with_name(f"{target.stem}.before-restore-{stamp}.db")
            try:
                copy_database(target, saved)
            except (sqlite3.Error, OSError) as exc:
                _remove(saved)
                raise UserError(
                    message("cli.restore_failed", path=str(target), reason=_why(exc), saved="")
                ) from exc
        try:
            copy_database(staging, target)
        except (sqlite3.Error, OSError) as exc:
            raise UserError(
                message("cli.restore_failed", path=str(target), reason=_why(exc), saved=str(saved or ""))
            ) from exc
    finally:
        _remove(staging)
    store = open_db(str(target))  # proves the restored file opens
    store.close()
    print(message("cli.restore_done", path=str(target), saved=str(saved) if saved else ""))
    return 0
