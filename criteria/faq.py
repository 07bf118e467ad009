"""The FAQ knowledge base (``faq.yaml``): questions the 事務局 is asked again and again.

Owns the entries — question, other phrasings, keywords, answer — and their sources. Every entry
rests on at least one seed passage or public fact (``criteria.public_facts.cite``); a missing or
unknown source fails at import. Searching is not here (``storage.faq_index`` indexes these
entries with SQLite FTS5); ``search_text`` gives it the normalised text of each field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, field_validator, model_validator

from criteria.data import DataModel, load
from criteria.normalize import fold
from criteria.public_facts import Citation, cite, require_sources

_FOLDED_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


class FaqEntry(DataModel):
    """One question and its answer, with what the answer rests on."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    question: str = Field(min_length=1)
    variants: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    answer: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)

    @field_validator("answer")
    @classmethod
    def _unfold(cls, value: str) -> str:
        """Drop the spaces YAML's folded style puts between two Japanese lines."""
        return _FOLDED_SPACE.sub("", value)

    @field_validator("sources")
    @classmethod
    def _sources_exist(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        require_sources(value, "sources")
        return value

    def citations(self) -> list[Citation]:
        """The sources with their text."""
        return [cite(ref) for ref in self.sources]


class FaqFile(DataModel):
    """``faq.yaml``: the entries, ids unique."""

    entries: tuple[FaqEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> FaqFile:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.id in seen:
                raise ValueError(f"duplicate FAQ id {entry.id!r}")
            seen.add(entry.id)
        return self


FAQ = load("faq.yaml", FaqFile)


@dataclass(frozen=True, kw_only=True)
class SearchText:
    """The normalised text of one entry, by the field it is searched as."""

    id: str
    question: str
    variants: str
    answer: str


def entries() -> tuple[FaqEntry, ...]:
    """Every entry, in file order."""
    return FAQ.entries


def entry(entry_id: str) -> FaqEntry:
    """The entry with ``entry_id`` (``KeyError`` when unknown)."""
    for item in FAQ.entries:
        if item.id == entry_id:
            return item
    raise KeyError(entry_id)


def search_text(item: FaqEntry) -> SearchText:
    """The entry's text in the form queries are compared in (NFKC, case-folded)."""
    return SearchText(
        id=item.id,
        question=fold(item.question),
        variants=fold("\n".join((*item.variants, *item.keywords))),
        answer=fold(item.answer),
    )
