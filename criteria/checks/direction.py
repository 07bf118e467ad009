"""方向性: the vision, the implementation plan and the progress indicators are all clear.

Seed: 「DXの推進に向けたビジョン、実施計画、進捗状況を測るための指標が明確であること」, with the
KPIs shaped 「○○年までに○○○○○を○件」 (アウトカム及びアウトプット指標) and 「ビジョン及び実施計画の
進捗状況を管理するための仕組みを検討」.
"""

from __future__ import annotations

import re

from criteria.checks.context import Context, has_content
from criteria.checks.judging import absent, met, thin
from criteria.checks.registry import register
from criteria.eligibility import is_municipal_name
from criteria.evidence import Passage, search
from criteria.findings import finding, quote
from criteria.kpi import is_decreasing
from criteria.normalize import fold, mentions, normalize
from criteria.report import Finding, ParsedKpi
from criteria.requirements import Assessment
from criteria.vocab import words

#: A vision shorter than this (after normalisation) hardly says what is aimed at.
MIN_VISION_CHARS = 15

_OWNER = words("progress_owner")
_FREQUENCY_WORDS = words("progress_frequency")
_TOPIC = words("progress_topic")
_COUNT = "[0-9一二三四五六七八九十]+"
_FREQUENCY = re.compile(
    rf"(?:年|月|週|日)\s*{_COUNT}\s*回"
    rf"|{_COUNT}\s*(?:か月|ヶ月|カ月|ケ月|週間|年)\s*(?:ごと|毎|おき|に\s*{_COUNT}\s*回)"
    r"|(?:毎|各)(?:月|週|年|年度|四半期|期)"
)
_ACTORS = (
    words("org_school") + words("org_research") + words("org_financial_institution") + words("plan_actors")
)
_AIM = words("aim_words")


def _frequency(text: str) -> bool:
    return mentions(text, _FREQUENCY_WORDS) or bool(_FREQUENCY.search(normalize(text)))


@register("direction.vision", viewpoint="direction")
def vision(ctx: Context) -> Assessment:
    """A vision is written, and long enough to say something (or an aim is stated elsewhere)."""
    own = [p for p in ctx.passages if p.field == "vision"]
    text = normalize(ctx.app.vision).strip()
    if text and len(text) >= MIN_VISION_CHARS:
        return met("direction.vision", own)
    if text:
        return thin("direction.vision", finding("vision.too_short"), found=own)
    aims = search(ctx.passages, _AIM, fields=("regional_issues", "transformation", "initiatives"))
    if aims:
        return met("direction.vision", aims)
    return absent("direction.vision", finding("vision.missing"))


@register("direction.plan", viewpoint="direction")
def plan(ctx: Context) -> Assessment:
    """At least one initiative saying what is done; a title without description is a hint."""
    entries = [(i, item) for i, item in enumerate(ctx.app.initiatives) if has_content(item)]
    if not entries:
        return absent("direction.plan", finding("initiatives.missing"))
    notes = [
        finding("initiative.no_description", f"initiatives[{i}]", n=i + 1, title=quote(item.title))
        for i, item in entries
        if not item.description.strip()
    ]
    described = [p for p in ctx.passages if p.base == "initiatives"]
    if len(notes) == len(entries):
        return thin("direction.plan", *notes, found=described)
    if not (_names_an_actor(ctx, described) or _members_have_roles(ctx)):
        return thin("direction.plan", finding("initiatives.no_actor"), found=described, notes=notes)
    return met("direction.plan", described, notes=notes)


_TRIVIAL_ROLES = frozenset(words("trivial_roles"))
_NAME_PREFIXES = re.compile("^(?:" + "|".join(re.escape(w) for w in words("corporate_prefixes")) + ")")


def _members_have_roles(ctx: Context) -> bool:
    """Whether the member table says what the organisations do (not only 「構成員」)."""
    roles = [m.role.strip() for m in ctx.app.members if m.role.strip()]
    return any(role not in _TRIVIAL_ROLES and len(role) >= 4 for role in roles)


