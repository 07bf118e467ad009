"""Writing a lab's draft to a file: the application JSON or the draft 実施計画書 (.docx).

Owns file naming and the choice of writer; used by the dialog's 出力 command on every channel
and by ``dxlab export``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Literal

from bot.appfile import application_json
from bot.errors import UserError
from bot.files import write_bytes_atomically
from criteria.application import Application
from criteria.checking import run_checks
from criteria.transition import transition_gap
from renderers.messages import message

Format = Literal["docx", "json"]
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\ud800-\udfff]+')
_SPACES = re.compile(r"\s+")
MAX_SAME_NAME = 999  # 「…_2」 … 「…_999」, then the export is refused rather than overwriting


def file_stem(app: Application, lab_name: str) -> str:
    """A safe, readable file name stem: the lab's name, then 実施計画書案."""
    name = _UNSAFE_NAME.sub("_", app.lab_name or lab_name).strip(" ._") or "dxlab"
    return message("cli.export_stem", name=name[:60])


def render_bytes(
    app: Application, fmt: Format, *, applicant: str = "", today: dt.date | None = None
) -> bytes:
    """The file's content: the application JSON, or the .docx with the self-check appendices."""
    if fmt == "json":
        return application_json(app).encode("utf-8")
    from renderers.docx import write_application_docx  # python-docx loads only when a file is made

    report = run_checks(app)
    gap = transition_gap() if app.transition_from_iot_lab else None
    buffer = io.BytesIO()
    write_application_docx(
        app,
        report,
        buffer,
        applicant=applicant or app.secretariat,
        today=today or dt.date.today(),
        transition_gap=gap,
    )
    return buffer.getvalue()


def write_export(
    app: Application,
    out: Path,
    fmt: Format,
    *,
    applicant: str = "",
    today: dt.date | None = None,
) -> Path:
    """Write ``app`` to ``out`` as ``fmt``, whole or not at all; ``UserError`` if it cannot."""
    write_bytes_atomically(out, render_bytes(app, fmt, applicant=applicant, today=today))
    return out


def export_to_dir(app: Application, lab_name: str, fmt: Format, directory: Path) -> Path:
    """Write into ``directory`` under a name made from the lab's name."""
    out = directory / f"{file_stem(app, lab_name)}.{fmt}"
    return write_export(app, out, fmt)


def dated_name(app: Application, lab_name: str, fmt: Format, today: dt.date) -> str:
    """The file name a person's export gets: 「ラボ名_実施計画書案_2026-12-01.docx」, no spaces."""
    stem = _SPACES.sub("_", file_stem(app, lab_name)).strip("_")
    return f"{stem}_{today.isoformat()}.{fmt}"


def free_path(directory: Path, name: str) -> Path:
    """``directory / name``, or the first of 「…_2」, 「…_3」 … that does not exist yet: an earlier
    export is never overwritten. ``UserError`` when every one is taken."""
    first = directory / name
    if not first.exists():
        return first
    stem, suffix = first.stem, first.suffix
    for number in range(2, MAX_SAME_NAME + 1):
        candidate = directory / f"{stem}_{number}{suffix}"
        if not candidate.exists():
            return candidate
    raise UserError(message("cli.export_all_names_taken", path=str(first)))


def export_new_file(
    app: Application, lab_name: str, fmt: Format, directory: Path, *, today: dt.date | None = None
) -> Path:
    """Write into ``directory`` under the lab's dated name, beside (never over) earlier exports."""
    day = today or dt.date.today()
    return write_export(app, free_path(directory, dated_name(app, lab_name, fmt, day)), fmt, today=day)
