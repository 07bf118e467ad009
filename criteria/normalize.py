"""Japanese text normalisation for the checks: numbers, 和暦 years and negation-aware keywords.

Owns how the checks read Japanese as people type it:

- ``normalize``: NFKC (full-width digits, letters and commas become ASCII: １，２００ → 1,200) and
  thousands separators removed between digits (1,200 → 1200).
- ``parse_number``: arabic, kanji (百五十, 二千, 十二万) and mixed (1万2千, 1.5万) numerals, with
  the kanjize library for kanji and exact decimals for 1.5万 / 1.15億.
- ``find_years`` / ``parse_year``: 令和9年度, R10年度, 令和九年, 令和元年, H31, 2028年3月, FY2028
  → western year, fiscal-year flag (年度 → True, 年 → False, neither → None) and month.
- ``mentions``: whether a text mentions a keyword in a clause that is not negated
  (「ウェルビーイングは対象外」 does not mention ウェルビーイング). The negation phrases are data
  (``negation.yaml``); the clause rule is here.

Nothing here raises on odd input: any ``str`` (control characters, lone surrogates, 20,000
characters) is read or ignored.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kanjize import kanji2number
from pydantic import field_validator

from criteria.data import DataModel, load
from criteria.eras import era_by_name, to_western

# --- text -----------------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@functools.lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """NFKC, then thousands separators removed: ``"２，０００人"`` → ``"2000人"``."""
    return _THOUSANDS.sub("", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=2048)
def fold(text: str) -> str:
    """``normalize`` then case folding: the form keywords are compared in (QOL = qol)."""
    return normalize(text).casefold()


# --- numbers --------------------------------------------------------------------------------------

KANJI_DIGITS = "〇零一二三四五六七八九"
_SMALL_UNITS = "十百千"
_LARGE_UNITS = "万億兆"
_SCALE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "億": 10**8, "兆": 10**12}

#: A number as written in a sentence: starts with a digit (arabic or kanji, or 十百千), may mix in
#: kanji units and one decimal point (1.5万, 1万2千, 十二万, 二〇二八). 万/億 alone are not numbers.
NUMBER_PATTERN = (
    rf"(?:[0-9]+(?:\.[0-9]+)?|[{KANJI_DIGITS}{_SMALL_UNITS}])"
    rf"(?:[0-9{KANJI_DIGITS}{_SMALL_UNITS}{_LARGE_UNITS}]|\.(?=[0-9]))*"
)
_NUMBER = re.compile(NUMBER_PATTERN)
_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DECIMAL_SCALED = re.compile(rf"([0-9]+\.[0-9]+)([{_SMALL_UNITS}{_LARGE_UNITS}]+)")
_MAX_NUMBER_CHARS = 40


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(text: str) -> int | float | None:
    """The number written in ``text`` (the whole text), or ``None``.

    ``"1,200"``, ``"１，２００"`` → 1200; ``"百五十"`` → 150; ``"十二万"`` → 120000;
    ``"1万2千"`` → 12000; ``"1.5万"`` → 15000; ``"2.5"`` → 2.5; ``"万全"`` → None.
    """
    token = "".join(normalize(text).split())
    if not token or len(token) > _MAX_NUMBER_CHARS or not _NUMBER.fullmatch(token):
        return None
    try:
        if _ARABIC.fullmatch(token):
            return _plain(Decimal(token))
        scaled = _DECIMAL_SCALED.fullmatch(token)
        if scaled is not None:
            factor = 1
            for unit in scaled.group(2):
                factor *= _SCALE[unit]
            return _plain(Decimal(scaled.group(1)) * factor)
        if "." in token:
            return None
        return int(kanji2number(token))
    except (ValueError, ArithmeticError, InvalidOperation, KeyError, IndexError, AttributeError, TypeError):
        return None


def number_spans(text: str) -> Iterable[re.Match[str]]:
    """Where numbers may be in an already ``normalize``-d text (candidates for ``parse_number``)."""
    return _NUMBER.finditer(text)


# --- years ----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class YearRef:
    """A year found in a text.

    ``year`` is western; ``fiscal`` is True for 年度 / FY, False for 年, None when the text says
    neither (H31, R10). ``month`` is set for 2028年3月 / R10.3. ``start``/``end`` index the
    ``normalize``-d text.
    """

    year: int
    fiscal: bool | None
    month: int | None
    start: int
    end: int


_KANJI_YEAR = f"[{KANJI_DIGITS}十]{{1,4}}"
_MONTH = rf"(?:\s*(?P<month>[0-9]{{1,2}}|[{KANJI_DIGITS}十]{{1,3}})\s*月(?:\s*[0-9]{{1,2}}\s*日)?)?"
_YEAR_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 令和9年度 / 令和九年 / 令和元年 / 平成31年3月
    re.compile(
        rf"(?P<era>令和|平成|昭和|大正|明治)\s*(?P<year>元|[0-9]{{1,3}}|{_KANJI_YEAR})"
        rf"(?:\s*(?P<suffix>年度|年){_MONTH})?"
    ),
    # R10年度 / H31 / R6.4 (a letter era needs digits and nothing alphanumeric right after)
    re.compile(
        r"(?<![A-Za-z0-9])(?P<era>[RHSTMrhstm])\s*(?P<year>元|[0-9]{1,2})"
        r"(?:\s*(?P<suffix>年度|年)" + _MONTH + r"|(?:[./](?P<month2>[0-9]{1,2})(?:[./][0-9]{1,2})?)?"
        r"(?![0-9A-Za-z]))"
    ),
    # FY2028
    re.compile(r"(?<![A-Za-z])(?P<fy>FY|fy|Fy)\s*(?P<year>(?:19|20|21)[0-9]{2})(?![0-9])"),
    # 2028年度 / 2030年 / 2028年3月末 / 2028/3 / 2030まで
    re.compile(
        r"(?<![0-9.])(?P<year>(?:19|20|21)[0-9]{2})"
        r"(?:\s*(?P<suffix>年度|年)" + _MONTH + r"|[./-](?P<month2>[0-9]{1,2})(?:[./-][0-9]{1,2})?(?![0-9])"
        r"|(?=\s*(?:まで|迄)))"
    ),
)


def _small_int(text: str) -> int | None:
    if text == "元":
        return 1
    value = parse_number(text)
    return value if isinstance(value, int) else None


def _year_ref(match: re.Match[str]) -> YearRef | None:
    groups = match.groupdict()
    number = _small_int(groups["year"])
    if number is None:
        return None
    era_name = groups.get("era")
    if era_name is not None:
        era = era_by_name(era_name)
        if era is None or number < 1:
            return None
        year = to_western(era, number)
    else:
        year = number
    suffix = groups.get("suffix")
    fiscal: bool | None = True if groups.get("fy") else (None if suffix is None else suffix == "年度")
    month_text = groups.get("month") or groups.get("month2")
    month = _small_int(month_text) if month_text else None
    if month is not None and not 1 <= month <= 12:
        month = None
    return YearRef(year=year, fiscal=fiscal, month=month, start=match.start(), end=match.end())


def find_years(text: str) -> list[YearRef]:
    """Every year in ``text``, in order, without overlaps (positions index ``normalize(text)``)."""
    normal = normalize(text)
    found: list[YearRef] = []
    for pattern in _YEAR_PATTERNS:
        for match in pattern.finditer(normal):
            ref = _year_ref(match)
            if ref is not None:
                found.append(ref)
    found.sort(key=lambda ref: (ref.start, -ref.end))
    kept: list[YearRef] = []
    for ref in found:
        if not kept or ref.start >= kept[-1].end:
            kept.append(ref)
    return kept


def parse_year(text: str) -> YearRef | None:
    """The first year written in ``text``: 令和9年度 → 2027 (fiscal), R10年度 → 2028 (fiscal)."""
    years = find_years(text)
    return years[0] if years else None


# --- negation-aware keywords ----------------------------------------------------------------------


class NegationFile(DataModel):
    """``negation.yaml``: phrases that negate a keyword's clause, false friends, "none" answers."""

    anywhere: tuple[str, ...]
    at_end: tuple[str, ...]
    not_negations: tuple[str, ...]
    none_answers: tuple[str, ...]

    @field_validator("anywhere", "at_end", "not_negations", "none_answers")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in value):
            raise ValueError("entries must be non-empty strings")
        return value


