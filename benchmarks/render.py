"""Benchmark: rendering the draft 実施計画書 of a full application, against bare python-docx.

Our side is the whole ``write_application_docx`` (view model, styles, page setup, tables, save);
the baseline writes the same headings, paragraphs and tables with python-docx's plain API
(``add_heading``, ``add_paragraph``, ``add_table`` + ``cell.text``) and no formatting. Both write to
memory. Goal: ours within 1.3x of the baseline and under 300 ms. ``python -m benchmarks.render``
prints the result as JSON (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

from criteria.application import Application
from criteria.checking import run_checks
from criteria.report import CheckReport
from renderers.docx import build_document_view, render_docx, write_application_docx
from renderers.docx.model import DocumentView, Heading, PageBreak, Paragraphs, TableView

_ROOT = Path(__file__).resolve().parents[1]
_FIXTURES = (
    _ROOT / "tests" / "fixtures" / "full_application.json",
    _ROOT / "tests" / "renderers" / "fixtures" / "full_application.json",
)
TODAY = dt.date(2026, 11, 28)
GOAL_RATIO = 1.3
GOAL_MS = 300.0


def _application() -> Application:
    for path in _FIXTURES:
        if path.exists():
            return Application.model_validate_json(path.read_text(encoding="utf-8"))
    raise FileNotFoundError("no full_application.json fixture")


def bare_python_docx(view: DocumentView) -> bytes:
    """The same text and tables as ``view``, written with python-docx's plain API."""
    document = docx.Document()
    document.add_paragraph(view.date)
    document.add_heading(view.title, 0)
    blocks = (view.info, *view.blocks())
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, block.level)
        elif isinstance(block, Paragraphs):
            for line in block.lines:
                document.add_paragraph(line.text)
        elif isinstance(block, TableView):
            table = document.add_table(rows=0, cols=len(block.columns))
            table.style = "Table Grid"
            if block.header:
                for cell, column in zip(table.add_row().cells, block.columns, strict=True):
                    cell.text = column.header
            for row in block.rows:
                for cell, lines in zip(table.add_row().cells, row, strict=True):
                    cell.text = "\n".join(line.text for line in lines)
            document.add_paragraph()
        elif isinstance(block, PageBreak):
            document.add_page_break()  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _ours(app: Application, report: CheckReport) -> bytes:
    out = io.BytesIO()
    write_application_docx(app, report, out, applicant="北浜市長", today=TODAY)
    return out.getvalue()


def _median_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # warm caches (templates, YAML, imports)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def run(quick: bool) -> dict[str, Any]:
    """Median times in ms of our render and the bare baseline, their ratio and the goals."""
    rounds = 5 if quick else 30
    app = _application()
    report = run_checks(app)
    view = build_document_view(app, report, applicant="北浜市長", today=TODAY)
    ours = _median_ms(lambda: _ours(app, report), rounds)
    writer_only = _median_ms(lambda: render_docx(view, io.BytesIO()), rounds)
    view_only = _median_ms(
        lambda: build_document_view(app, report, applicant="北浜市長", today=TODAY), rounds
    )
    bare = _median_ms(lambda: bare_python_docx(view), rounds)
    ratio = ours / bare
    return {
        "benchmark": "render_docx",
        "rounds": rounds,
        "paragraphs_and_rows": _size(view),
        "ours_ms": round(ours, 2),
        "ours_view_ms": round(view_only, 2),
        "ours_writer_ms": round(writer_only, 2),
        "bare_python_docx_ms": round(bare, 2),
        "ratio": round(ratio, 3),
        "goal_ratio": GOAL_RATIO,
        "goal_ms": GOAL_MS,
        "meets_goal": ratio <= GOAL_RATIO and ours <= GOAL_MS,
    }


def _size(view: DocumentView) -> int:
    count = 0
    for block in (view.info, *view.blocks()):
        if isinstance(block, Paragraphs):
            count += len(block.lines)
        elif isinstance(block, TableView):
            count += len(block.rows) + 1
        elif isinstance(block, Heading):
            count += 1
    return count


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv[1:]), ensure_ascii=False, indent=2))
