"""Reading input files within a size limit, and writing output files whole or not at all.

Owns the one way dxlab reads a file a person hands it (an application JSON, a registry CSV, a
``.docx``): at most ``MAX_FILE_BYTES``, so a 110 MB file is refused before it is read, not kept
in every later turn; and the one way it writes a file the person asked for (an export, a
rendered document, a backup): a temporary file beside the target, then an atomic rename. An
``OSError`` becomes a ``UserError`` with the reason in Japanese.
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


MAX_FILE_BYTES = 5 * 1024 * 1024  # an application file or registry CSV is a few hundred kB at most


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return message("cli.size_megabytes", size=f"{size / (1024 * 1024):.0f}")
    return message("cli.size_bytes", size=f"{size:,}")


def read_input_file(
    path: Path,
    *,
    limit: int = MAX_FILE_BYTES,
    not_found: str = "cli.file_not_found",
    unreadable: str = "cli.file_unreadable",
) -> bytes:
    """The bytes of ``path``, or ``UserError`` when it is missing, unreadable or over ``limit``.

    Reads at most ``limit + 1`` bytes, so an oversized file (or a device that never ends) is
    refused without being read whole. ``not_found``/``unreadable`` name the messages to use.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError as exc:
        raise UserError(message(not_found, path=str(path))) from exc
    except OSError as exc:
        raise UserError(message(unreadable, path=str(path), reason=reason(exc))) from exc
    if len(data) > limit:
        raise UserError(message("cli.file_too_large", path=str(path), limit=_size_text(limit)))
    return data


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
