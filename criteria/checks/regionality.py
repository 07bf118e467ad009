"""地域性: economic development and well-being, through ① regional issues/industry or ② companies.

Seed: 「地域の経済発展とウェルビーイングの向上を目指す取組であって、下記のいずれか、又は両方に該当
すること 1) 地域課題の解決や地域産業の競争優位性の確立等を目指す取組であること 2) 地域企業の競争
優位性の確立等を目指す取組であること」. Never penalised: 自治体のDX (「自治体のDXも入ることを公募要領に
明記する。」) and joint applications (「地域間の連携申請も可能である」).
"""

from __future__ import annotations

from criteria.application import Initiative, InitiativeType
from criteria.checks.context import Context, has_content, text_of
from criteria.checks.registry import register
from criteria.findings import finding, quote, quote_all
from criteria.normalize import mentions
from criteria.report import Finding
from criteria.vocab import words

_ECONOMIC = words("economic")
_WELLBEING = words("wellbeing")
_PROJECT_FOCUS = words("project_focus")
_COMPANY_FOCUS = words("company_focus")
_MUNICIPAL_DX = words("municipal_dx")


@register("regionality.aims", viewpoint="regionality")
def aims(ctx: Context) -> list[Finding]:
    """The vision (with the regional issues) aims at economic development and at well-being."""
    text = text_of(ctx.app.vision, ctx.app.regional_issues)
    found: list[Finding] = []
    if not mentions(text, _ECONOMIC):
        found.append(finding("vision.no_economic"))
    if not mentions(text, _WELLBEING):
        found.append(finding("vision.no_wellbeing"))
    return found


def _initiative(ctx: Context, i: int, item: Initiative) -> list[Finding]:
    field, title = f"initiatives[{i}]", quote(item.title or item.description)
    declared = set(ctx.app.initiative_types)
    text = text_of(item.title, item.description)
    found: list[Finding] = []
    if item.type is not None and declared and item.type not in declared:
        found.append(
            finding("initiative.type_undeclared", field, n=i + 1, title=title, type_label=item.type.label)
        )
    kind = item.type or (next(iter(declared)) if len(declared) == 1 else None)
    if kind is None and ctx.types:
        found.append(finding("initiative.no_type", field, n=i + 1, title=title))
    if mentions(text, _MUNICIPAL_DX):
        found.append(finding("initiative.municipal_dx", field, n=i + 1, title=title))
        return found
    if not item.description.strip():
        return found  # 方向性 already asks for the description
    if kind is InitiativeType.PROJECT and not mentions(text, _PROJECT_FOCUS):
        found.append(finding("initiative.no_regional_focus", field, n=i + 1, title=title))
    if kind is InitiativeType.COMPANY_SUPPORT and not mentions(text, _COMPANY_FOCUS):
        found.append(finding("initiative.no_company_focus", field, n=i + 1, title=title))
    return found


@register("regionality.initiatives", viewpoint="regionality")
def initiatives(ctx: Context) -> list[Finding]:
    """Initiatives are of type ① and/or ②, consistent with the declared types, and fit their type."""
    entries = [(i, item) for i, item in enumerate(ctx.app.initiatives) if has_content(item)]
    found: list[Finding] = []
    if not ctx.types:
        found.append(finding("initiatives.no_type"))
    own = {item.type for _, item in entries if item.type is not None}
    if own:
        for kind in InitiativeType:
            if kind in ctx.app.initiative_types and kind not in own:
                found.append(finding("initiatives.type_not_covered", type_label=kind.label))
    for i, item in entries:
        found.extend(_initiative(ctx, i, item))
    return found


@register("regionality.joint_regions", viewpoint="regionality")
def joint_regions(ctx: Context) -> list[Finding]:
    """A joint application of several regions is noted, never penalised."""
    regions = [region for region in ctx.app.joint_regions if region.strip()]
    if not regions:
        return []
    return [finding("regions.joint", regions=quote_all(regions))]
