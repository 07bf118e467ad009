"""``dxlab render FILE.json -o OUT.docx``: the draft 実施計画書 from an application file.

Owns the command line of the Word output: load and validate the file, run the checks (for the
self-check and interview appendices), list the changes from a 地方版IoT推進ラボ when the lab
transitions, write the .docx through ``renderers.docx`` and say where.
The file is written whole or not at all (a temporary file beside it, then renamed), and any
failure to write becomes a clear Japanese ``UserError`` (exit 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from bot.appfile import load_application
from bot.errors import UserError
from criteria.checking import run_checks
from criteria.transition import transition_gap
from renderers.docx import write_application_docx
from renderers.messages import message


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``render`` on the ``dxlab`` parser."""
    help_text = message("docx.help_render")
    parser: argparse.ArgumentParser = subparsers.add_parser("render", help=help_text, description=help_text)
    parser.add_argument("file", type=Path, metavar="FILE.json", help=message("docx.help_file"))
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.docx", help=message("docx.help_output")
    )
    parser.add_argument("--applicant", default="", metavar="NAME", help=message("docx.help_applicant"))
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=message("cli.help_db"))
    parser.set_defaults(handler=run)
    return parser


_REASONS = {
    errno.ENOENT: "docx.reason_no_folder",
    errno.ENOTDIR: "docx.reason_no_folder",
    errno.EISDIR: "docx.reason_is_folder",
    errno.EACCES: "docx.reason_permission",
    errno.EPERM: "docx.reason_permission",
    errno.ENOSPC: "docx.reason_no_space",
    errno.EROFS: "docx.reason_read_only",
}


def _reason(exc: OSError) -> str:
    key = _REASONS.get(exc.errno or 0)
    return message(key) if key else (exc.strerror or str(exc))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one step, or raise ``UserError`` saying why it cannot."""
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(message("cli.cannot_write", path=str(path), reason=_reason(exc))) from exc


def run(args: argparse.Namespace) -> int:
    """Render ``args.file`` to ``args.output``; returns the exit status."""
    app = load_application(args.file)
    report = run_checks(app)
    buffer = io.BytesIO()
    gap = transition_gap() if app.transition_from_iot_lab else None
    write_application_docx(
        app, report, buffer, applicant=args.applicant, today=dt.date.today(), transition_gap=gap
    )
    write_bytes_atomically(args.output, buffer.getvalue())
    print(message("docx.written", path=str(args.output)))
    return 0
