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


def _answered_all() -> tuple[Engine, DialogState]:
    from tests.answers import FULL_APPLICATION

    engine = Engine()
    state, _ = engine.handle(DialogState(person="山田"), Start())
    for line in FULL_APPLICATION:
        state, _ = engine.handle(state, Text(line))
    assert state.cursor.done
    return engine, state


def test_plain_edit_after_the_last_question_shows_the_numbered_list() -> None:
    from dialogs.replies import Completed, EditMenu
    from renderers.text import render_reply

    engine, state = _answered_all()
    for typed in ("修正", "/edit"):
        menu_state, replies = engine.handle(state, Text(typed))
        assert any(isinstance(r, EditMenu) for r in replies)
        assert not any(isinstance(r, Completed) for r in replies)
        shown = "\n".join(render_reply(r) for r in replies)
        assert "1. ラボの名称" in shown and "すべての質問を一通り終えました" not in shown
        jumped, replies = engine.handle(menu_state, Text("1"))
        assert jumped.cursor.step_id == "lab_name" and not jumped.cursor.done


def test_the_question_count_is_the_same_from_the_welcome_to_the_last_question() -> None:
    from dialogs.replies import Question, RecordFieldQuestion

    engine = Engine()
    state, replies = engine.handle(DialogState(person="山田"), Start())
    (welcome,) = [r for r in replies if isinstance(r, Notice) and r.key == "welcome"]
    total = welcome.params["steps"]
    counts: set[int] = set()
    indexes: list[int] = []
    from tests.answers import FULL_APPLICATION

    for line in ["ラボA", "A市", "なし", "はい", "Aラボ", *FULL_APPLICATION[4:]]:
        for reply in replies:
            if isinstance(reply, Question | RecordFieldQuestion):
                counts.add(reply.progress.step_count)
                indexes.append(reply.progress.step_index)
        state, replies = engine.handle(state, Text(line))
    assert counts == {total}  # the transition question added one, and the count did not move
    assert indexes == sorted(indexes) and indexes[-1] == total


def _at_initiatives(types: str) -> tuple[Engine, DialogState]:
    engine, state = _at_region()
    state, _ = engine.handle(state, Command("edit", "取組の種類"))
    state, _ = engine.handle(state, Text(types))
    state, _ = engine.handle(state, Command("edit", "取組内容"))
    assert state.cursor.step_id == "initiatives"
    return engine, state


def test_one_type_for_the_plan_is_not_asked_again_for_each_initiative() -> None:
    from dialogs.replies import RecordFieldQuestion

    engine, state = _at_initiatives("2")
    (first,) = [r for r in engine.handle(state, Start())[1] if isinstance(r, RecordFieldQuestion)]
    assert (first.field_index, first.field_count) == (0, 2)  # the type is not counted either
    state, replies = engine.handle(state, Text("伴走支援"))
    state, replies = engine.handle(state, Text("商工会議所が企業を支援する。"))
    assert not any(isinstance(r, RecordFieldQuestion) and r.field_name == "type" for r in replies)
    assert state.draft.answers["initiatives"] == [
        {"type": "company_support", "title": "伴走支援", "description": "商工会議所が企業を支援する。"}
    ]
    # … and it can be changed on request: editing the record asks every field
    state, _ = engine.handle(state, Text("編集 1"))
    state, _ = engine.handle(state, Text(""))
    state, replies = engine.handle(state, Text(""))
    assert any(isinstance(r, RecordFieldQuestion) and r.field_name == "type" for r in replies)
    state, _ = engine.handle(state, Text("1"))
    assert state.draft.answers["initiatives"][0]["type"] == "project"


def test_the_defaulted_type_is_said_when_a_record_starts() -> None:
    engine, state = _at_region()
    state, _ = engine.handle(state, Command("edit", "取組の種類"))
    state, _ = engine.handle(state, Text("1"))
    state, replies = engine.handle(state, Command("edit", "取組内容"))
    (note,) = [r for r in replies if isinstance(r, Notice) and r.key == "record_field_defaulted"]
    assert note.params["number"] == 1 and note.params["label"] == "取組の種類"


def test_both_types_for_the_plan_ask_each_initiative_its_type() -> None:
    from dialogs.replies import RecordFieldQuestion

    engine, state = _at_initiatives("1,2")
    state, _ = engine.handle(state, Text("伴走支援"))
    state, replies = engine.handle(state, Text("商工会議所が企業を支援する。"))
    assert any(isinstance(r, RecordFieldQuestion) and r.field_name == "type" for r in replies)
