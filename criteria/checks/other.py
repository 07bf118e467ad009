"""その他 (加点): open data, digital talent, a regional data-linkage platform. Never a defect.

Seed: 「以下の取組には審査にあたり配慮します。」 オープンデータ / デジタル推進人材 / データ連携基盤, and
「あくまでも様々な取組の一つであり必須の取組ではないことや、ハード面だけではなく、データ連携のための
体制やルール作りが含まれることも明記する。」: every finding here has severity ok.
"""

from __future__ import annotations

from criteria.checks.context import Context, text_of
from criteria.checks.registry import register
from criteria.findings import finding
from criteria.normalize import mentions
from criteria.report import Finding
from criteria.vocab import words

_RULES = words("data_platform_rules")


@register("other.bonus", viewpoint="other")
def bonus(ctx: Context) -> list[Finding]:
    """Notes each その他 item present; a platform described only as a system gets a kind hint."""
    if not ctx.bonus:
        return [finding("other.none")]
    found = [finding(f"other.{slug}") for slug in ctx.bonus]
    if "data_platform" in ctx.bonus:
        described = text_of(ctx.app.other.data_platform, ctx.initiatives_text)
        if not mentions(described, _RULES):
            found.append(finding("other.data_platform_rules"))
    return found
