"""What every check reads: the application and what is derived from it once per run.

Owns the per-run derivations shared by several checks (parsed KPIs, the initiative types in
play, the member categories, whether a municipality takes part, the その他 items present), so each
is computed once however many checks use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from criteria.application import Application, InitiativeType, MemberCategory
from criteria.eligibility import municipality_participates
from criteria.kpi import parse_kpi
from criteria.normalize import is_substantive, mentions
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


def _bonus(app: Application, initiatives: str) -> tuple[str, ...]:
    present: list[str] = []
    for slug, item in bonus_items().items():
        own = getattr(app.other, item.field)
        if is_substantive(own) or mentions(text_of(own, initiatives), words(item.vocab)):
            present.append(slug)
    return tuple(present)


@dataclass(frozen=True, kw_only=True)
class Context:
    """An application and its derivations, built once by ``Context.of``."""

    app: Application
    kpis: tuple[ParsedKpi, ...]
    types: frozenset[InitiativeType]
    categories: frozenset[MemberCategory]
    municipality: bool
    initiatives_text: str
    bonus: tuple[str, ...]

    @classmethod
    def of(cls, app: Application) -> Context:
        """Derive everything the checks share from ``app``."""
        initiatives = text_of(*(text_of(i.title, i.description) for i in app.initiatives))
        types = set(app.initiative_types) | {i.type for i in app.initiatives if i.type is not None}
        return cls(
            app=app,
            kpis=tuple(parse_kpi(kpi) for kpi in app.kpis),
            types=frozenset(types),
            categories=frozenset(m.category for m in app.members if m.category is not None),
            municipality=municipality_participates(app),
            initiatives_text=initiatives,
            bonus=_bonus(app, initiatives),
        )