def _alternation(items: Iterable[str]) -> str:
    folded = sorted({fold(item) for item in items}, key=len, reverse=True)
    return "|".join(re.escape(item) for item in folded)


_RULES = load("negation.yaml", NegationFile)
_NEGATION_ANYWHERE = re.compile(_alternation(_RULES.anywhere))
_NEGATION_AT_END = re.compile(
    f"(?:{_alternation(_RULES.at_end)})" r"(?=\s*(?:です|でした|とする|とします|となる|となります|[)）]|$))"
)
_NOT_NEGATIONS = re.compile(_alternation(_RULES.not_negations))
_NONE_ANSWERS = frozenset(fold(item) for item in _RULES.none_answers)

_SENTENCE_END = re.compile(r"[。!?\n\r;]")
_COMMA = re.compile(r"[、,]")
_PUNCT = re.compile(r"[\s、,。.!?:;・「」『』()（）\[\]【】\"'※*]+")
_MAX_SCOPE = 60


def _hiragana(text: str) -> int:
    return sum(1 for ch in text if "ぁ" <= ch <= "ゖ")


def _clause_after(text: str, end: int) -> str:
    """The rest of a keyword's clause: up to the sentence end, or an earlier 「、」 after a predicate.

    A comma right after a noun list (「経済、雇用、ウェルビーイングは行わない」) does not end the
    clause; one after a predicate (「経済の発展を目指し、ウェルビーイングは対象外」) does, which is
    taken to be two or more hiragana since the keyword. The clause is capped at 60 characters.
    """
    limit = min(len(text), end + _MAX_SCOPE)
    sentence = _SENTENCE_END.search(text, end, limit)
    stop = sentence.start() if sentence else limit
    for comma in _COMMA.finditer(text, end, stop):
        if _hiragana(text[end : comma.start()]) >= 2:
            stop = comma.start()
            break
    return text[end:stop]


