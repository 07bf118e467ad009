"""Engine rules that no transcript shows directly."""

from __future__ import annotations

from dialogs.engine import Engine
from dialogs.events import Command, Start, SubmitRecord, Text
from dialogs.replies import Notice, RecordMenu
from dialogs.state import DialogState


def _at_region() -> tuple[Engine, DialogState]:
    engine = Engine()
    state, _ = engine.handle(DialogState(person="山田"), Start())
    state, _ = engine.handle(state, Text("ラボA"))
    return engine, state


def test_a_button_command_from_an_old_question_is_refused() -> None:
    engine, state = _at_region()
    new, replies = engine.handle(state, Command("skip", step_id="lab_name"))
    assert new.cursor.step_id == "region"
    assert any(isinstance(r, Notice) and r.key == "stale_button" for r in replies)
    new, _ = engine.handle(state, Command("skip", step_id="region"))
    assert new.cursor.step_id == "joint_regions"


def test_a_submitted_kpi_sentence_fills_the_other_fields() -> None:
    engine, state = _at_region()
    state, replies = engine.handle(
        state, SubmitRecord("kpis", {"kind": "outcome", "text": "令和10年度までにDX認定企業を十五社"})
    )
    assert any(isinstance(r, RecordMenu) for r in replies)
    kpi = state.draft.answers["kpis"][0]
    assert (kpi["target_value"], kpi["unit"], kpi["target_year"], kpi["fiscal_year"]) == (
        15,
        "社",
        2028,
        True,
    )


def test_the_state_survives_json() -> None:
    from dialogs.state import Cursor

    engine, state = _at_region()
    state, _ = engine.handle(state, Command("edit", "KPI"))
    state, _ = engine.handle(state, Text("1"))
    assert Cursor.from_json(state.cursor.to_json()) == state.cursor


def test_a_viewpoint_that_only_becomes_checkable_is_not_reported_as_improved() -> None:
    from dialogs.replies import FindingsUpdate

    engine, state = _at_region()
    state, _ = engine.handle(state, Command("edit", "地域が目指すビジョン"))
    state, replies = engine.handle(
        state, Text("地域の中小製造業の付加価値を高め、住民の暮らしの満足度も高める。")
    )
    (update,) = [r for r in replies if isinstance(r, FindingsUpdate)]
    assert update.added  # the specific findings of 方向性 and 地域性 appear
    assert not any(f.code.endswith(".empty") for f in update.resolved)
