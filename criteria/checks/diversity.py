"""多様性と一体感: many diverse organisations of the region take part.

Seed: 「地域の特徴ある多くの多様な機関（地域の公的機関、大学・各種学校、研究機関、企業・事業者、事業者
団体、投資家、ベンチャーファンド、金融機関、市民団体等）が連携または参加している取組であること。」.
Organisations count from the members table (their category, or their name) and from the prose
(実施体制, key persons' organisations, initiatives). Three or more kinds with public and private
both present meet; 産・学・官・金 gaps for ① are a hint.
"""

from __future__ import annotations

from collections.abc import Iterable

from criteria.application import MemberCategory
from criteria.checks.context import Context, has_content
from criteria.checks.judging import absent, met, thin
from criteria.checks.registry import register
from criteria.evidence import Passage
from criteria.findings import finding, quote, quote_all
from criteria.requirements import Assessment
from criteria.vocab import sectors

_SECTORS = sectors()
_PUBLIC = frozenset(
    {MemberCategory.MUNICIPALITY, MemberCategory.PUBLIC_BODY, MemberCategory.SCHOOL, MemberCategory.RESEARCH}
)


def _present(ctx: Context) -> list[MemberCategory]:
    """The kinds of organisation taking part, in the official order."""
    return [category for category in MemberCategory if category in ctx.kinds]


@register("diversity.variety", viewpoint="diversity")
def variety(ctx: Context) -> Assessment:
    """Three or more kinds of organisation, public and private both (two kinds, or public only: thin)."""
    notes = [
        finding("member.no_category", f"members[{i}]", name=quote(member.name))
        for i, member in enumerate(ctx.app.members)
        if has_content(member) and member.category is None
    ]
    present = _present(ctx)
    if ctx.has_project and len(present) >= 2:
        gaps = [name for name, members in _SECTORS.items() if not set(present).intersection(members)]
        if gaps:
            notes.append(finding("members.sector_gap", sectors=quote_all(gaps)))
    evidence = _distinct(ctx.kinds[c] for c in present)
    labels = quote_all(c.label for c in present)
    if len(present) >= 3 and set(present) - _PUBLIC and set(present) & _PUBLIC:
        return met("diversity.variety", evidence, notes=[finding("members.kinds", categories=labels), *notes])
    if len(present) >= 2:
        code = "members.few_categories" if len(present) == 2 else "members.public_only"
        return thin("diversity.variety", finding(code, categories=labels), found=evidence, notes=notes)
    if present:
        return absent(
            "diversity.variety", finding("members.single_category", category=present[0].label), notes=notes
        )
    return absent("diversity.variety", finding("members.missing"), notes=notes)


def _distinct(found: Iterable[Passage | None]) -> list[Passage]:
    """The passages that named each kind, each once, members table first."""
    out: list[Passage] = []
    for passage in found:
        if passage is not None and passage not in out:
            out.append(passage)
    return sorted(out, key=lambda p: 0 if p.base == "members" else 1)
