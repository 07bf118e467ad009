"""Hostile input through engine → checks → Word → every chat rendering: no crash, text stays text.

Default: a few hundred generated inputs. ``pytest --soak`` runs 10,000 (see README's reliability
section for the figures reached).
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands.transfer import answers_of
from criteria.checking import run_checks
from dialogs.engine import Engine
from dialogs.events import Start, Text
from dialogs.replies import Reply
from dialogs.state import DialogState
from renderers.docx import write_application_docx
from renderers.slack.blocks import render_messages
from renderers.telegram.html import render_html, split_html
from renderers.text import render_reply

HOSTILE = [
    "\x00",
    "\x0b",
    "\x1b[2J",
    "\ud800",
    "\udfff",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ufffe",
    "<!channel>",
    "<@U123>",
    "<a href='https://evil.example'>x</a>",
    "</b><i>",
    "&amp;",
    "{{ 7*7 }}",
    "{% raw %}",
    "'; DROP TABLE answers; --",
    "👨‍👩‍👧‍👦",
    "🇯🇵",
    "戻る",
    "/edit 1",
    "修正",
    "スキップ",
    "1,2",
    "令和10年度までに十五社",
    "１，２００",
]

pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.characters(codec=None).map(str))
hostile_text = st.lists(pieces, min_size=1, max_size=6).map("".join)
ENGINE = Engine()


def _examples(request: pytest.FixtureRequest) -> int:
    return 10_000 if request.config.getoption("--soak") else 250


def _render_everywhere(replies: list[Reply]) -> None:
    for reply in replies:
        text = render_reply(reply)
        assert "\x1b" not in text and "\x00" not in text
        html = render_html(reply)
        for part in split_html(html):
            assert "<a href" not in part and "<!channel>" not in part
    for message in render_messages(replies):
        for block in message.blocks:
            assert "<!channel>" not in str(block)


def test_hostile_answers_never_break_anything(request: pytest.FixtureRequest) -> None:
    @settings(
        max_examples=_examples(request),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    @given(st.lists(hostile_text, min_size=1, max_size=12))
    def run(texts: list[str]) -> None:
        state, replies = ENGINE.handle(DialogState(person="試験"), Start())
        _render_everywhere(replies)
        for text in texts:
            state, replies = ENGINE.handle(state, Text(text))
            _render_everywhere(replies)
        app = state.draft.application()
        report = run_checks(app)
        buffer = io.BytesIO()
        import datetime as dt

        write_application_docx(app, report, buffer, applicant=texts[0], today=dt.date(2026, 11, 28))
        buffer.seek(0)
        document = docx.Document(buffer)
        assert document.paragraphs
        assert answers_of(app) is not None

    run()


def test_a_one_megabyte_answer(chat: Any) -> None:
    t = chat()
    t.start()
    out = t.send("あ" * 1_000_000)
    assert "長すぎます" in out
    ok = t.send("い" * 99_999)
    assert "保存しました" in ok
