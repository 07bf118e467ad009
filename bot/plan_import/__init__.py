"""Reading an existing 実施計画書 (Word .docx) into a draft.

Most applicants start from a plan they already have: an IoT-era plan of a 地方版IoT推進ラボ, or a
draft passed around the office in Word, or a file dxlab wrote and a person edited. This package
turns such a file into draft answers (``dxlab.application/1`` field paths) without ever trusting
it: ``limits`` refuses what is not a safe .docx before python-docx opens it, ``docx_reader``
reads headings, numbered titles and tables into neutral blocks, ``mapping`` places them on
Application fields using the vocabulary in ``vocabulary.yaml`` and keeps whatever it cannot place
as 「取り込めなかった記述」, ``transition`` marks what a former IoT lab must add, and ``merge``
compares the result with an existing draft so nothing is overwritten silently.

``read_plan(data, name=...)`` is the one entry point the CLI and the chat adapters share.
"""

from __future__ import annotations

from bot.plan_import.errors import PlanError
from bot.plan_import.limits import MAX_INPUT_BYTES
from bot.plan_import.result import PlanImport, Unplaced

__all__ = ["MAX_INPUT_BYTES", "PlanError", "PlanImport", "Unplaced", "read_plan"]


def read_plan(data: bytes, *, name: str) -> PlanImport:
    """Read a .docx 実施計画書 (``data``, the file's bytes; ``name`` for messages).

    Raises ``PlanError`` (a ``UserError`` with the Japanese reason) for anything that is not a
    readable .docx with at least one recognisable section; nothing is changed in that case.
    """
    from bot.plan_import.docx_reader import read_blocks
    from bot.plan_import.limits import check_package
    from bot.plan_import.mapping import map_blocks

    check_package(data, name=name)
    blocks = read_blocks(data, name=name)
    return map_blocks(blocks, name=name)
