"""The terminal prompt (issue 17 item 6): a normal prompt on a TTY, one message per line from a pipe."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bot.console import PipeReader, PromptReader


@pytest.fixture
def typed() -> Iterator[tuple[PromptReader, object]]:
    with create_pipe_input() as pipe:
        session: PromptSession[str] = PromptSession(
            input=pipe, output=DummyOutput(), history=InMemoryHistory()
        )
        yield PromptReader(session), pipe


def test_control_keys_are_not_typed_into_the_line(typed: tuple[PromptReader, object]) -> None:
    reader, pipe = typed
    pipe.send_text("みなと\x0c市\x01\x05DXラボ\r")  # type: ignore[attr-defined]  # ^L, ^A, ^E
    assert reader.read("あなた> ") == "みなと市DXラボ"


def test_line_editing_and_history(typed: tuple[PromptReader, object]) -> None:
    reader, pipe = typed
    pipe.send_text("ラボA\r")  # type: ignore[attr-defined]
    assert reader.read("> ") == "ラボA"
    pipe.send_text("\x1b[A\x7fB\r")  # type: ignore[attr-defined]  # ↑ brings back ラボA, ⌫ then B
    assert reader.read("> ") == "ラボB"
    pipe.send_text("ラボX\x1b[DZ\r")  # type: ignore[attr-defined]  # ← then Z
    assert reader.read("> ") == "ラボZX"


def test_end_of_input_and_interrupt_end_the_session(typed: tuple[PromptReader, object]) -> None:
    reader, pipe = typed
    pipe.send_text("\x04")  # type: ignore[attr-defined]  # ^D on an empty line
    assert reader.read("> ") is None
    pipe.send_text("途中\x03")  # type: ignore[attr-defined]  # ^C
    assert reader.read("> ") is None


def test_a_pipe_gives_one_message_per_line_as_typed() -> None:
    reader = PipeReader(io.StringIO("ラボA\r\n\x0cそのまま\n\n"))
    assert [reader.read("> "), reader.read("> "), reader.read("> "), reader.read("> ")] == [
        "ラボA",
        "\x0cそのまま",
        "",
        None,
    ]
