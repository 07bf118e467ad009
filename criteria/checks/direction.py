"""方向性: the vision, the implementation plan and the progress indicators are all clear.

Seed: 「DXの推進に向けたビジョン、実施計画、進捗状況を測るための指標が明確であること」, with the
KPIs shaped 「○○年までに○○○○○を○件」 (outcome and output) and 「進捗状況を管理するための仕組み」.
"""

from __future__ import annotations

import re

from criteria.checks.context import Context, has_content
from criteria.checks.registry import register
from criteria.findings import finding, quote
from criteria.normalize import mentions, normalize
from criteria.report import Finding
from criteria.vocab import words

#: A vision shorter than this (after normalisation) hardly says what is aimed at.
MIN_VISION_CHARS = 15

_OWNER = words("progress_owner")
_FREQUENCY_WORDS = words("progress_frequency")
_COUNT = "[0-9一二三四五六七八九十]+"
_FREQUENCY = re.compile(
    rf"(?:年|月|週|日)\s*{_COUNT}\s*回"
    rf"|{_COUNT}\s*(?:か月|ヶ月|カ月|ケ月|週間|年)\s*(?:ごと|毎|おき|に\s*{_COUNT}\s*回)"
    r"|(?:毎|各)(?:月|週|年|年度|四半期|期)"
)


@register("direction.vision", viewpoint="direction")
def vision(ctx: Context) -> list[Finding]:
    """A vision is written, and long enough to say something."""
    text = normalize(ctx.app.vision).strip()
    if not text:
        return [finding("vision.missing")]
    if len(text) < MIN_VISION_CHARS:
        return [finding("vision.too_short")]
    return []


@register("direction.initiatives", viewpoint="direction")
def initiatives(ctx: Context) -> list[Finding]:
    """At least one initiative, each with a description."""
    entries = [(i, item) for i, item in enumerate(ctx.app.initiatives) if has_content(item)]
    if not entries:
        return [finding("initiatives.missing")]
    return [
        finding("initiative.no_description", f"initiatives[{i}]", n=i + 1, title=quote(item.title))
        for i, item in entries
        if not item.description.strip()
    ]


@register("direction.kpis", viewpoint="direction")
def kpis(ctx: Context) -> list[Finding]:
    """Outcome and output KPIs, each with a numeric target and a target year."""
    entries = [
        (i, parsed)
        for i, (kpi, parsed) in enumerate(zip(ctx.app.kpis, ctx.kpis, strict=True))
        if has_content(kpi)
    ]
    if not entries:
        return [finding("kpi.missing")]
    found: list[Finding] = []
    for i, parsed in entries:
        field = f"kpis[{i}]"
        label = quote(parsed.text or parsed.indicator)
        if parsed.kind is None:
            found.append(finding("kpi.no_kind", field, n=i + 1, kpi=label))
        if parsed.target_value is None:
            found.append(finding("kpi.no_target", field, n=i + 1, kpi=label))
        if parsed.target_year is None:
            found.append(finding("kpi.no_deadline", field, n=i + 1, kpi=label))
    kinds = {parsed.kind for _, parsed in entries}
    if None not in kinds:
        if "outcome" not in kinds:
            found.append(finding("kpi.no_outcome"))
        if "output" not in kinds:
            found.append(finding("kpi.no_output"))
    return found


@register("direction.progress", viewpoint="direction")
def progress(ctx: Context) -> list[Finding]:
    """Progress management says who manages it and how often."""
    text = ctx.app.progress_management
    if not text.strip():
        return [finding("progress.missing")]
    found: list[Finding] = []
    if not mentions(text, _OWNER):
        found.append(finding("progress.no_owner"))
    if not (mentions(text, _FREQUENCY_WORDS) or _FREQUENCY.search(normalize(text))):
        found.append(finding("progress.no_frequency"))
    return found
