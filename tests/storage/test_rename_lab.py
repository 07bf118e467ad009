"""Renaming a lab keeps everything that hangs on it; a person is found without being created."""

from __future__ import annotations

from typing import Any

from tests.storage.test_store_contract import _set


def test_a_renamed_lab_keeps_its_draft_history_and_cursor(any_store: Any) -> None:
    lab = any_store.lab("名称未定のラボ")
    person = any_store.person("山田 花子", channel="console", external_id="root")
    any_store.turn(lab.id, person.id, _set("lab_name", "青葉台町DXラボ"), channel="console")
    renamed = any_store.rename_lab(lab.id, "青葉台町DXラボ")
    assert renamed is not None and renamed.id == lab.id and renamed.name == "青葉台町DXラボ"
    assert any_store.find_lab("名称未定のラボ") is None
    assert any_store.find_lab("青葉台町DXラボ") == renamed
    assert any_store.draft(lab.id).answers["lab_name"] == "青葉台町DXラボ"
    assert [h.person for h in any_store.history(lab.id)] == ["山田 花子"]
    assert any_store.cursor(lab.id, person.id) == {"step_id": "lab_name"}
    assert any_store.last_lab(person.id) == renamed


def test_a_name_another_lab_has_is_refused(any_store: Any) -> None:
    first = any_store.lab("A")
    second = any_store.lab("B")
    assert any_store.rename_lab(second.id, "A") is None
    assert [lab.name for lab in any_store.labs()] == ["A", "B"]
    assert any_store.rename_lab(first.id, "A") == first  # its own name is no conflict


def test_find_person_does_not_create(any_store: Any) -> None:
    assert any_store.find_person(channel="console", external_id="root") is None
    made = any_store.person("山田 花子", channel="console", external_id="root")
    assert any_store.find_person(channel="console", external_id="root") == made
    assert any_store.find_person(channel="slack", external_id="root") is None


def test_a_renamed_person_keeps_their_identity_and_history(any_store: Any) -> None:
    person = any_store.person("root", channel="console", external_id="root")
    lab = any_store.lab("L")
    any_store.turn(lab.id, person.id, _set("vision", "V"), channel="console")
    renamed = any_store.rename_person(person.id, "青葉 太郎")
    assert renamed.id == person.id
    assert any_store.find_person(channel="console", external_id="root") == renamed
    if hasattr(any_store, "query"):  # SQLite names history rows by the person's current name
        assert [h.person for h in any_store.history(lab.id)] == ["青葉 太郎"]
