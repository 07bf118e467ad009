"""Full-text search over the FAQ with SQLite FTS5 (trigram tokenizer) and a LIKE fallback.

Owns finding the best FAQ entries for a question as people type it. The entries
(``criteria.faq``) are indexed once in an in-memory SQLite database: question, other phrasings
and keywords, and the answer, each NFKC-normalised and case-folded like the query.

- A query of three characters or more becomes an OR of its trigrams (trigrams made only of
  hiragana — particles and endings such as 「ますか」 — are left out when anything else is left),
  ranked with bm25 (question and phrasings weigh more than the answer). A candidate must also cover
  enough of the query's trigrams, so a question about something else finds nothing rather than
  an entry sharing one word.
- A shorter query (「補助」「面談」) is a LIKE substring search, question first.
- Without FTS5's trigram tokenizer (SQLite < 3.34) the same ranking runs on LIKE matches.
- A query is read up to ``MAX_QUERY_CHARS`` characters (a question is a sentence or two; a pasted
  page adds nothing to finding it), and every step is linear in what is read.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from criteria.faq import FaqEntry, SearchText, search_text
from criteria.normalize import fold

MIN_TRIGRAM_QUERY = 3
MAX_QUERY_CHARS = 500
MIN_COVERAGE = 0.4
RELATIVE_FLOOR = 0.6  # answers shown after the first must score at least this share of it
_CANDIDATES = 30
_WEIGHTS = (10.0, 8.0, 1.0)  # bm25 weights: question, variants (phrasings + keywords), answer
_SEPARATORS = re.compile(r"[\s\W_]+", re.UNICODE)
_HIRAGANA = re.compile(r"^[\u3041-\u309f]+$")
_HIRAGANA_RUN = re.compile(r"[\u3041-\u309f]+")


@dataclass(frozen=True, kw_only=True)
class FaqHit:
    """One answer found: the entry id, how well it matched (higher is better) and how it was found."""

    id: str
    score: float
    method: Literal["fts", "like"]


def trigram_available() -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer (SQLite ≥ 3.34)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()
    return True


def segments(query: str) -> list[str]:
    """The query normalised (NFKC, folded) and cut at spaces and punctuation."""
    return [part for part in _SEPARATORS.split(fold(query)) if part]


def query_trigrams(query: str) -> list[str]:
    """The distinct trigrams of the query, without all-hiragana ones when others exist.

    Linear in the query: distinct grams are kept in a dict (insertion order), not searched in a list.
    """
    found: dict[str, None] = {}
    for part in segments(query):
        for start in range(len(part) - 2):
            found.setdefault(part[start : start + 3])
    grams = list(found)
    content = [g for g in grams if not _HIRAGANA.match(g)]
    return content or grams


def content_words(query: str) -> list[str]:
    """Runs of two or more characters that are not hiragana: 「KPIの書き方」 → ``["kpi"]``."""
    found: dict[str, None] = {}
    for part in segments(query):
        for word in _HIRAGANA_RUN.split(part):
            if len(word) >= 2:
                found.setdefault(word)
    return list(found)


def _covered(terms: Sequence[str], text: SearchText) -> float:
    """The share of ``terms`` the entry contains: in its phrasings fully, in its answer half."""
    if not terms:
        return 0.0
    asked = text.question + "\n" + text.variants
    total = 0.0
    for term in terms:
        if term in asked:
            total += 1.0
        elif term in text.answer:
            total += 0.5
    return total / len(terms)


def _coverage(grams: Sequence[str], words: Sequence[str], text: SearchText) -> tuple[float, float]:
    """How much of the query the entry covers: (the more of trigrams and words, their mean)."""
    by_grams, by_words = _covered(grams, text), _covered(words, text) if words else _covered(grams, text)
    return max(by_grams, by_words), (by_grams + by_words) / 2


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class FaqIndex:
    """The FAQ entries in an in-memory FTS5 index."""

    def __init__(self, entries: Sequence[FaqEntry], *, use_fts: bool | None = None) -> None:
        self._order = {item.id: n for n, item in enumerate(entries)}
        self._texts = {item.id: search_text(item) for item in entries}
        self.uses_fts = trigram_available() if use_fts is None else use_fts
        self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        table = (
            "CREATE VIRTUAL TABLE faq USING fts5(id UNINDEXED, question, variants, answer, "
            "tokenize='trigram')"
            if self.uses_fts
            else "CREATE TABLE faq (id TEXT PRIMARY KEY, question TEXT, variants TEXT, answer TEXT)"
        )
        self._conn.execute(table)
        self._conn.executemany(
            "INSERT INTO faq (id, question, variants, answer) VALUES (?, ?, ?, ?)",
            [(t.id, t.question, t.variants, t.answer) for t in self._texts.values()],
        )

    def close(self) -> None:
        self._conn.close()

    def search(self, query: str, *, limit: int = 3) -> list[FaqHit]:
        """The best entries for ``query``, best first; empty when nothing matches well enough.

        Only the first ``MAX_QUERY_CHARS`` characters are read.
        """
        query = query[:MAX_QUERY_CHARS]
        text = "".join(segments(query))
        if not text:
            return []
        if len(text) < MIN_TRIGRAM_QUERY:
            return self._short(text, limit)
        grams = query_trigrams(query)
        words = content_words(query)
        short_words = [w for w in words if len(w) < MIN_TRIGRAM_QUERY]
        if self.uses_fts:
            ranked = dict(self._like_candidates(short_words))
            ranked.update(self._fts_candidates(grams))
        else:
            ranked = dict(self._like_candidates([*grams, *short_words]))
        hits: list[tuple[float, float, int, str]] = []
        for entry_id, rank in ranked.items():
            best, mean = _coverage(grams, words, self._texts[entry_id])
            if best >= MIN_COVERAGE:
                hits.append((-mean, rank, self._order[entry_id], entry_id))
        hits.sort()
        if hits:
            floor = -hits[0][0] * RELATIVE_FLOOR
            hits = [h for h in hits if -h[0] >= floor]
        method: Literal["fts", "like"] = "fts" if self.uses_fts else "like"
        return [FaqHit(id=h[3], score=round(-h[0], 3), method=method) for h in hits[:limit]]

    def _fts_candidates(self, grams: Sequence[str]) -> list[tuple[str, float]]:
        if not grams:
            return []
        match = " OR ".join(_quote(g) for g in grams)
        rows = self._conn.execute(
            f"SELECT id, bm25(faq, 0.0, {_WEIGHTS[0]}, {_WEIGHTS[1]}, {_WEIGHTS[2]}) AS rank "
            "FROM faq WHERE faq MATCH ? ORDER BY rank LIMIT ?",
            (match, _CANDIDATES),
        ).fetchall()
        return [(str(r[0]), float(r[1])) for r in rows]

    def _like_candidates(self, grams: Sequence[str]) -> list[tuple[str, float]]:
        found: dict[str, float] = {}
        for gram in grams:
            rows = self._conn.execute(
                "SELECT id FROM faq WHERE question LIKE ? ESCAPE '\\' OR variants LIKE ? ESCAPE '\\' "
                "OR answer LIKE ? ESCAPE '\\'",
                (_like(gram),) * 3,
            ).fetchall()
            for (entry_id,) in rows:
                found[str(entry_id)] = found.get(str(entry_id), 0.0) - 1.0
        return list(found.items())

    def _short(self, text: str, limit: int) -> list[FaqHit]:
        pattern = _like(text)
        rows = self._conn.execute(
            "SELECT id, CASE WHEN question LIKE ?1 ESCAPE '\\' THEN 0 "
            "WHEN variants LIKE ?1 ESCAPE '\\' THEN 1 ELSE 2 END AS place FROM faq "
            "WHERE question LIKE ?1 ESCAPE '\\' OR variants LIKE ?1 ESCAPE '\\' "
            "OR answer LIKE ?1 ESCAPE '\\'",
            (pattern,),
        ).fetchall()
        ordered = sorted(rows, key=lambda r: (int(r[1]), self._order[str(r[0])]))
        return [FaqHit(id=str(r[0]), score=1.0 - int(r[1]) / 4, method="like") for r in ordered[:limit]]
