"""多様性と一体感: many diverse organisations of the region take part.

Seed: 「地域の特徴ある多くの多様な機関（地域の公的機関、大学・各種学校、研究機関、企業・事業者、事業者
団体、投資家、ベンチャーファンド、金融機関、市民団体等）が連携または参加している取組であること。」;
for ① 「地域の産学官金プロジェクト等の取組」: 産・学・官・金 each present.
"""

from __future__ import annotations

from criteria.application import InitiativeType, MemberCategory
from criteria.checks.context import Context, has_content
from criteria.checks.registry import register
from criteria.findings import finding, quote, quote_all
from criteria.report import Finding
from criteria.vocab import sectors

_SECTORS = sectors()


def _present(ctx: Context) -> list[MemberCategory]:
    """The member categories present, in the official order."""
    return [category for category in MemberCategory if category in ctx.categories]


@register("diversity.categories", viewpoint="diversity")
def categories(ctx: Context) -> list[Finding]:
    """Members have categories, and more than one (one is missing, two is weak)."""
    found = [
        finding("member.no_category", f"members[{i}]", name=quote(member.name))
        for i, member in enumerate(ctx.app.members)
        if has_content(member) and member.category is None
    ]
    present = _present(ctx)
    if len(present) == 1:
        found.append(finding("members.single_category", category=present[0].label))
    elif len(present) == 2:
        found.append(finding("members.few_categories", categories=quote_all(c.label for c in present)))
    return found


@register("diversity.sectors", viewpoint="diversity")
def sectors_covered(ctx: Context) -> list[Finding]:
    """For ①, members cover 産・学・官・金 (checked once there is more than one category)."""
    if InitiativeType.PROJECT not in ctx.types or len(ctx.categories) < 2:
        return []
    gaps = [name for name, members in _SECTORS.items() if not ctx.categories.intersection(members)]
    if not gaps:
        return []
    return [finding("members.sector_gap", sectors=quote_all(gaps))]
