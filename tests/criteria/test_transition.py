"""The IoT lab → DX lab gap: items, the viewpoints they mark, and which remain open."""

from __future__ import annotations

from criteria.application import Application
from criteria.checking import run_checks
from criteria.transition import GAP, gap_items, items_by_viewpoint, marked_viewpoints, transition_gap


def test_gap_covers_what_the_dx_lab_adds() -> None:
    ids = [item.id for item in GAP]
    assert ids == [
        "direction_viewpoint",
        "transformation_viewpoint",
        "wellbeing",
        "company_support",
        "data_platform",
        "same_documents",
        "transition_period",
    ]
    assert marked_viewpoints() == frozenset({"direction", "transformation", "regionality", "other"})
    assert items_by_viewpoint()["regionality"] == ["wellbeing", "company_support"]
    assert items_by_viewpoint()["diversity"] == []


def test_every_item_cites_the_seed_and_has_words() -> None:
    for item in GAP:
        assert item.seed
        assert item.title and item.detail == item.explanation
    assert gap_items()[0] == (GAP[0].title, GAP[0].detail)


def test_new_viewpoints_have_no_iot_text() -> None:
    by_id = {item.id: item for item in GAP}
    assert by_id["direction_viewpoint"].iot == ()
    assert by_id["wellbeing"].iot and by_id["wellbeing"].dx


def test_full_application_leaves_only_procedure_open(full_app: Application) -> None:
    open_ids = [item.id for item in transition_gap(run_checks(full_app))]
    assert open_ids == ["same_documents", "transition_period"]


def test_partial_application_leaves_the_new_viewpoints_open(partial_app: Application) -> None:
    open_ids = [item.id for item in transition_gap(run_checks(partial_app))]
    assert "direction_viewpoint" in open_ids
    assert "transformation_viewpoint" in open_ids
    assert "wellbeing" in open_ids
    assert "data_platform" in open_ids  # a reminder only: その他 stays "meets"


def test_without_report_every_item_is_listed() -> None:
    assert len(transition_gap()) == len(GAP)
