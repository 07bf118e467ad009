"""The heading and table-header vocabulary of a 実施計画書 (``vocabulary.yaml``), validated at load.

Owns how a title or a header cell is compared (NFKC, no spaces, case-folded) and which target a
title names: an exact word first, else the first entry in file order with a word inside the title.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from criteria.application import MemberCategory
from criteria.yamlfile import parse_yaml
from dialogs.flow_names import is_application_field

_FILE = Path(__file__).with_name("vocabulary.yaml")


def key(text: str) -> str:
    """A title or header as compared: NFKC, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeadingEntry(_Data):
    target: str
    words: tuple[str, ...]
    optional: bool = False
    """A field a newer Application may have (``applicant``): the entry is ignored until it exists."""

    @property
    def known(self) -> bool:
        target = self.target
        special = target == "skip" or target.startswith(("section.", "transition."))
        return special or is_application_field(target)

    @model_validator(mode="after")
    def _target(self) -> HeadingEntry:
        if not self.known and not self.optional:
            raise ValueError(f"unknown target {self.target!r}")
        return self


class Vocabulary(_Data):
    headings: tuple[HeadingEntry, ...]
    initiative_groups: dict[str, tuple[str, ...]]
    kpi_columns: dict[str, tuple[str, ...]]
    member_columns: dict[str, tuple[str, ...]]
    person_columns: dict[str, tuple[str, ...]]
    member_name_categories: dict[MemberCategory, tuple[str, ...]]
    municipality_suffixes: tuple[str, ...]
    boilerplate: tuple[str, ...]
    title_words: tuple[str, ...]
    iot_words: tuple[str, ...]
    dx_words: tuple[str, ...]
    kpi_sentence_note: str

    @field_validator("headings")
    @classmethod
    def _known_only(cls, value: tuple[HeadingEntry, ...]) -> tuple[HeadingEntry, ...]:
        return tuple(entry for entry in value if entry.known)

    @field_validator("kpi_sentence_note")
    @classmethod
    def _note(cls, value: str) -> str:
        if re.compile(value).groups != 2:
            raise ValueError("kpi_sentence_note needs two groups: the KPI's number and its sentence")
        return value

    def kpi_sentence(self, line: str) -> tuple[int, str] | None:
        """``(number, sentence)`` of a note dxlab writes below its KPI table, else ``None``."""
        match = re.match(self.kpi_sentence_note, line.strip(), re.DOTALL)
        if match is None:
            return None
        return int(unicodedata.normalize("NFKC", match.group(1))), match.group(2).strip()

    @field_validator("boilerplate")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            re.compile(pattern)
        return value

    def target_of(self, title: str) -> str | None:
        """The target a title names, or ``None`` when the vocabulary does not know it."""
        folded = key(title)
        if not folded:
            return None
        for entry in self.headings:
            if any(folded == key(word) for word in entry.words):
                return entry.target
        for entry in self.headings:
            if any(key(word) in folded for word in entry.words):
                return entry.target
        return None

    def is_word(self, title: str, target: str) -> bool:
        """Whether ``title`` is exactly one of the words of ``target`` (not merely contains one)."""
        folded = key(title)
        return any(e.target == target and any(folded == key(w) for w in e.words) for e in self.headings)

    def is_boilerplate(self, line: str) -> bool:
        text = unicodedata.normalize("NFKC", line).strip()
        return any(re.search(pattern, text) for pattern in self.boilerplate)


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded and validated once."""
    data = parse_yaml(_FILE.read_text(encoding="utf-8"))
    return Vocabulary.model_validate(data)
