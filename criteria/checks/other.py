"""その他 (加点): open data, digital talent, a regional data-linkage platform. Never a defect.

Seed: 「以下の取組には審査にあたり配慮します。」 オープンデータ / デジタル推進人材 / データ連携基盤, and
「あくまでも様々な取組の一つであり必須の取組ではないことや、ハード面だけではなく、データ連携のための
体制やルール作りが含まれることも明記する。」: every finding here has severity ok, and an item is
credited only when the body of the application describes it.
"""

from __future__ import annotations

from criteria.checks.context import Context, text_of
from criteria.checks.judging import absent, met
from criteria.checks.registry import register
from criteria.findings import finding
from criteria.normalize import mentions
from criteria.requirements import Assessment
from criteria.vocab import words

_RULES = words("data_platform_rules")


def _item(ctx: Context, slug: str) -> Assessment:
    name = f"other.{slug}"
    if slug not in ctx.bonus:
        return absent(name, *([finding("other.none")] if not ctx.bonus and slug == "open_data" else []))
    found = list(ctx.bonus_evidence[slug])
    notes = [finding(f"other.{slug}")]
    if slug == "data_platform":
        described = text_of(ctx.app.other.data_platform, ctx.initiatives_text)
        if not mentions(described, _RULES):
            notes.append(finding("other.data_platform_rules"))
    return met(name, found, notes=notes)


@register("other.open_data", viewpoint="other")
def open_data(ctx: Context) -> Assessment:
    """オープンデータを積極的に活用する取組 (noted when present)."""
    return _item(ctx, "open_data")


@register("other.digital_talent", viewpoint="other")
def digital_talent(ctx: Context) -> Assessment:
    """デジタル推進人材を育成・確保する取組 (noted when present)."""
    return _item(ctx, "digital_talent")


@register("other.data_platform", viewpoint="other")
def data_platform(ctx: Context) -> Assessment:
    """地域のデータ連携基盤の整備, rules and organisation included (noted when present)."""
    return _item(ctx, "data_platform")
