"""地域性: economic development and well-being, through ① regional issues/industry or ② companies.

Seed: 「地域の経済発展とウェルビーイングの向上を目指す取組であって、下記のいずれか、又は両方に該当
すること 1) 地域課題の解決や地域産業の競争優位性の確立等を目指す取組であること 2) 地域企業の競争
優位性の確立等を目指す取組であること」. Never penalised: 自治体のDX (「自治体のDXも入ることを公募要領に
明記する。」) and joint applications (「応募要領の中に「地域間の連携申請も可能である」と記載する。」).
Type bookkeeping about single initiatives is a hint, never a verdict.
"""

from __future__ import annotations

from criteria.application import InitiativeType
from criteria.checks.context import Context, has_content
from criteria.checks.judging import absent, met
from criteria.checks.registry import register
from criteria.evidence import search
from criteria.findings import finding, quote
from criteria.report import Finding
from criteria.requirements import Assessment
from criteria.vocab import words

_ECONOMIC = words("economic")
_WELLBEING = words("wellbeing")
_FOCUS = words("project_focus") + words("company_focus")
#: Where an aim of the application is stated (not who takes part: members, key persons).
_AIM_EXCLUDE = ("members", "key_persons", "secretariat", "other")


@register("regionality.economic", viewpoint="regionality")
def economic(ctx: Context) -> Assessment:
    """The application aims at the region's economic development."""
    found = search(ctx.passages, _ECONOMIC, exclude=_AIM_EXCLUDE)
    if found:
        return met("regionality.economic", found)
    return absent("regionality.economic", finding("vision.no_economic"))


@register("regionality.wellbeing", viewpoint="regionality")
def wellbeing(ctx: Context) -> Assessment:
    """The application aims at well-being (暮らし, 安心, 健康, 満足度 …)."""
    found = search(ctx.passages, _WELLBEING, exclude=_AIM_EXCLUDE)
    if found:
        return met("regionality.wellbeing", found)
    return absent("regionality.wellbeing", finding("vision.no_wellbeing"))


def _type_notes(ctx: Context) -> list[Finding]:
    """Hints about the ①/② bookkeeping of single initiatives (never a verdict)."""
    notes: list[Finding] = []
    entries = [(i, item) for i, item in enumerate(ctx.app.initiatives) if has_content(item)]
    declared = set(ctx.app.initiative_types)
    if entries and not ctx.types:
        notes.append(finding("initiatives.no_type"))
    own = {item.type for _, item in entries if item.type is not None}
    if own:
        for kind in InitiativeType:
            if kind in declared and kind not in own:
                notes.append(finding("initiatives.type_not_covered", type_label=kind.label))
    for i, item in entries:
        title = quote(item.title or item.description)
        if item.type is not None and declared and item.type not in declared:
            notes.append(
                finding(
                    "initiative.type_undeclared",
                    f"initiatives[{i}]",
                    n=i + 1,
                    title=title,
                    type_label=item.type.label,
                )
            )
    return notes


@register("regionality.focus", viewpoint="regionality")
def focus(ctx: Context) -> Assessment:
    """Regional issues / competitive advantage of regional industry (①) or companies (②)."""
    found = search(
        ctx.passages, _FOCUS, fields=("vision", "regional_issues", "initiatives", "transformation")
    )
    notes = _type_notes(ctx)
    regions = [region for region in ctx.app.joint_regions if region.strip()]
    if regions:
        notes.append(finding("regions.joint", regions="".join(quote(r) for r in regions)))
    if found:
        return met("regionality.focus", found, notes=notes)
    return absent("regionality.focus", finding("regionality.no_focus"), notes=notes)
