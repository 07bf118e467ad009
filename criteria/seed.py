"""The verbatim seed passages (``seed.yaml``) that every rule quotes.

Owns the project's own copy of the passages of the programme's document the checks are traced to.
Rule files cite the document by quoting it; ``require_quoted`` is how their loaders make sure a
quote is really in the document (character for character), so no rule drifts from its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated

from pydantic import AfterValidator, field_validator

from criteria.data import DataModel, load


class SeedFile(DataModel):
    """``seed.yaml``: the document's title and its passages by id."""

    source: str
    passages: dict[str, str]

    @field_validator("passages")
    @classmethod
    def _not_empty(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if not text.strip():
                raise ValueError(f"passage {key!r} is empty")
        return value


SEED = load("seed.yaml", SeedFile)


def passages() -> Mapping[str, str]:
    """Every stored passage, by id."""
    return SEED.passages


def is_quoted(text: str) -> bool:
    """Whether ``text`` appears verbatim in one of the stored passages."""
    return bool(text) and any(text in passage for passage in SEED.passages.values())


def require_quoted(quotes: Iterable[str], where: str) -> None:
    """Raise ``ValueError`` (naming ``where``) for the first quote not found in the seed."""
    for quote in quotes:
        if not is_quoted(quote):
            raise ValueError(f"{where}: not a verbatim seed passage: {quote!r}")


def _cited(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise ValueError("at least one seed quote is required")
    require_quoted(value, "seed")
    return value


#: A data file's ``seed`` field: one or more passages quoted verbatim from the seed document.
SeedQuotes = Annotated[tuple[str, ...], AfterValidator(_cited)]
