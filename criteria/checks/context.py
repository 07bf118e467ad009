"""What every assessor reads: the application and what is derived from it once per run.

Owns the per-run derivations shared by several assessors (parsed KPIs, the sentences of the whole
application, the initiative types in play, the kinds of organisation taking part, whether a
municipality takes part, the その他 items present), so each is computed once however many
assessors use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from criteria.application import Application, InitiativeType, MemberCategory
from criteria.eligibility import is_municipal_name, municipality_participates
from criteria.evidence import Passage, passages, search
from criteria.kpi import parse_kpi
from criteria.normalize import fold, is_substantive, mentions
from criteria.report import ParsedKpi
from criteria.viewpoints import bonus_items
from criteria.vocab import words


def has_content(value: object) -> bool:
    """Whether an answer holds anything: non-blank text, a number, a chosen option, a filled record."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, int | float):
        return True
    if isinstance(value, list | tuple):
        return any(has_content(item) for item in value)
    if isinstance(value, BaseModel):
        return any(has_content(getattr(value, name)) for name in type(value).model_fields)
    return True


def text_of(*parts: str) -> str:
    """Several answers read together, one per line (so no clause runs from one into the next)."""
    return "\n".join(part for part in parts if part.strip())


_ORG_LISTS: tuple[tuple[MemberCategory, str], ...] = (
    (MemberCategory.FINANCIAL_INSTITUTION, "org_financial_institution"),
    (MemberCategory.VENTURE_FUND, "org_venture_fund"),
    (MemberCategory.INVESTOR, "org_investor"),
    (MemberCategory.RESEARCH, "org_research"),
    (MemberCategory.SCHOOL, "org_school"),
    (MemberCategory.CIVIC_GROUP, "org_civic_group"),
    (MemberCategory.BUSINESS_ASSOCIATION, "org_business_association"),
    (MemberCategory.PUBLIC_BODY, "org_public_body"),
    (MemberCategory.COMPANY, "org_company"),
)


def organisation_kind(name: str, *, generic: bool = True) -> MemberCategory | None:
    """The kind of organisation a name says it is (「みなと信用金庫」 → 金融機関), or ``None``.

    ``generic=False`` ignores words that name a kind only in a member's name (「企業」「事業者」).
    """
    folded = fold(name)
    skip = set() if generic else {fold(w) for w in words("org_generic")}
    for category, listname in _ORG_LISTS:
        if any(fold(w) in folded for w in words(listname) if fold(w) not in skip):
            return category
    if is_municipal_name(name):
        return MemberCategory.MUNICIPALITY
    return None


_GENERIC = frozenset(fold(w) for w in words("org_generic"))
_SPECIFIC_NAMES: tuple[tuple[MemberCategory, tuple[str, ...]], ...] = tuple(
    (category, tuple(w for w in words(listname) if fold(w) not in _GENERIC))
    for category, listname in _ORG_LISTS
)


def _prose_kinds(found: tuple[Passage, ...]) -> dict[MemberCategory, Passage]:
    """Kinds of organisation named in prose and key persons' organisations, with the sentence."""
    kinds: dict[MemberCategory, Passage] = {}
    for passage in found:
        if passage.base not in ("initiatives", "secretariat", "municipality_role", "key_persons"):
            continue
        for category, names in _SPECIFIC_NAMES:
            if category not in kinds and mentions(passage.text, names):
                kinds[category] = passage
    return kinds


def _bonus(app: Application, found: tuple[Passage, ...]) -> dict[str, tuple[Passage, ...]]:
    """The その他 items the body really describes, each with the passages that describe it.

    An item counts when its own answer says something, or the plan's prose names it; sharing data
    counts as data linkage only where the same sentence builds a system or rules for it.
    """
    present: dict[str, tuple[Passage, ...]] = {}
    prose_only = ("other", "members", "key_persons", "kpis")
    for slug, item in bonus_items().items():
        own = getattr(app.other, item.field)
        prose = search(found, words(item.vocab), exclude=prose_only)
        if slug == "data_platform" and not prose:
            prose = search(
                found,
                words("data_sharing"),
                exclude=prose_only,
                where=lambda s: mentions(s, words("data_sharing_frame")),
            )
        if is_substantive(own):
            present[slug] = tuple(p for p in found if p.field == f"other.{item.field}") + tuple(prose)
        elif prose:
            present[slug] = tuple(prose)
    return present


@dataclass(frozen=True, kw_only=True)
class Context:
    """An application and its derivations, built once by ``Context.of``."""

    app: Application
    kpis: tuple[ParsedKpi, ...]
    passages: tuple[Passage, ...]
    types: frozenset[InitiativeType]
    categories: frozenset[MemberCategory]
    kinds: dict[MemberCategory, Passage | None]
    municipality: bool
    initiatives_text: str
    bonus: tuple[str, ...]
    bonus_evidence: dict[str, tuple[Passage, ...]]

    @classmethod
    def of(cls, app: Application) -> Context:
        """Derive everything the assessors share from ``app``."""
        found = passages(app)
        initiatives = text_of(*(text_of(i.title, i.description) for i in app.initiatives))
        types = set(app.initiative_types) | {i.type for i in app.initiatives if i.type is not None}
        kinds: dict[MemberCategory, Passage | None] = {}
        first = {p.field: p for p in reversed(found)}
        for i, member in enumerate(app.members):
            kind = member.category or organisation_kind(member.name)
            if kind is not None:
                kinds.setdefault(kind, first.get(f"members[{i}]"))
        for kind, passage in _prose_kinds(found).items():
            kinds.setdefault(kind, passage)
        if is_municipal_name(app.secretariat):
            kinds.setdefault(MemberCategory.MUNICIPALITY, first.get("secretariat"))
        bonus = _bonus(app, found)
        return cls(
            app=app,
            kpis=tuple(parse_kpi(kpi) for kpi in app.kpis),
            passages=found,
            types=frozenset(types),
            categories=frozenset(m.category for m in app.members if m.category is not None),
            kinds=kinds,
            municipality=municipality_participates(app),
            initiatives_text=initiatives,
            bonus=tuple(bonus),
            bonus_evidence=bonus,
        )

    @property
    def has_project(self) -> bool:
        """Whether ① 地域の産学官金プロジェクト等 is in play (also when no type was chosen)."""
        return InitiativeType.PROJECT in self.types or not self.types
