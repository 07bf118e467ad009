"""Writing output files whole or not at all, with the reason in Japanese when it cannot be done.

Owns the one way dxlab writes a file the person asked for (an export, a rendered document): a
temporary file beside the target, then an atomic rename; an ``OSError`` becomes a ``UserError``.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from bot.errors import UserError
from renderers.messages import message

_REASONS = {
    errno.ENOENT: "docx.reason_no_folder",
    errno.ENOTDIR: "docx.reason_no_folder",
    errno.EISDIR: "docx.reason_is_folder",
    errno.EACCES: "docx.reason_permission",
    errno.EPERM: "docx.reason_permission",
    errno.ENOSPC: "docx.reason_no_space",
    errno.EROFS: "docx.reason_read_only",
}


def reason(exc: OSError) -> str:
    """Why a file operation failed, in Japanese where we know the cause."""
    key = _REASONS.get(exc.errno or 0)
    return message(key) if key else (exc.strerror or str(exc))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step, or raise ``UserError`` saying why it cannot."""
    write_atomically(path, lambda handle: handle.write(data))


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let ``write`` stream into a temporary file, then rename it to ``path`` (whole or nothing)."""
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(message("cli.cannot_write", path=str(path), reason=reason(exc))) from exc
