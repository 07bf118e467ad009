"""The draft 実施計画書 as a Word file: view model (``view``) and python-docx writer (``writer``).

``write_application_docx`` is the one call the CLI (``dxlab render``), the dialog's 出力 command
and ``dxlab export`` share: application + check report in, .docx out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from criteria.application import Application
from criteria.report import CheckReport
from renderers.docx.model import DocumentView
from renderers.docx.transition_diff import transition_diff
from renderers.docx.view import GapItem, TransitionChange, TransitionItem, build_document_view
from renderers.docx.writer import render_docx

__all__ = [
    "DocumentView",
    "GapItem",
    "TransitionChange",
    "TransitionItem",
    "build_document_view",
    "render_docx",
    "write_application_docx",
]


def write_application_docx(
    app: Application,
    report: CheckReport,
    out: Path | IO[bytes],
    *,
    applicant: str = "",
    today: dt.date,
    transition_gap: Sequence[GapItem] | None = None,
) -> None:
    """Build the view of ``app`` and write it to ``out``; raises ``OSError`` when it cannot write.

    ``transition_gap`` lists the changes from a 地方版IoT推進ラボ (shown only when
    ``app.transition_from_iot_lab``): objects with ``title`` and ``explanation``, ``(title,
    explanation)`` pairs or mappings with those keys. Given ``criteria.transition`` items (with
    both programmes' wording), the IoT→DX 差分 is appended as 別紙3 (``transition_diff``).
    """
    view = build_document_view(app, report, applicant=applicant, today=today, transition_gap=transition_gap)
    diff = transition_diff(app, report, transition_gap)  # 別紙3, transitions only
    if diff:
        view = replace(view, appendix=(*view.appendix, *diff))
    render_docx(view, out)
