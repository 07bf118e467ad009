"""Block Kit builders stay within what Slack accepts, whatever the user typed."""

from __future__ import annotations

import argparse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from dialogs.engine import Engine
from dialogs.events import Command, Start, Text
from dialogs.flow import default_flow
from dialogs.replies import Review, ReviewItem, ReviewSection
from dialogs.state import DialogState
from renderers.messages import keys, message
from renderers.slack.blocks import render_messages
from renderers.slack.limits import mrkdwn_escape, shorten, split_text
from renderers.slack.views import record_modal
from tests.slack.fake_slack import block_errors, view_errors


def _check(messages: list) -> None:
    for m in messages:
        assert block_errors(list(m.blocks), 50) is None, block_errors(list(m.blocks), 50)
        assert len(m.text) <= 40_000


def test_escape_and_shorten() -> None:
    assert mrkdwn_escape("<!channel> A&B <@U1>") == "&lt;!channel&gt; A&amp;B &lt;@U1&gt;"
    assert shorten("abc", 3) == "abc"
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("ab&amp;", 6) == "ab…"  # never cut inside an entity
    assert all(len(p) <= 10 for p in split_text("a" * 25 + "\nb\nc" * 20, 10))


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=5000), st.integers(min_value=1, max_value=80))
def test_a_huge_review_is_split_into_valid_messages(value: str, count: int) -> None:
    items = tuple(ReviewItem(f"s{i}", f"質問{i}", value * 3, "answered", "山田") for i in range(count))
    review = Review(sections=(ReviewSection("基本情報", items),), problems=())
    messages = render_messages([review])
    assert messages
    _check(messages)


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=4000))
def test_every_answer_renders_within_limits(answer: str) -> None:
    engine = Engine()
    state, replies = engine.handle(DialogState(person="<!here>"), Start())
    _check(render_messages(replies))
    for event in (Text(answer), Command("review"), Command("status"), Command("edit"), Command("help")):
        state, replies = engine.handle(state, event)
        _check(render_messages(replies))


def test_every_record_modal_is_valid_also_prefilled() -> None:
    for step in default_flow().steps:
        if step.record is None:
            continue
        record = {f.name: "x" * 5000 for f in step.record.fields if f.kind == "text"}
        for view in (
            record_modal(step, metadata="{}"),
            record_modal(step, metadata="{}", record=record, number=3),
        ):
            assert view_errors(view, home=False) is None


def test_every_slack_message_renders() -> None:
    params = dict.fromkeys(
        (
            "host",
            "reason",
            "label",
            "prompt",
            "example",
            "lab",
            "title",
            "mark",
            "name",
            "user",
            "target",
            "code",
            "error",
            "url",
        ),
        "x",
    )
    params |= dict.fromkeys(
        ("port", "number", "percent", "readiness", "answered", "total", "problems", "minutes"), 1
    )
    params["names"] = ["A"]
    for key in keys("slack"):
        assert message(key, **params)


def test_serve_without_tokens_says_what_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.slack.app import serve
    from bot.wiring import channel_runtime

    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as caught:
        serve(argparse.Namespace(db=str(tmp_path / "x.db"), port=0, host="127.0.0.1"), channel_runtime())
    assert "SLACK_BOT_TOKEN" in caught.value.message and "SLACK_SIGNING_SECRET" in caught.value.message


def test_record_modals_are_written_for_a_form() -> None:
    """No 「スキップ」 instructions, required fields required, no 「例: 1」 under a select."""
    for step in default_flow().steps:
        if step.record is None:
            continue
        view = record_modal(step, metadata="{}")
        inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
        text = str(view["blocks"])
        assert "スキップ" not in text, step.id
        derived_from = next(
            (i for i, f in enumerate(step.record.fields) if f.derive), len(step.record.fields)
        )
        for index, spec_field in enumerate(step.record.fields):
            block = inputs[spec_field.name]
            if spec_field.required and index <= derived_from:
                assert block["optional"] is False, (step.id, spec_field.name)
            if spec_field.kind == "choice":
                assert "例:" not in str(block.get("hint", "")), (step.id, spec_field.name)
    kpis = record_modal(default_flow().step("kpis"), metadata="{}")
    labels = [b["label"]["text"] for b in kpis["blocks"] if b["type"] == "input"]
    assert "KPIを一文で" in labels and "基準値" in labels
