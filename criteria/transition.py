"""The gap between the 地方版IoT推進ラボ and the 地域DX推進ラボ (``transition.yaml``).

Owns the list of what the DX lab asks that the IoT lab did not — the new 方向性 and 変革
viewpoints, well-being alongside economic development, company support (②) as a target, the data
linkage platform under その他 — plus the procedure (same documents, an interview, a transition
period), each citing the seed, and which viewpoints each item marks.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import field_validator

from criteria.data import DataModel, load
from criteria.findings import CATALOGUE
from criteria.report import VIEWPOINT_SLUGS, CheckReport
from criteria.seed import SeedQuotes, require_quoted


class GapItemSpec(DataModel):
    """One entry of ``transition.yaml``."""

    id: str
    title: str
    detail: str
    iot: tuple[str, ...]
    dx: tuple[str, ...]
    viewpoints: tuple[str, ...]
    codes: tuple[str, ...] = ()
    seed: SeedQuotes

    @field_validator("codes")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in CATALOGUE]
        if unknown:
            raise ValueError(f"unknown finding codes {unknown}")
        return value

    @field_validator("iot", "dx")
    @classmethod
    def _verbatim(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        require_quoted(value, "quote")
        return value

    @field_validator("viewpoints")
    @classmethod
    def _slugs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [slug for slug in value if slug not in VIEWPOINT_SLUGS]
        if unknown:
            raise ValueError(f"unknown viewpoint slugs {unknown}")
        return value


class TransitionFile(DataModel):
    """``transition.yaml``."""

    items: tuple[GapItemSpec, ...]

    @field_validator("items")
    @classmethod
    def _unique(cls, value: tuple[GapItemSpec, ...]) -> tuple[GapItemSpec, ...]:
        ids = [item.id for item in value]
        if len(ids) != len(set(ids)):
            raise ValueError("item ids must be unique")
        return value


@dataclass(frozen=True, kw_only=True)
class GapItem:
    """Something the DX lab asks that the IoT lab did not, and the viewpoints it marks."""

    id: str
    title: str
    detail: str
    iot: tuple[str, ...]
    dx: tuple[str, ...]
    viewpoints: tuple[str, ...]
    codes: tuple[str, ...]
    seed: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The detail, under the name the document renderer reads."""
        return self.detail


GAP: tuple[GapItem, ...] = tuple(
    GapItem(
        id=item.id,
        title=item.title,
        detail=item.detail,
        iot=item.iot,
        dx=item.dx,
        viewpoints=item.viewpoints,
        codes=item.codes,
        seed=item.seed,
    )
    for item in load("transition.yaml", TransitionFile).items
)


def is_open(item: GapItem, report: CheckReport) -> bool:
    """Whether a report shows the item still needs work.

    With ``codes``: one of those findings is present. Otherwise: one of the viewpoints it marks
    does not meet. Items about procedure (no viewpoint) are always open: they are reminders.
    """
    if item.codes:
        found = {f.code for f in report.all_findings()}
        return any(code in found for code in item.codes)
    if not item.viewpoints:
        return True
    return any(
        report.viewpoints[slug].verdict != "meets" for slug in item.viewpoints if slug in report.viewpoints
    )


def transition_gap(report: CheckReport | None = None) -> list[GapItem]:
    """The gap items in order; with a report, only those still open (see ``is_open``)."""
    if report is None:
        return list(GAP)
    return [item for item in GAP if is_open(item, report)]


def gap_items() -> tuple[tuple[str, str], ...]:
    """Every gap item as ``(title, explanation)``, in order (what the dialog and the document show)."""
    return tuple((item.title, item.detail) for item in GAP)


def marked_viewpoints() -> frozenset[str]:
    """The slugs of the viewpoints some gap item marks (new or changed for a transitioning lab)."""
    return frozenset(slug for item in GAP for slug in item.viewpoints)


def items_by_viewpoint() -> dict[str, list[str]]:
    """Viewpoint slug → ids of the gap items that mark it (every slug present, possibly empty)."""
    marks: dict[str, list[str]] = {slug: [] for slug in VIEWPOINT_SLUGS}
    for item in GAP:
        for slug in item.viewpoints:
            marks[slug].append(item.id)
    return marks
