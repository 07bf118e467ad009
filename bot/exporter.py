"""Writing a lab's draft to a file: the application JSON or the draft 実施計画書 (.docx).

Owns file naming and the choice of writer; used by the dialog's 出力 command on every channel
and by ``dxlab export``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from bot.appfile import write_application
from bot.errors import UserError
from criteria.application import Application
from criteria.checking import run_checks
from renderers.messages import message

Format = Literal["docx", "json"]
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\ud800-\udfff]+')


def file_stem(app: Application, lab_name: str) -> str:
    """A safe, readable file name stem: the lab's name, then 実施計画書案."""
    name = _UNSAFE_NAME.sub("_", app.lab_name or lab_name).strip(" ._") or "dxlab"
    return f"{name[:60]}_実施計画書案"


def write_export(
    app: Application,
    out: Path,
    fmt: Format,
    *,
    applicant: str = "",
    today: dt.date | None = None,
) -> Path:
    """Write ``app`` to ``out`` as ``fmt``; raises ``UserError`` when the file cannot be written."""
    if fmt == "json":
        write_application(app, out)
        return out
    from renderers.docx import write_application_docx

    report = run_checks(app)
    gap = _transition_gap() if app.transition_from_iot_lab else None
    try:
        write_application_docx(
            app,
            report,
            out,
            applicant=applicant or app.secretariat,
            today=today or dt.date.today(),
            transition_gap=gap,
        )
    except OSError as exc:
        raise UserError(message("cli.cannot_write", path=str(out), reason=exc.strerror or str(exc))) from exc
    return out


def _transition_gap() -> list[tuple[str, str]] | None:
    try:
        from criteria.transition import gap_items
    except ImportError:
        return None
    return list(gap_items())


def export_to_dir(app: Application, lab_name: str, fmt: Format, directory: Path) -> Path:
    """Write into ``directory`` under a name made from the lab's name."""
    out = directory / f"{file_stem(app, lab_name)}.{fmt}"
    return write_export(app, out, fmt)
