"""The FAQ: data (≥20 entries, every source exists), search (FTS5 trigram, LIKE), dxlab faq."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from criteria import faq
from criteria.public_facts import cite, facts
from criteria.seed import is_quoted, passages
from storage.faq_index import FaqIndex, query_trigrams, trigram_available

TOPICS = {  # what the issue asks the FAQ to cover → the entry that covers it
    "data platform optional": "data_platform_required",
    "not only hardware": "data_platform_not_only_hardware",
    "municipal DX included": "municipal_dx",
    "joint applications allowed": "joint_application",
    "構成員 rather than 実施主体": "members_not_implementing_body",
    "2–3 year transition": "transition_period",
    "document and interview review": "review_method",
    "same documents": "transition_same_documents",
    "benefits": "benefits",
    "no grant": "no_grant",
    "all-year applications": "all_year",
    "several applications per municipality": "several_applications",
}

FIRST = [
    ("データ連携基盤は必須？", "data_platform_required"),
    ("2つの市で一緒に申請できますか", "joint_application"),
    ("自治体のDXは対象？", "municipal_dx"),
    ("補助金はありますか", "no_grant"),
    ("いつ申請できますか", "all_year"),
    ("締め切りはいつ？", "all_year"),
    ("移行期間は何年？", "transition_period"),
    ("面談はありますか", "review_method"),
    ("移行の場合も新規と同じ書類ですか", "transition_same_documents"),
    ("選定されるメリットは？", "benefits"),
    ("同じ市から2件申請できますか", "several_applications"),
    ("実施主体とは", "members_not_implementing_body"),
    ("商工会議所が事務局でも申請できますか", "who_applies"),
    ("ＫＰＩの書き方", "kpi"),
    ("ﾃﾞｰﾀ連携基盤はハードウェアのこと？", "data_platform_not_only_hardware"),
]


@pytest.fixture(params=["fts", "like"])
def index(request: pytest.FixtureRequest) -> FaqIndex:
    if request.param == "fts" and not trigram_available():
        pytest.skip("SQLite without the FTS5 trigram tokenizer")
    return FaqIndex(faq.entries(), use_fts=request.param == "fts")


def test_at_least_twenty_entries_each_with_sources_that_exist() -> None:
    entries = faq.entries()
    assert len(entries) >= 20
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert entry.sources, entry.id
        for citation in entry.citations():
            if citation.kind == "seed":
                assert citation.id in passages() and is_quoted(citation.text)
            else:
                assert citation.id in facts()


def test_the_topics_of_the_issue_are_covered() -> None:
    ids = {e.id for e in faq.entries()}
    assert set(TOPICS.values()) <= ids


def test_unknown_source_is_rejected_at_load() -> None:
    with pytest.raises(ValueError):
        faq.FaqEntry(id="x", question="q", answer="a", sources=("seed:no_such_passage",))
    with pytest.raises(ValueError):
        cite("fact:no_such_fact")
    with pytest.raises(ValueError):
        faq.FaqEntry(id="x", question="q", answer="a", sources=())


def test_folded_yaml_leaves_no_space_between_japanese_lines() -> None:
    assert "審査の視点では「その他」" in faq.entry("data_platform_required").answer
    assert "dxlab chat で" in faq.entry("application_contents").answer


def test_trigram_tokenizer_is_used_when_available() -> None:
    assert FaqIndex(faq.entries()).uses_fts == trigram_available()


@pytest.mark.parametrize(("query", "expected"), FIRST)
def test_the_right_entry_comes_first(index: FaqIndex, query: str, expected: str) -> None:
    hits = index.search(query)
    assert hits, query
    assert hits[0].id == expected


@pytest.mark.parametrize("query", ["面談", "補助", "ＤＸ", "KPI"])
def test_short_queries_use_like(index: FaqIndex, query: str) -> None:
    hits = index.search(query)
    assert hits
    if len(query) < 3:
        assert hits[0].method == "like"


def test_two_character_query_finds_the_entry(index: FaqIndex) -> None:
    assert index.search("面談")[0].id == "review_method"
    assert index.search("補助")[0].id == "no_grant"


@pytest.mark.parametrize(
    "query",
    [
        "ふがふがほげほげ",
        "ラーメンの美味しい店はありますか",
        "天気はどうですか",
        "qwertyuiop",
        "",
        "？？",
        "%_",
    ],
)
def test_nonsense_finds_nothing(index: FaqIndex, query: str) -> None:
    assert index.search(query) == []


def test_hostile_queries_do_not_break_the_match_syntax(index: FaqIndex) -> None:
    for query in ['"OR" AND NOT *', "a' OR 1=1 --", "\x00\ud800データ", "x" * 5000, "NEAR(補助金)"]:
        index.search(query)


def test_particles_are_not_search_terms() -> None:
    assert "ますか" not in query_trigrams("補助金はありますか")
    assert query_trigrams("ありますか") == ["ありま", "ります", "ますか"]  # nothing else left


def test_cli_shows_answers_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "データ連携基盤は必須？"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.index("データ連携基盤の整備は必須ですか") < out.index("データ連携基盤とは")
    assert "根拠: 検討会とりまとめ「制度の目的ではなく" in out


def test_cli_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "補助金はありますか", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "補助金はありますか"
    first = data["answers"][0]
    assert {"id", "question", "answer", "source"} <= set(first)
    assert first["id"] == "no_grant"
    assert "補助金" in first["source"]


def test_cli_no_match_says_whom_to_ask(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "ラーメンの美味しい店"]) == 0
    out = capsys.readouterr().out
    assert "見つかりませんでした" in out and "事務局（IPA）" in out
    assert "http" not in out and "0120" not in out
    assert main(["faq", "ラーメン", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == []


def test_cli_empty_query_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "  "]) == 2
    assert "質問を入力してください" in capsys.readouterr().err
