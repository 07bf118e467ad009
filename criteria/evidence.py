"""Where the application says something: its sentences, field by field, and searching them.

Owns how a reviewer's reading of the whole application is modelled: every prose answer and every
record is split into sentences (``Passage``: a field path such as ``initiatives[1]`` and one
sentence), and a sub-requirement looks for its evidence among them, preferring its natural fields.
Matching is negation-aware (``criteria.normalize.mentions``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from criteria.application import Application
from criteria.normalize import mentions
from criteria.report import Evidence

_SENTENCE = re.compile(r"[^。！？!?\n\r]+[。！？!?]?")
_QUOTE_LIMIT = 80
#: A sentence longer than this is read in pieces (a pasted page with no 。 is still searchable).
_MAX_SENTENCE = 400
#: Fields read as prose, in the order a reviewer meets them in the 実施計画書.
PROSE_FIELDS: tuple[str, ...] = (
    "vision",
    "regional_issues",
    "customer_social_needs",
    "transformation",
    "self_reliance_scenario",
    "secretariat",
    "municipality_role",
    "continuity",
    "progress_management",
)


@dataclass(frozen=True, kw_only=True)
class Passage:
    """One sentence of the application and the field it stands in (``base``: the field without
    its index, ``initiatives[1]`` → ``initiatives``)."""

    field: str
    text: str
    base: str = ""

    def __post_init__(self) -> None:
        if not self.base:
            object.__setattr__(self, "base", self.field.split("[", 1)[0])

    def evidence(self) -> Evidence:
        line = " ".join(self.text.split()).rstrip("。．.")
        quote = line if len(line) <= _QUOTE_LIMIT else line[: _QUOTE_LIMIT - 1] + "…"
        return Evidence(field=self.field, quote=quote)


class Passages(tuple[Passage, ...]):
    """The passages of one application, with an index by field so a search of a few fields does
    not walk the whole application."""

    _by_field: dict[str, tuple[Passage, ...]]

    def of(self, fields: Sequence[str]) -> list[Passage]:
        """The passages of ``fields`` (bases or exact paths), in document order."""
        if not hasattr(self, "_by_field"):
            index: dict[str, list[Passage]] = {}
            for passage in self:
                index.setdefault(passage.base, []).append(passage)
                if passage.field != passage.base:
                    index.setdefault(passage.field, []).append(passage)
            self._by_field = {key: tuple(value) for key, value in index.items()}
        wanted = {id(p) for name in fields for p in self._by_field.get(name, ())}
        return [p for p in self if id(p) in wanted]



def sentences(text: str) -> list[str]:
    """The sentences of an answer (each at most ``_MAX_SENTENCE`` characters)."""
    out: list[str] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        while len(sentence) > _MAX_SENTENCE:
            cut = max(sentence.rfind("、", 0, _MAX_SENTENCE), sentence.rfind(" ", 0, _MAX_SENTENCE))
            cut = cut + 1 if cut > 0 else _MAX_SENTENCE
            out.append(sentence[:cut])
            sentence = sentence[cut:]
        if sentence:
            out.append(sentence)
    return out


def _record_text(*parts: str) -> str:
    return "。".join(part.strip() for part in parts if part.strip())


def passages(app: Application) -> Passages:
    """Every sentence of the application with its field, in the order of the 実施計画書."""
    out: list[Passage] = []

    def add(field: str, text: str) -> None:
        out.extend(Passage(field=field, text=s) for s in sentences(text))

    for name in PROSE_FIELDS[:4]:
        add(name, getattr(app, name))
    for i, item in enumerate(app.initiatives):
        add(f"initiatives[{i}]", _record_text(item.title, item.description))
    for name in PROSE_FIELDS[4:]:
        add(name, getattr(app, name))
    for i, person in enumerate(app.key_persons):
        add(f"key_persons[{i}]", _record_text(person.organization, person.name, person.role))
    for i, member in enumerate(app.members):
        add(f"members[{i}]", _record_text(member.name, member.role))
    for i, kpi in enumerate(app.kpis):
        add(f"kpis[{i}]", kpi.text or kpi.indicator)
    for name in ("open_data", "digital_talent", "data_platform"):
        add(f"other.{name}", getattr(app.other, name))
    return Passages(out)


def search(
    found: Iterable[Passage],
    keywords: Sequence[str] = (),
    *,
    fields: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    where: Callable[[str], bool] | None = None,
) -> list[Passage]:
    """The passages (optionally only of ``fields``, never of ``exclude``) that mention a keyword.

    ``where`` replaces or narrows the keyword test: a passage counts when it mentions a keyword
    (if any are given) and ``where(text)`` holds (if given).
    """
    out: list[Passage] = []
    candidates = found.of(fields) if fields is not None and isinstance(found, Passages) else found
    for passage in candidates:
        if fields is not None and passage.base not in fields and passage.field not in fields:
            continue
        if passage.base in exclude or passage.field in exclude:
            continue
        if keywords and not mentions(passage.text, keywords):
            continue
        if where is not None and not where(passage.text):
            continue
        out.append(passage)
    return out


def prefer(found: list[Passage], natural: Sequence[str]) -> list[Passage]:
    """The same passages, those of the natural fields first (order otherwise kept)."""
    return sorted(found, key=lambda p: 0 if (p.base in natural or p.field in natural) else 1)


def in_natural(found: Sequence[Passage], natural: Sequence[str]) -> bool:
    """Whether any of the passages stands in one of the natural fields."""
    return any(p.base in natural or p.field in natural for p in found)