def _names_an_actor(ctx: Context, found: list[Passage]) -> bool:
    """Whether an initiative says who does it: a member, an organisation or the municipality."""
    names = [
        _NAME_PREFIXES.sub("", normalize(m.name).strip())
        for m in ctx.app.members
        if len(m.name.strip()) >= 2
    ]
    actors = tuple(n for n in names if len(n) >= 2) + _ACTORS
    return any(mentions(p.text, actors) or is_municipal_name(p.text.split("が")[0]) for p in found)


def infer_kind(parsed: ParsedKpi) -> str | None:
    """The KPI's kind as chosen, else as its indicator suggests (成果 or 活動量), else ``None``."""
    if parsed.kind is not None:
        return parsed.kind
    text = fold(parsed.indicator or parsed.text)
    outcome = mentions(text, words("outcome_words"))
    output = mentions(text, words("output_words"))
    if outcome != output:
        return "outcome" if outcome else "output"
    return None


def _beyond_baseline(parsed: ParsedKpi) -> bool:
    """Whether the target goes past its baseline in the intended direction (True when unknown)."""
    if parsed.target_value is None or parsed.baseline_value is None:
        return True
    if parsed.baseline_unit and parsed.unit and parsed.baseline_unit != parsed.unit:
        return True
    if is_decreasing(parsed):
        return parsed.target_value < parsed.baseline_value
    return parsed.target_value > parsed.baseline_value


def _kpi_problems(i: int, parsed: ParsedKpi) -> list[Finding]:
    field, label = f"kpis[{i}]", quote(parsed.text or parsed.indicator)
    found: list[Finding] = []
    if parsed.target_value is None and not parsed.relative_change:
        found.append(finding("kpi.no_target", field, n=i + 1, kpi=label))
    if parsed.target_year is None:
        found.append(finding("kpi.no_deadline", field, n=i + 1, kpi=label))
    if not _beyond_baseline(parsed):
        found.append(finding("kpi.target_not_beyond_baseline", field, n=i + 1, kpi=label))
    return found


@register("direction.indicators", viewpoint="direction")
def indicators(ctx: Context) -> Assessment:
    """Outcome and output KPIs, each with a numeric target (or change) and a deadline."""
    entries = [
        (i, parsed)
        for i, (kpi, parsed) in enumerate(zip(ctx.app.kpis, ctx.kpis, strict=True))
        if has_content(kpi)
    ]
    if not entries:
        return absent("direction.indicators", finding("kpi.missing"))
    problems: list[Finding] = []
    notes: list[Finding] = []
    kinds: set[str | None] = set()
    for i, parsed in entries:
        problems.extend(_kpi_problems(i, parsed))
        kind = infer_kind(parsed)
        kinds.add(kind)
        if parsed.kind is None:
            notes.append(
                finding("kpi.no_kind", f"kpis[{i}]", n=i + 1, kpi=quote(parsed.text or parsed.indicator))
            )
    if "outcome" not in kinds and None not in kinds:
        problems.append(finding("kpi.no_outcome"))
    if "output" not in kinds and None not in kinds:
        problems.append(finding("kpi.no_output"))
    found: list[Passage] = [
        p for p in ctx.passages if p.base == "kpis" and p.field in {f"kpis[{i}]" for i, _ in entries}
    ]
    if problems:
        return thin("direction.indicators", *problems, found=found, notes=notes)
    return met("direction.indicators", found, notes=notes)


@register("direction.management", viewpoint="direction")
def management(ctx: Context) -> Assessment:
    """Who manages progress and how often (its own question, or said with the 体制 elsewhere)."""
    own = [p for p in ctx.passages if p.field == "progress_management"]
    text = ctx.app.progress_management
    if text.strip():
        problems: list[Finding] = []
        if not mentions(text, _OWNER):
            problems.append(finding("progress.no_owner"))
        if not _frequency(text):
            problems.append(finding("progress.no_frequency"))
        if problems:
            return thin("direction.management", *problems, found=own)
        return met("direction.management", own)
    elsewhere = search(
        ctx.passages,
        _TOPIC,
        exclude=("kpis", "members", "other"),
        where=lambda s: mentions(s, _OWNER) and _frequency(s),
    )
    if elsewhere:
        return met("direction.management", elsewhere)
    return absent("direction.management", finding("progress.missing"))
