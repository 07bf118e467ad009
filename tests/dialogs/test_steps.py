"""Structured buttons and step handlers: a Pick is the choice itself, an Act is an action id."""

from __future__ import annotations

from dialogs.engine import Engine
from dialogs.events import RECORD_ADD, RECORD_DELETE, RECORD_DONE, Act, Command, Pick, Start, Text
from dialogs.replies import Notice, RecordFieldQuestion, RecordMenu, TransitionGap
from dialogs.state import DialogState


def _to(engine: Engine, step_id: str) -> DialogState:
    state, _ = engine.handle(DialogState(person="山田"), Start())
    state, _ = engine.handle(state, Command("edit", step_id))
    assert state.cursor.step_id == step_id
    return state


def _keys(replies: list[object]) -> list[str]:
    return [r.key for r in replies if isinstance(r, Notice)]


def test_a_yes_no_button_is_the_answer_itself() -> None:
    engine = Engine()
    state, _ = engine.handle(_to(engine, "transition"), Pick("transition", "yes"))
    assert state.draft.answers["transition_from_iot_lab"] is True
    state, _ = engine.handle(_to(engine, "transition"), Pick("transition", "2"))  # the choice's number
    assert state.draft.answers["transition_from_iot_lab"] is False


def test_a_button_value_is_never_read_as_typed_text() -> None:
    engine = Engine()
    state = _to(engine, "transition")
    new, replies = engine.handle(state, Pick("transition", "はい"))  # a word, not a choice value
    assert "transition_from_iot_lab" not in new.draft.answers
    assert "stale_button" in _keys(replies)
    new, _ = engine.handle(_to(engine, "initiative_types"), Pick("initiative_types", "2,1"))
    assert new.draft.answers["initiative_types"] == ["project", "company_support"]


def test_the_transition_gap_follows_the_configured_field_only() -> None:
    plain = Engine(transition_gap=lambda: (("a", "b"),))
    _, replies = plain.handle(_to(plain, "transition"), Pick("transition", "yes"))
    assert not any(isinstance(r, TransitionGap) for r in replies)  # the engine names no field
    told = Engine(transition_gap=lambda: (("a", "b"),), transition_field="transition_from_iot_lab")
    _, replies = told.handle(_to(told, "transition"), Pick("transition", "yes"))
    assert any(isinstance(r, TransitionGap) for r in replies)


def test_record_menu_actions() -> None:
    engine = Engine()
    state = _to(engine, "initiatives")
    state, replies = engine.handle(state, Text("地域課題の共同研究"))
    while not any(isinstance(r, RecordMenu) for r in replies):
        state, replies = engine.handle(state, Command("skip"))
    assert len(state.draft.answers["initiatives"]) == 1
    state, replies = engine.handle(state, Act("initiatives", RECORD_ADD))
    assert any(isinstance(r, RecordFieldQuestion) for r in replies)
    state, replies = engine.handle(state, Act("initiatives", RECORD_DONE))  # mid-record: stale
    assert "stale_button" in _keys(replies)
    state, _ = engine.handle(state, Command("back"))  # leave the empty second record
    state, replies = engine.handle(state, Act("initiatives", RECORD_DELETE, "1"))
    assert state.draft.answers["initiatives"] == [] and "record_deleted" in _keys(replies)
    state, _ = engine.handle(state, Act("initiatives", RECORD_DONE))
    assert state.cursor.step_id != "initiatives"
    _, replies = engine.handle(state, Act("initiatives", RECORD_ADD))  # an old menu's button
    assert "stale_button" in _keys(replies)


def test_saved_says_what_was_saved() -> None:
    engine = Engine()
    state, _ = engine.handle(DialogState(person="山田"), Start())
    _, replies = engine.handle(state, Text("みなと市地域DX推進ラボ"))
    saved = next(r for r in replies if isinstance(r, Notice) and r.key == "saved")
    assert saved.params["value"] == "みなと市地域DX推進ラボ"
    _, replies = engine.handle(_to(engine, "transition"), Pick("transition", "no"))
    saved = next(r for r in replies if isinstance(r, Notice) and r.key == "saved")
    assert saved.params["value"] == "いいえ"
    long_state = _to(engine, "vision")
    _, replies = engine.handle(long_state, Text("あ" * 100))
    saved = next(r for r in replies if isinstance(r, Notice) and r.key == "saved")
    assert len(saved.params["value"]) == 40 and saved.params["value"].endswith("…")
