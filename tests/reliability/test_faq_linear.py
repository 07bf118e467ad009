"""``dxlab faq`` costs time linear in the query, and the query is capped (issue 14 item 7).

A 100,000-character query took 37 s (distinct trigrams collected in a list: quadratic).
"""

from __future__ import annotations

import random
import time

import pytest

from bot.cli import main
from criteria.faq import entries
from storage.faq_index import MAX_QUERY_CHARS, FaqIndex, query_trigrams


def _kanji(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(n))


def _seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def test_trigrams_of_a_long_text_are_collected_in_linear_time() -> None:
    text = _kanji(100_000)
    assert _seconds(lambda: query_trigrams(text)) < 1.0


def test_a_100000_character_query_answers_within_a_second() -> None:
    index = FaqIndex(entries())
    try:
        assert _seconds(lambda: index.search(_kanji(100_000))) < 1.0
        assert _seconds(lambda: index.search("あ" * 100_000)) < 1.0
    finally:
        index.close()


def test_the_cap_keeps_a_long_question_answerable() -> None:
    index = FaqIndex(entries())
    try:
        asked = "補助金はありますか"
        padded = asked + "。" + _kanji(100_000)
        assert [h.id for h in index.search(asked)][:1] == [h.id for h in index.search(padded)][:1]
        assert MAX_QUERY_CHARS >= 200
    finally:
        index.close()


def test_cli_faq_with_a_huge_query(capsys: pytest.CaptureFixture[str]) -> None:
    seconds = _seconds(lambda: main(["faq", _kanji(100_000)]))
    assert seconds < 2.0
    assert "Traceback" not in capsys.readouterr().err
