"""The eligibility questionnaire: answer sets → verdicts with cited reasons; dxlab eligibility."""

from __future__ import annotations

import io
import itertools
import json
import sys
from pathlib import Path

import pytest

from bot.cli import main
from criteria import eligibility_questionnaire as eq
from criteria.application import Application
from criteria.seed import passages

BASE = {
    "secretariat": ("municipality",),
    "municipality": ("consented",),
    "types": ("project",),
    "joint": ("no",),
    "municipal_dx": ("no",),
    "data_platform": ("no",),
}

TABLE = [  # changes to BASE → verdict, rules that must be among the reasons
    ({}, "eligible", {"municipal_secretariat", "types_ok", "data_platform_optional"}),
    ({"secretariat": ("other",)}, "eligible", {"other_secretariat_consented"}),
    ({"secretariat": ("other",), "municipality": ("member",)}, "confirm", {"other_secretariat_no_consent"}),
    ({"secretariat": ("other",), "municipality": ("none",)}, "not_yet", {"no_municipality"}),
    ({"secretariat": ("other",), "municipality": ("unknown",)}, "confirm", {"municipality_unknown"}),
    ({"secretariat": ("undecided",), "municipality": ("member",)}, "confirm", {"undecided_secretariat"}),
    ({"secretariat": ("undecided",), "municipality": ("none",)}, "not_yet", {"no_municipality"}),
    ({"types": ("project", "company_support")}, "eligible", {"types_ok"}),
    ({"types": ("company_support",)}, "eligible", {"types_ok"}),
    ({"types": ("none",)}, "not_yet", {"types_none"}),
    ({"types": ("unknown",)}, "confirm", {"types_unknown"}),
    ({"joint": ("yes",)}, "eligible", {"joint_allowed"}),
    ({"municipal_dx": ("yes",)}, "eligible", {"municipal_dx_allowed"}),
    ({"data_platform": ("yes",)}, "eligible", {"data_platform_bonus"}),
    (
        {"secretariat": ("other",), "municipality": ("none",), "types": ("unknown",)},
        "not_yet",
        {"no_municipality", "types_unknown"},
    ),
]

LABELS = {
    "eligible": "対象になります",
    "confirm": "事務局に確認してください",
    "not_yet": "まだ要件を満たしていません",
}


@pytest.mark.parametrize(("change", "status", "rules"), TABLE)
def test_answer_sets_give_verdicts_with_cited_reasons(
    change: dict[str, tuple[str, ...]], status: str, rules: set[str]
) -> None:
    verdict = eq.evaluate(BASE | change)
    assert verdict.status == status
    assert verdict.label == LABELS[status]
    assert rules <= {r.rule for r in verdict.reasons}
    for reason in verdict.reasons:
        assert reason.citations
        for citation in reason.citations:
            assert citation.text
            if citation.kind == "seed":
                assert passages()[citation.id] == citation.text


def test_never_penalised_joint_municipal_dx_or_no_data_platform() -> None:
    """Across every answer set, these three answers never change the verdict."""
    grid = [q.values() for q in eq.questions() if q.id in ("secretariat", "municipality", "types")]
    for sec, mun, typ in itertools.product(*grid):
        statuses = {
            eq.evaluate(
                {"secretariat": (sec,), "municipality": (mun,), "types": (typ,)}
                | {"joint": (j,), "municipal_dx": (d,), "data_platform": (p,)}
            ).status
            for j, d, p in itertools.product(("yes", "no"), repeat=3)
        }
        assert len(statuses) == 1, (sec, mun, typ, statuses)


def test_the_seed_policies_are_cited_for_the_never_penalised_answers() -> None:
    verdict = eq.evaluate(BASE | {"joint": ("yes",), "municipal_dx": ("yes",), "data_platform": ("no",)})
    refs = {c.ref for r in verdict.reasons for c in r.citations}
    assert {"seed:joint_application", "seed:municipal_dx", "seed:data_platform_policy"} <= refs


