"""自治体の積極性と継続性: the municipality's active part, continuity, self-reliance and people.

Seed: 「自治体が積極的に運営・協力しており、反復継続を意図した取組であること。」「経済的にも自立し、
リターンを産める取組であること。」「「地域DX推進ラボ」を適切かつ創造的に運営・発展することができる
人材がいること。」; for ① 「プロジェクト等がビジネスとして自立化するまでの想定シナリオ」 (a lab of ②
企業支援 only is not asked for one); 「事務局、キーパーソン、構成する企業・団体・自治体等」. Key persons
given by title only are the usual way and fully count.
"""

from __future__ import annotations

import re

from criteria.application import MemberCategory
from criteria.checks.context import Context, has_content
from criteria.checks.judging import absent, met, not_applicable, thin
from criteria.checks.registry import register
from criteria.eligibility import is_municipal_name
from criteria.evidence import Passage, search
from criteria.findings import finding
from criteria.normalize import find_years, is_substantive, mentions
from criteria.requirements import Assessment
from criteria.vocab import words

_ACTION = words("municipal_action")
_CONTINUITY = words("continuity") + words("continuity_evidence")
_PLANNED = words("continuity_evidence")
_REVENUE = words("revenue")
_FUNDING = words("funding")
_TIMELINE = words("timeline")
_TITLES = words("people_titles")
#: 「利用料は当面無料とし」: a charge that is waived is no revenue.
_NO_CHARGE = re.compile(
    "(?:" + "|".join(map(re.escape, words("charges"))) + r")(?:は|を|も)?[^。、]{0,10}?(?:"
    + "|".join(map(re.escape, words("no_charge")))
    + ")"
)
_SCENARIO_FIELDS = ("self_reliance_scenario", "continuity", "initiatives", "municipality_role", "vision")


@register("municipal_commitment.operation", viewpoint="municipal_commitment")
def operation(ctx: Context) -> Assessment:
    """A municipality takes part (member, 事務局 or described role) and its part is stated."""
    app = ctx.app
    if not ctx.municipality:
        return absent("municipal_commitment.operation", finding("municipality.absent"))
    evidence: list[Passage] = []
    if is_substantive(app.municipality_role):
        evidence += [p for p in ctx.passages if p.field == "municipality_role"]
    if is_municipal_name(app.secretariat):
        evidence += [p for p in ctx.passages if p.field == "secretariat"]
    for i, member in enumerate(app.members):
        if member.category is MemberCategory.MUNICIPALITY and member.role.strip():
            evidence += [p for p in ctx.passages if p.field == f"members[{i}]"]
    if not evidence:
        evidence = search(
            ctx.passages,
            _ACTION,
            fields=("initiatives", "continuity", "self_reliance_scenario", "vision"),
            where=lambda s: (
                is_municipal_name(s)
                or any(
                    m.name.strip() and m.name in s
                    for m in app.members
                    if m.category is MemberCategory.MUNICIPALITY
                )
                or bool(app.region.strip() and app.region.strip()[-3:] in s)
            ),
        )
    if evidence:
        return met("municipal_commitment.operation", evidence)
    return thin("municipal_commitment.operation", finding("municipality.no_role"))


@register("municipal_commitment.continuity", viewpoint="municipal_commitment")
def continuity(ctx: Context) -> Assessment:
    """Meant to repeat and continue: a plan, a budget, staff or a standing body, anywhere."""
    found = search(
        ctx.passages,
        _CONTINUITY,
        exclude=("members", "kpis", "other", "regional_issues", "customer_social_needs"),
    )
    if found:
        # a plan, a budget or staff says more than 「今後」: quote those first
        found.sort(key=lambda p: 0 if mentions(p.text, _PLANNED) else 1)
        return met("municipal_commitment.continuity", found)
    own = [p for p in ctx.passages if p.field == "continuity"]
    if own and find_years(ctx.app.continuity):
        return met("municipal_commitment.continuity", own)
    if ctx.app.continuity.strip():
        return thin("municipal_commitment.continuity", finding("continuity.vague"), found=own)
    return absent("municipal_commitment.continuity", finding("continuity.missing"))


def _has_timeline(text: str) -> bool:
    return bool(find_years(text)) or mentions(text, _TIMELINE)


@register("municipal_commitment.self_reliance", viewpoint="municipal_commitment")
def self_reliance(ctx: Context) -> Assessment:
    """For ①, revenue sources and when the project stands on them (public money alone is thin)."""
    if not ctx.has_project:
        return not_applicable("municipal_commitment.self_reliance")
    earning = search(
        ctx.passages, fields=_SCENARIO_FIELDS, where=lambda s: mentions(_NO_CHARGE.sub("", s), _REVENUE)
    )
    if earning:
        timed = [p for p in earning if _has_timeline(p.text)]
        field_timed = [
            p
            for p in earning
            if _has_timeline(getattr(ctx.app, p.base, "") if "[" not in p.field else p.text)
        ]
        if timed or field_timed:
            return met("municipal_commitment.self_reliance", timed or field_timed)
        return thin("municipal_commitment.self_reliance", finding("self_reliance.no_timeline"), found=earning)
    public = search(ctx.passages, _FUNDING, fields=_SCENARIO_FIELDS)
    if public:
        return thin("municipal_commitment.self_reliance", finding("self_reliance.no_revenue"), found=public)
    return absent("municipal_commitment.self_reliance", finding("self_reliance.missing"))


@register("municipal_commitment.people", viewpoint="municipal_commitment")
def people(ctx: Context) -> Assessment:
    """A secretariat and key persons (by name or by title) who can run the lab."""
    secretariat = [p for p in ctx.passages if p.field == "secretariat"]
    persons = [p for p in ctx.passages if p.base == "key_persons"]
    if not any(has_content(person) for person in ctx.app.key_persons):
        persons = search(
            ctx.passages, _TITLES, fields=("municipality_role", "continuity", "initiatives", "secretariat")
        )
    if secretariat and persons:
        return met("municipal_commitment.people", [*secretariat, *persons])
    if persons:
        return thin("municipal_commitment.people", finding("secretariat.missing"), found=persons)
    if secretariat:
        return thin("municipal_commitment.people", finding("key_persons.missing"), found=secretariat)
    return absent(
        "municipal_commitment.people", finding("secretariat.missing"), finding("key_persons.missing")
    )
