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
    # what the vision makes met is told with the sentence it was read from …
    assert {(m.viewpoint, m.where) for m in update.met} >= {
        ("direction", "ビジョン"),
        ("regionality", "ビジョン"),
    }
    assert all(m.quote for m in update.met)
    # … and nothing is said about questions still ahead (initiatives, KPIs, members)
    assert not [f for f in update.added if f.field.split("[")[0] in {"initiatives", "kpis", "members"}]
    assert update.resolved == ()


def test_no_finding_about_members_before_members_are_asked() -> None:
    from dialogs.replies import FindingsUpdate

    engine, state = _at_region()
    state, _ = engine.handle(state, Command("edit", "自立化シナリオ"))
    state, replies = engine.handle(state, Text("市の予算で実証を行い、3年目から会費と利用料で運営します。"))
    for update in (r for r in replies if isinstance(r, FindingsUpdate)):
        assert not any(f.field.startswith("members") for f in update.added)
        assert not any(f.code in ("municipality.absent", "eligibility.no_municipality") for f in update.added)


def test_scorecard_shows_viewpoints_ahead_as_pending() -> None:
    from dialogs.replies import Scorecard

    engine, state = _at_region()
    state, replies = engine.handle(state, Text("進捗"))
    (card,) = [r for r in replies if isinstance(r, Scorecard)]
    pending = {v.slug for v in card.viewpoints if v.pending}
    assert {"transformation", "municipal_commitment", "diversity"} <= pending
    assert card.readiness < 1.0
