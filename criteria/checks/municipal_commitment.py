"""自治体の積極性と継続性: the municipality's active part, continuity, self-reliance and people.

Seed: 「自治体が積極的に運営・協力しており、反復継続を意図した取組であること。」「経済的にも自立し、
リターンを産める取組であること。」「「地域DX推進ラボ」を適切かつ創造的に運営・発展することができる
人材がいること。」; for ① 「プロジェクト等がビジネスとして自立化するまでの想定シナリオ」; 「事務局、
キーパーソン、構成する企業・団体・自治体等」.
"""

from __future__ import annotations

from criteria.application import InitiativeType, MemberCategory
from criteria.checks.context import Context, has_content, text_of
from criteria.checks.registry import register
from criteria.findings import finding
from criteria.normalize import find_years, mentions
from criteria.report import Finding
from criteria.vocab import words

_CONTINUITY = words("continuity")
_REVENUE = words("revenue")
_FUNDING = words("revenue") + words("funding")
_TIMELINE = words("timeline")


@register("municipal_commitment.municipality", viewpoint="municipal_commitment")
def municipality(ctx: Context) -> list[Finding]:
    """A municipality takes part, with an explicit role (its member role or municipality_role)."""
    if not ctx.municipality:
        return [finding("municipality.absent")]
    roles = [m.role for m in ctx.app.members if m.category is MemberCategory.MUNICIPALITY]
    if not ctx.app.municipality_role.strip() and not any(role.strip() for role in roles):
        return [finding("municipality.no_role")]
    return []


@register("municipal_commitment.continuity", viewpoint="municipal_commitment")
def continuity(ctx: Context) -> list[Finding]:
    """The lab is meant to continue; without ① (no scenario asked), funding or revenue is stated."""
    app = ctx.app
    found: list[Finding] = []
    if not app.continuity.strip():
        found.append(finding("continuity.missing"))
    elif not (mentions(app.continuity, _CONTINUITY) or find_years(app.continuity)):
        found.append(finding("continuity.vague"))
    if InitiativeType.PROJECT not in ctx.types:
        stated = text_of(app.continuity, app.self_reliance_scenario, app.municipality_role)
        if not mentions(stated, _FUNDING):
            found.append(finding("funding.missing"))
    return found


@register("municipal_commitment.self_reliance", viewpoint="municipal_commitment")
def self_reliance(ctx: Context) -> list[Finding]:
    """For ①, a self-reliance scenario with revenue sources and a timeline."""
    if InitiativeType.PROJECT not in ctx.types:
        return []
    text = ctx.app.self_reliance_scenario
    if not text.strip():
        return [finding("self_reliance.missing")]
    found: list[Finding] = []
    if not mentions(text, _REVENUE):
        found.append(finding("self_reliance.no_revenue"))
    if not (find_years(text) or mentions(text, _TIMELINE)):
        found.append(finding("self_reliance.no_timeline"))
    return found


@register("municipal_commitment.people", viewpoint="municipal_commitment")
def people(ctx: Context) -> list[Finding]:
    """A secretariat and named key persons who can run the lab."""
    found: list[Finding] = []
    if not ctx.app.secretariat.strip():
        found.append(finding("secretariat.missing"))
    persons = [(i, person) for i, person in enumerate(ctx.app.key_persons) if has_content(person)]
    if not persons:
        found.append(finding("key_persons.missing"))
    found.extend(
        finding("key_person.no_name", f"key_persons[{i}]", n=i + 1)
        for i, person in persons
        if not person.name.strip()
    )
    return found
