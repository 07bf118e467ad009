"""Telegram renderers: callback_data under 64 bytes, HTML escaping, splitting under 4,096 UTF-16 units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.flow import Choice, default_flow
from dialogs.replies import EditMenu, EditMenuItem
from renderers.telegram.callbacks import EditData, PickData, ToggleData, decode, encode
from renderers.telegram.html import escape_html, split_html, utf16_len
from renderers.telegram.keyboards import choice_keyboard, edit_menu_keyboard, multichoice_keyboard
from tests.telegram.fake_bot_api import parse_html


def all_data(markup: object) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row]  # type: ignore[attr-defined]


def test_every_button_of_the_flow_fits_in_64_bytes() -> None:
    flow = default_flow()
    ids = [s.id for s in flow.steps]
    for step in flow.steps:
        choices = step.choices or (step.record.fields[0].choices if step.record else ())
        for markup in (choice_keyboard(step.id, choices), multichoice_keyboard(step.id, choices, 3)):
            for data in all_data(markup):
                assert 1 <= len(data.encode()) <= 64
                assert decode(data, ids) is not None


@given(step_id=st.text(min_size=1, max_size=200), value=st.from_regex(r"[0-9,]{1,20}", fullmatch=True))
def test_long_or_japanese_step_ids_are_shortened_and_found_again(step_id: str, value: str) -> None:
    data = encode(PickData(step_id, value))
    assert len(data.encode("utf-8")) <= 64
    assert decode(data, ["other", step_id]) == PickData(step_id, value)


def test_labels_never_enter_callback_data() -> None:
    label = "とても長い日本語の選択肢のラベル" * 10
    markup = choice_keyboard("members", (Choice("municipality", label),))
    assert all_data(markup) == ["p|members|1"]
    assert decode("m|members|3", ["members"]) == ToggleData("members", 3)
    assert decode("e|12", []) == EditData(12)
    assert decode("garbage", []) is None
    assert decode("p|#0000000000|1", ["members"]) is None


def test_edit_menu_in_rows() -> None:
    menu = EditMenu(tuple(EditMenuItem(i, f"s{i}", f"質問{i}", "基本", "answered") for i in range(1, 14)))
    rows = edit_menu_keyboard(menu).inline_keyboard
    assert [len(r) for r in rows] == [6, 6, 1]


def test_user_text_cannot_become_a_tag() -> None:
    assert escape_html("<b>x</b> & \x1b[31m") == "&lt;b&gt;x&lt;/b&gt; &amp; \ufffd[31m"


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.sampled_from(["", "<b>", "<i>"]), st.text(alphabet="あ🏯a&<>\n ", max_size=900)),
        min_size=1,
        max_size=12,
    )
)
def test_split_pieces_are_valid_html_under_the_limit(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(
        f"{tag}{escape_html(body)}{tag.replace('<', '</')}" if tag else escape_html(body)
        for tag, body in lines
    )
    pieces = split_html(text, limit=500)
    for piece in pieces:
        assert utf16_len(piece) <= 500
        parse_html(piece)  # raises like Telegram on broken HTML
    assert "".join(parse_html(p) for p in pieces).replace("\n", "").replace(" ", "") == parse_html(
        text
    ).replace("\n", "").replace(" ", "")


def test_short_text_is_one_piece_and_blank_is_none() -> None:
    assert split_html("<b>見出し</b>\n本文") == ["<b>見出し</b>\n本文"]
    assert split_html("\n\n") == []
