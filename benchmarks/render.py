"""Benchmark: rendering the draft 実施計画書 of a full application, against bare python-docx.

Our side is the whole ``write_application_docx`` (view model, styles, page setup, tables, save);
the baseline writes the same headings, paragraphs and tables with python-docx's plain API
(``add_paragraph`` with its style, ``add_table`` + ``cell.text``) and no formatting, looking each
style up once as ours does. Both write to memory; rounds alternate between them. Goal: ours
within 1.3x of the baseline and under 300 ms. ``python -m benchmarks.render`` prints the result as
JSON (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx

from benchmarks.stats import interleaved, summary
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


def bare_python_docx(view: DocumentView, *, styles_by_name: bool = False) -> bytes:
    """The same text and tables as ``view``, written with python-docx's plain API.

    The fair peer (default) resolves each style's id once and sets it on the element, as
    python-docx's own ``style`` setters do after their look-up — which searches the whole style
    part on every call (a style object is still compared with the default style by a search).
    ``styles_by_name`` passes style names to every call instead: the flattering peer of earlier
    runs, where those searches were 35 % of the peer's time, kept for comparison."""
    document = docx.Document()
    styles = document.styles
    level_ids = {level: styles["Title" if level == 0 else f"Heading {level}"].style_id for level in range(10)}
    grid_id = styles["Table Grid"].style_id

    def heading(text: str, level: int) -> None:
        if styles_by_name:
            document.add_heading(text, level)
        else:
            document.add_paragraph(text)._p.style = level_ids[level]

    document.add_paragraph(view.date)
    heading(view.title, 0)
    blocks = (view.info, *view.blocks())
    for block in blocks:
        if isinstance(block, Heading):
            heading(block.text, block.level)
        elif isinstance(block, Paragraphs):
            for line in block.lines:
                document.add_paragraph(line.text)
        elif isinstance(block, TableView):
            table = document.add_table(rows=0, cols=len(block.columns))
            if styles_by_name:
                table.style = "Table Grid"
            else:
                table._tbl.tblStyle_val = grid_id
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


def _samples_ms(action: Callable[[], object], rounds: int) -> list[float]:
    action()  # warm caches (templates, YAML, imports)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(quick: bool) -> dict[str, Any]:
    """Median times in ms (with spread) of our render and the peers, their ratios and the goals."""
    rounds = 5 if quick else 30
    app = _application()
    report = run_checks(app)
    view = build_document_view(app, report, applicant="北浜市長", today=TODAY)
    times = interleaved(
        {
            "ours": lambda: _samples_ms(lambda: _ours(app, report), 1)[0],
            "fair_peer": lambda: _samples_ms(lambda: bare_python_docx(view), 1)[0],
            "peer_styles_by_name": lambda: _samples_ms(
                lambda: bare_python_docx(view, styles_by_name=True), 1
            )[0],
            "ours_writer_only": lambda: _samples_ms(lambda: render_docx(view, io.BytesIO()), 1)[0],
            "ours_view_only": lambda: _samples_ms(
                lambda: build_document_view(app, report, applicant="北浜市長", today=TODAY), 1
            )[0],
        },
        rounds,
    )
    stats = {name: summary(values, digits=2) for name, values in times.items()}
    ours, fair = stats["ours"]["median"], stats["fair_peer"]["median"]
    ratio = ours / fair
    return {
        "benchmark": "render_docx",
        "rounds": rounds,
        "paragraphs_and_rows": _size(view),
        "ms": stats,
        "ratio_vs_fair_peer": round(ratio, 3),
        "ratio_vs_peer_styles_by_name": round(ours / stats["peer_styles_by_name"]["median"], 3),
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