def _negated(clause: str) -> bool:
    masked = _NOT_NEGATIONS.sub("＿", clause)
    return bool(_NEGATION_ANYWHERE.search(masked) or _NEGATION_AT_END.search(masked))


@functools.lru_cache(maxsize=512)
def _folded_keywords(keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((keyword, fold(keyword)) for keyword in keywords if keyword.strip())


def _first_positive(text: str, key: str) -> bool:
    start = 0
    while True:
        index = text.find(key, start)
        if index < 0:
            return False
        if not _negated(_clause_after(text, index + len(key))):
            return True
        start = index + 1


@functools.lru_cache(maxsize=512)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the folded keywords, longest first (one scan a text, not one a keyword)."""
    folded = sorted({key for _, key in _folded_keywords(keywords)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in folded)) if folded else None


def _any_positive(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether some occurrence of the pattern stands in a clause that is not negated."""
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return False
        if not _negated(_clause_after(text, match.end())):
            return True
        position = match.start() + 1


def matched(text: str, keywords: Iterable[str]) -> tuple[str, ...]:
    """The keywords (as given) that ``text`` mentions in a clause that is not negated."""
    if not text:
        return ()
    folded = fold(text)
    return tuple(
        keyword for keyword, key in _folded_keywords(tuple(keywords)) if _first_positive(folded, key)
    )


def mentions(text: str, keywords: Iterable[str]) -> bool:
    """Whether ``text`` mentions one of ``keywords`` in a clause that is not negated.

    Comparison is after NFKC and case folding. 「ウェルビーイングは対象外」「電子化ではなく」
    「データ連携基盤の整備は行わない」「オープンデータ: なし」 do not count;
    「経済発展だけでなくウェルビーイングも」 counts both.
    """
    if not text:
        return False
    return _mentions(text, keywords if isinstance(keywords, tuple) else tuple(keywords))


@functools.lru_cache(maxsize=16384)
def _mentions(text: str, keywords: tuple[str, ...]) -> bool:
    """``mentions`` remembered per (sentence, keyword list): a draft's sentences are read by several
    sub-requirements and, in the dialog, again at every answer."""
    pattern = _keyword_pattern(keywords)
    return pattern is not None and _any_positive(fold(text), pattern)


def is_none_answer(text: str) -> bool:
    """Whether the whole answer means "nothing": 「なし」「特になし」「該当なし」「-」."""
    key = _PUNCT.sub("", fold(text))
    return key in _NONE_ANSWERS or (key == "" and text.strip() != "")


def is_substantive(text: str) -> bool:
    """Whether an answer says something: not blank, not a "none" answer, not only negated sentences."""
    if not text.strip() or is_none_answer(text):
        return False
    return any(clause.strip() and not _negated(clause) for clause in _clauses(fold(text)))


def _clauses(text: str) -> Iterable[str]:
    """Sentences split further at each 「、」 that follows a predicate (see ``_clause_after``)."""
    for sentence in _SENTENCE_END.split(text):
        start = counted = hiragana = 0
        for comma in _COMMA.finditer(sentence):
            hiragana += _hiragana(sentence[counted : comma.start()])
            counted = comma.start()
            if hiragana >= 2:
                yield sentence[start : comma.start()]
                start = counted = comma.end()
                hiragana = 0
        yield sentence[start:]
