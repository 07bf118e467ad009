"""One test class, run against every store backend (SQLite and in-memory)."""

from __future__ import annotations

from typing import Any

import pytest

from storage.base import Snapshot, StoredDraft, TurnWrite


def _set(field: str, value: Any, cursor: dict[str, Any] | None = None) -> Any:
    def compute(snapshot: Snapshot) -> tuple[TurnWrite, str]:
        answers = dict(snapshot.draft.answers)
        answers[field] = value
        draft = StoredDraft(answers=answers, skipped=snapshot.draft.skipped, review=snapshot.draft.review)
        return TurnWrite(draft=draft, cursor=cursor or {"step_id": field}), "ok"

    return compute


class TestStoreContract:
    def test_labs_and_people_are_created_once(self, any_store: Any) -> None:
        a = any_store.lab("みなと市")
        assert any_store.lab("みなと市") == a
        assert any_store.find_lab("さくら町") is None
        p = any_store.person("山田", channel="slack", external_id="U1")
        assert any_store.person("別名", channel="slack", external_id="U1") == p
        assert any_store.person("山田", channel="console") != p  # console identity is another one
        assert [lab.name for lab in any_store.labs()] == ["みなと市"]

    def test_turn_writes_draft_history_and_cursor_together(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="console")
        fresh, result = any_store.turn(lab.id, person.id, _set("vision", "V1"), channel="console")
        assert fresh and result == "ok"
        any_store.turn(lab.id, person.id, _set("vision", "V2"), channel="console")
        assert any_store.draft(lab.id).answers["vision"] == "V2"
        assert any_store.cursor(lab.id, person.id) == {"step_id": "vision"}
        assert [(h.value, h.action, h.person) for h in any_store.history(lab.id, "vision")] == [
            ("V1", "set", "山田"),
            ("V2", "set", "山田"),
        ]

    def test_duplicate_event_ids_are_applied_once(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="console")
        calls: list[int] = []

        def compute(snapshot: Snapshot) -> tuple[TurnWrite, None]:
            calls.append(1)
            return _set("vision", f"V{len(calls)}")(snapshot)[0], None

        assert any_store.turn(lab.id, person.id, compute, channel="slack", event_id="Ev1")[0]
        assert any_store.turn(lab.id, person.id, compute, channel="slack", event_id="Ev1") == (False, None)
        assert any_store.turn(lab.id, person.id, compute, channel="telegram", event_id="Ev1")[0]
        assert len(calls) == 2
        assert any_store.seen_event("slack", "Ev1")
        assert len(any_store.history(lab.id, "vision")) == 2

    def test_a_failing_turn_writes_nothing(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="console")

        def boom(snapshot: Snapshot) -> tuple[TurnWrite, None]:
            raise ValueError("boom")

        with pytest.raises(ValueError):
            any_store.turn(lab.id, person.id, boom, channel="slack", event_id="E")
        assert not any_store.seen_event("slack", "E")
        assert any_store.draft(lab.id).answers == {}

    @pytest.mark.parametrize(
        "value",
        [
            "\ud800 lone surrogate",
            "\x00\x0b control",
            "🙂👨‍👩‍👧 emoji",
            "x" * 20_000,
            "'; DROP TABLE labs; --",
            "{{ 7*7 }}",
        ],
    )
    def test_any_text_is_stored_verbatim(self, any_store: Any, value: str) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="console")
        any_store.turn(lab.id, person.id, _set("vision", value), channel="console")
        assert any_store.draft(lab.id).answers["vision"] == value
        assert any_store.history(lab.id, "vision")[-1].value == value

    def test_import_keeps_the_old_answers_in_history(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="console")
        any_store.turn(lab.id, person.id, _set("vision", "old"), channel="console")
        any_store.replace_draft(
            lab.id, {"vision": "new", "region": "R"}, person_id=person.id, channel="import"
        )
        assert dict(any_store.draft(lab.id).answers) == {"vision": "new", "region": "R"}
        assert [h.value for h in any_store.history(lab.id, "vision")] == ["old", "new"]

    def test_bindings_and_one_time_link_codes(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        person = any_store.person("山田", channel="slack", external_id="U1")
        any_store.bind("slack", "C1", lab.id)
        assert any_store.bound_lab("slack", "C1") == lab
        assert any_store.bound_lab("slack", "C2") is None
        code = any_store.create_link_code(person.id)
        typed = code[:4].lower() + "-" + code[4:]
        assert any_store.redeem_link_code(typed, channel="telegram", external_id="42") == person
        assert any_store.redeem_link_code(code, channel="telegram", external_id="43") is None
        assert any_store.person("other", channel="telegram", external_id="42") == person
        expired = any_store.create_link_code(person.id, ttl_seconds=-1)
        assert any_store.redeem_link_code(expired, channel="console", external_id="x") is None

    def test_invite_codes_work_once_and_bind_the_joiner(self, any_store: Any) -> None:
        lab = any_store.lab("L")
        inviter = any_store.person("山田", channel="slack", external_id="U1")
        redeem = any_store.redeem_invite_code
        joiner = any_store.person("佐藤", channel="telegram", external_id="42")
        code = any_store.create_invite_code(lab.id, by_person_id=inviter.id)
        assert len(code) == 8
        typed = code[:4].lower() + " " + code[4:]
        assert redeem(typed, channel="telegram", external_id="42", person_id=joiner.id) == lab
        assert any_store.bound_lab("telegram", "42") == lab
        assert any_store.invite_code_inviter(code) == inviter.id
        assert redeem(code, channel="telegram", external_id="43", person_id=joiner.id) is None
        expired = any_store.create_invite_code(lab.id, by_person_id=inviter.id, ttl_seconds=-1)
        assert redeem(expired, channel="console", external_id="x", person_id=joiner.id) is None
        assert redeem("NOPE2345", channel="console", external_id="x", person_id=joiner.id) is None
        assert any_store.invite_code_inviter("NOPE2345") is None

    def test_wrong_invite_codes_share_the_link_lockout(self, any_store: Any) -> None:
        from storage.base import LINK_MAX_FAILURES, LinkLocked

        lab = any_store.lab("L")
        inviter = any_store.person("山田", channel="slack", external_id="U1")
        redeem = any_store.redeem_invite_code
        code = any_store.create_invite_code(lab.id, by_person_id=inviter.id)
        for _ in range(LINK_MAX_FAILURES - 1):
            assert redeem("WRONG234", channel="slack", external_id="U9", person_id=9) is None
        assert any_store.redeem_link_code("WRONG234", channel="slack", external_id="U9") is None  # the fifth
        with pytest.raises(LinkLocked):
            any_store.redeem_invite_code(code, channel="slack", external_id="U9", person_id=9)
        with pytest.raises(LinkLocked):
            any_store.redeem_link_code("WRONG234", channel="slack", external_id="U9")
        other = any_store.person("佐藤", channel="slack", external_id="U2")
        assert redeem(code, channel="slack", external_id="U2", person_id=other.id) == lab


def test_last_lab_follows_the_person(any_store: Any) -> None:
    a, b = any_store.lab("A"), any_store.lab("B")
    person = any_store.person("山田", channel="console")
    assert any_store.last_lab(person.id) is None
    any_store.turn(a.id, person.id, _set("vision", "1"), channel="console")
    any_store.turn(b.id, person.id, _set("vision", "2"), channel="console")
    assert any_store.last_lab(person.id) == b


def test_inbox_keeps_events_until_their_effect_is_committed(any_store: Any) -> None:
    lab = any_store.lab("L")
    person = any_store.person("山田", channel="console")
    assert any_store.inbox_put("slack", "Ev1", {"text": "一つ目"})
    assert not any_store.inbox_put("slack", "Ev1", {"text": "一つ目"})
    assert any_store.inbox_put("slack", "Ev2", {"text": "二つ目"})
    any_store.turn(lab.id, person.id, _set("vision", "1"), channel="slack", event_id="Ev1")
    assert any_store.inbox_pending("slack") == [("Ev2", {"text": "二つ目"})]
    assert any_store.inbox_pending("telegram") == []
    assert any_store.inbox_prune("slack") == 1
    assert [eid for eid, _ in any_store.inbox_pending("slack")] == ["Ev2"]
    any_store.inbox_drop("slack", "Ev2")
    assert any_store.inbox_pending("slack") == []