def test_unanswered_questions_never_give_eligible() -> None:
    assert eq.evaluate({"secretariat": ("municipality",)}).status == "confirm"
    assert eq.evaluate({}).status == "confirm"
    with pytest.raises(ValueError):
        eq.evaluate({"joint": ("maybe",)})


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("secretariat", "1", ("municipality",)),
        ("secretariat", "自治体", ("municipality",)),
        ("secretariat", "みなと市 産業振興部", ("municipality",)),
        ("secretariat", "みなと商工会議所", ("other",)),
        ("secretariat", "未定", ("undecided",)),
        ("municipality", "２", ("member",)),
        ("municipality", "同意済み", ("consented",)),
        ("types", "1,2", ("project", "company_support")),
        ("types", "①・②", ("project", "company_support")),
        ("types", "2、1", ("company_support", "project")),
        ("types", "company_support", ("company_support",)),
        ("joint", "はい", ("yes",)),
        ("joint", "YES", ("yes",)),
        ("data_platform", "いいえ", ("no",)),
        ("joint", "たぶん", None),
        ("types", "1,9", None),
        ("joint", "", None),
    ],
)
def test_typed_answers(question: str, text: str, expected: tuple[str, ...] | None) -> None:
    assert eq.parse_answer(question, text) == expected


def test_next_question_walks_in_order() -> None:
    answers: dict[str, tuple[str, ...]] = {}
    seen = []
    while (item := eq.next_question(answers)) is not None:
        seen.append(item.id)
        answers[item.id] = (item.values()[0],)
    assert seen == ["secretariat", "municipality", "types", "joint", "municipal_dx", "data_platform"]


def test_answers_from_a_draft() -> None:
    full = Application.model_validate_json(
        (Path(__file__).parents[1] / "fixtures" / "full_application.json").read_text(encoding="utf-8")
    )
    found = eq.answers_from_application(full)
    assert found["secretariat"] == ("municipality",)
    assert found["types"]
    chamber = Application(
        secretariat="みなと商工会議所",
        members=[{"name": "みなと市", "category": "自治体"}],  # type: ignore[list-item]
    )
    assert eq.answers_from_application(chamber)["municipality"] == ("member",)
    no_city = Application(secretariat="みなと商工会議所", members=[{"name": "A社", "category": "企業"}])  # type: ignore[list-item]
    assert eq.answers_from_application(no_city)["municipality"] == ("none",)


OPTIONS = [
    "eligibility", "--secretariat", "municipality", "--municipality", "member", "--types", "1,2",
    "--joint", "yes", "--municipal-dx", "yes", "--data-platform", "no",
]  # fmt: skip


def test_cli_options_give_the_verdict_without_asking(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(OPTIONS) == 0
    out = capsys.readouterr().out
    assert out.startswith("判定: 対象になります")
    assert "地域間の連携申請もできます" in out
    assert "根拠: 検討会とりまとめ「自治体のDXも入ることを公募要領に明記する。」" in out
    assert "【1/6】" not in out


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*OPTIONS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "eligible" and data["label"] == "対象になります"
    assert data["answers"]["types"] == ["project", "company_support"]
    assert all(r["sources"] for r in data["reasons"])


def test_cli_non_tty_one_answer_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO("みなと商工会議所\n2\n1,2\nはい\nわからん\nいいえ\nいいえ\n")
    )
    assert main(["eligibility"]) == 0
    out = capsys.readouterr().out
    assert "【1/6】ラボの事務局はどこが担いますか？" in out
    assert "「わからん」は選択肢にありません" in out
    assert "判定: 事務局に確認してください" in out
    assert "申請への同意がまだ確認できていません" in out


def test_cli_some_options_then_the_rest_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("no\nno\n"))
    assert main(OPTIONS[:9]) == 0  # secretariat, municipality, types, joint given
    out = capsys.readouterr().out
    assert "【5/6】" in out and "【4/6】" not in out
    assert "判定: 対象になります" in out


def test_cli_input_ends_early_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n"))
    assert main(["eligibility"]) == 2
    assert "回答が足りない" in capsys.readouterr().err


def test_cli_bad_option_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eligibility", "--joint", "maybe"]) == 2
    err = capsys.readouterr().err
    assert "--joint" in err and "yes, no" in err and "Traceback" not in err
