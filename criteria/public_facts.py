"""Public facts beyond the seed (``public_facts.yaml``) and citations of either kind.

Owns how a rule names what it rests on: ``seed:<id>`` is a verbatim passage of the seed document
(``seed.yaml``), ``fact:<id>`` a public fact of the programme copied from DESIGN.md §1. ``cite``
turns such a reference into a ``Citation`` with the text to show; an unknown id is a ``ValueError``
so data files fail at load, not when a person asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from criteria.data import DataModel, load
from criteria.seed import SEED, passages


class PublicFact(DataModel):
    """One public fact: the Japanese sentence shown to people and the DESIGN.md sentence behind it."""

    text: str
    en: str


class PublicFactsFile(DataModel):
    """``public_facts.yaml``: where the facts come from and the facts by id."""

    source: str
    facts: dict[str, PublicFact]


FACTS = load("public_facts.yaml", PublicFactsFile)


@dataclass(frozen=True, kw_only=True)
class Citation:
    """What a statement rests on: a seed passage or a public fact, with its text and where it is from."""

    ref: str
    kind: Literal["seed", "fact"]
    id: str
    text: str
    origin: str


def facts() -> Mapping[str, PublicFact]:
    """Every public fact, by id."""
    return FACTS.facts


def cite(ref: str) -> Citation:
    """The citation for ``seed:<id>`` or ``fact:<id>``; ``ValueError`` when it does not exist."""
    kind, sep, key = ref.partition(":")
    if sep and kind == "seed" and key in passages():
        return Citation(ref=ref, kind="seed", id=key, text=passages()[key], origin=SEED.source)
    if sep and kind == "fact" and key in FACTS.facts:
        return Citation(ref=ref, kind="fact", id=key, text=FACTS.facts[key].text, origin=FACTS.source)
    raise ValueError(f"unknown source {ref!r} (expected seed:<id> of seed.yaml or fact:<id>)")


def require_sources(refs: Iterable[str], where: str) -> None:
    """Raise ``ValueError`` naming ``where`` for the first reference that does not exist."""
    for ref in refs:
        try:
            cite(ref)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from exc
