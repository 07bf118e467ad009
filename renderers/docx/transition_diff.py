"""別紙3 of a transitioning lab's plan: what changes from the 地方版IoT推進ラボ to the 地域DX推進ラボ.

Owns one appendix, shown only when the application is a transition and the gap items carry both
programmes' wording (``criteria.transition.GapItem``): one row per item with what the IoT lab
asked, what the DX lab asks, and whether this plan already answers it (記載あり) or still needs an
addition (要追記), judged from the check report like the import and the scorecard do.
"""

from __future__ import annotations

from collections.abc import Sequence

from criteria.application import Application
from criteria.report import CheckReport
from criteria.transition import GapItem, is_open
from renderers.docx.blocks import Sections, column, fixed, table, wording
from renderers.docx.model import Block, Cell, Heading, PageBreak, Text
from renderers.docx.sanitize import clean_text


def _quotes(lines: Sequence[str], empty_key: str) -> Cell:
    texts = tuple(Text(wording("diff_quote", title=clean_text(line))) for line in lines if line.strip())
    return texts or (Text(wording(empty_key)),)


def transition_diff(app: Application, report: CheckReport, gap: Sequence[object] | None) -> list[Block]:
    """The 差分 appendix (starting on a new page), or nothing for a new application."""
    items = [item for item in gap or () if isinstance(item, GapItem) and item.viewpoints]
    if not app.transition_from_iot_lab or not items:
        return []
    out = Sections()
    out.add(PageBreak())
    out.add(Heading(1, wording("appendix_transition")))
    out.note(wording("transition_diff_intro"))
    rows: list[tuple[Cell, ...]] = []
    for item in items:
        optional = set(item.viewpoints) <= {"other"}  # その他 is a bonus, never required
        still_open = is_open(item, report)
        if not still_open:
            status = wording("diff_status_done")
        else:
            status = wording("diff_status_optional" if optional else "diff_status_open")
        rows.append(
            (
                fixed(clean_text(item.title)),
                _quotes(item.iot, "diff_iot_none"),
                _quotes(item.dx, "diff_dx_none"),
                (Text(status), Text(clean_text(item.detail))) if still_open else fixed(status),
            )
        )
    out.add(
        table(
            (
                column("col_diff_item", 34, "left"),
                column("col_diff_iot", 40, "left"),
                column("col_diff_dx", 46, "left"),
                column("col_diff_status", 40, "left"),
            ),
            rows,
        )
    )
    return out.blocks

