"""The keyword lists, KPI units and 産学官金 sectors of ``vocab.yaml``.

Owns access to the words the checks look for. The lists are data (edit ``vocab.yaml``); how a word
counts (normalisation, negation) is ``criteria.normalize``.
"""

from __future__ import annotations

from pydantic import field_validator

from criteria.application import MemberCategory
from criteria.data import DataError, DataModel, load


class VocabFile(DataModel):
    """``vocab.yaml``: named keyword lists, KPI units and the 産学官金 sectors."""

    words: dict[str, tuple[str, ...]]
    units: tuple[str, ...]
    sectors: dict[str, tuple[MemberCategory, ...]]

    @field_validator("words")
    @classmethod
    def _words(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name, items in value.items():
            if not items:
                raise ValueError(f"list {name!r} is empty")
            blank = [i for i, item in enumerate(items) if not item.strip()]
            if blank:
                raise ValueError(f"list {name!r} has an empty keyword at index {blank[0]}")
        return value

    @field_validator("units")
    @classmethod
    def _units(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or any(not unit.strip() for unit in value):
            raise ValueError("units must be a list of non-empty strings")
        return value


VOCAB = load("vocab.yaml", VocabFile)


def words(name: str) -> tuple[str, ...]:
    """The keyword list ``name`` of vocab.yaml; ``DataError`` naming the file when it is absent."""
    try:
        return VOCAB.words[name]
    except KeyError:
        raise DataError(f"vocab.yaml: words.{name}: no such keyword list") from None


def units() -> tuple[str, ...]:
    """Counters and units a KPI target may carry (社, 件, 人, %, 億円 …)."""
    return VOCAB.units


def sectors() -> dict[str, tuple[MemberCategory, ...]]:
    """産・学・官・金 and the member categories that count as each."""
    return dict(VOCAB.sectors)
