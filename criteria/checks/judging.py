"""Turning what an assessor found into an ``Assessment`` with the findings a reviewer would write.

Owns the shared wording rules of every sub-requirement: a met one quotes the sentence it relied on
(``requirement.met``) and, when that sentence stands outside the natural question, adds a hint that
the dedicated question is the natural place (``requirement.elsewhere``); thin and absent ones carry
the assessor's own findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from criteria.evidence import Passage, in_natural, prefer
from criteria.findings import finding
from criteria.report import Finding
from criteria.requirements import Assessment, field_label, requirement


def _own(slug: str, item: Finding) -> Finding:
    """The finding, marked with the viewpoint and sub-requirement it was found for."""
    return item.model_copy(update={"viewpoint": slug.split(".", 1)[0], "requirement": slug})


def met(slug: str, found: Sequence[Passage], *, notes: Iterable[Finding] = ()) -> Assessment:
    """The sub-requirement is met by ``found`` (natural fields preferred for the quote)."""
    spec = requirement(slug)
    ordered = prefer(list(found), spec.fields)
    evidence = tuple(p.evidence() for p in ordered[:2])
    items: list[Finding] = []
    if evidence:
        first = evidence[0]
        items.append(
            finding(
                "requirement.met",
                first.field,
                label=spec.label,
                quote="「" + first.quote + "」",
                where=field_label(first.field),
            )
        )
        if not in_natural(found, spec.fields):
            items.append(
                finding(
                    "requirement.elsewhere",
                    spec.fields[0],
                    label=spec.label,
                    where=field_label(first.field),
                    natural=field_label(spec.fields[0]),
                )
            )
    items.extend(notes)
    return Assessment(status="met", evidence=evidence, findings=tuple(_own(slug, f) for f in items))


def thin(
    slug: str, *problems: Finding, found: Sequence[Passage] = (), notes: Iterable[Finding] = ()
) -> Assessment:
    """Related text exists but is unclear or lacks what ``problems`` name."""
    spec = requirement(slug)
    evidence = tuple(p.evidence() for p in prefer(list(found), spec.fields)[:2])
    items = [*problems, *notes]
    return Assessment(status="thin", evidence=evidence, findings=tuple(_own(slug, f) for f in items))


def absent(slug: str, *problems: Finding, notes: Iterable[Finding] = ()) -> Assessment:
    """Nothing anywhere in the application meets the sub-requirement."""
    return Assessment(status="absent", findings=tuple(_own(slug, f) for f in [*problems, *notes]))


def not_applicable(slug: str, *notes: Finding) -> Assessment:
    """The application's shape does not call for the sub-requirement."""
    return Assessment(status="not_applicable", findings=tuple(_own(slug, f) for f in notes))
