"""One ``dxlab serve <channel>`` per database: a lock file next to the database.

Owns the guard against a second server on the same database and token (it would answer every
command twice, and Telegram refuses two pollers with 409 Conflict): ``<db>.serve-<channel>.lock``
held with ``flock`` for the life of the process. The operating system releases it when the
process ends, however it ends (a SIGKILL leaves no stale lock behind). The file holds the pid.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import UserError
from renderers.messages import message


def lock_path(db: Path, channel: str) -> Path:
    """Where the lock of ``dxlab serve channel`` on ``db`` lives."""
    return db.with_name(f"{db.name}.serve-{channel}.lock")


@contextmanager
def serve_lock(db: Path, channel: str) -> Iterator[Path]:
    """Hold the lock while the server runs; ``UserError`` (exit 2) when another process holds it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (documented)
        yield lock_path(db, channel)
        return
    path = lock_path(db, channel)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise UserError(
                message("cli.serve_already_running", channel=channel, db=str(db), pid=holder, lock=str(path))
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
