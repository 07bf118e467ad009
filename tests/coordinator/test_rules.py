"""The transition rules: deadlines, the stage due on a day, statuses and kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from criteria import transition_rules as rules
from criteria.transition_rules import due_stages, lab_stage

D = dt.date
END = D(2025, 11, 30)


def test_yaml_defaults_and_seed() -> None:
    assert rules.SETTINGS.programme_start == D(2022, 11, 30)
    assert rules.SETTINGS.transition_years in (2, 3)
    assert rules.SETTINGS.offsets_days == (180, 90, 30, 7)
    with pytest.raises(ValueError):
        rules.settings(transition_years=4)


def test_deadline_programme_wide_per_lab_and_by_kind() -> None:
    assert rules.deadline(kind="iot", iot_selected_on=D(2017, 3, 1), own_deadline=None) == D(2025, 11, 30)
    two = rules.settings(transition_years=2)
    assert rules.deadline(kind="iot", iot_selected_on=None, own_deadline=None, rules=two) == D(2024, 11, 30)
    assert rules.deadline(kind="iot", iot_selected_on=None, own_deadline=D(2026, 3, 31)) == D(2026, 3, 31)
    # selected after the programme started: the period starts at the selection
    assert rules.deadline(kind="iot", iot_selected_on=D(2023, 2, 1), own_deadline=None) == D(2026, 2, 1)
    assert rules.deadline(kind="dx", iot_selected_on=None, own_deadline=None) is None
    assert rules.deadline(kind="applicant", iot_selected_on=None, own_deadline=D(2026, 1, 1)) == D(2026, 1, 1)
    leap = rules.settings(programme_start=D(2024, 2, 29))
    assert rules.deadline(kind="iot", iot_selected_on=None, own_deadline=None, rules=leap) == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (D(2025, 6, 2), None),  # 181 days
        (D(2025, 6, 3), "d180"),
        (D(2025, 8, 31), "d180"),
        (D(2025, 9, 1), "d90"),
        (D(2025, 10, 31), "d30"),
        (D(2025, 11, 10), "d30"),  # first seen 20 days before: d30, not d180 + d90 + d30
        (D(2025, 11, 23), "d7"),
        (D(2025, 11, 30), "d7"),  # the deadline day itself
        (D(2025, 12, 1), "overdue-2025-W49"),
        (D(2025, 12, 7), "overdue-2025-W49"),
        (D(2025, 12, 8), "overdue-2025-W50"),
        (D(2026, 1, 1), "overdue-2026-W01"),
    ],
)
def test_latest_stage_only(today: dt.date, stage: str | None) -> None:
    assert lab_stage(END, today) == stage


def test_escalation_after_the_deadline_and_nothing_for_finished_labs() -> None:
    assert [s.name for s in due_stages(status="preparing", end=END, today=D(2025, 11, 30))] == ["d7"]
    after = due_stages(status="preparing", end=END, today=D(2025, 12, 1))
    assert [(s.name, s.audience) for s in after] == [
        ("overdue-2025-W49", "lab"),
        ("escalation", "coordinators"),
    ]
    for status in ("completed", "declined"):
        assert due_stages(status=status, end=END, today=D(2025, 11, 10)) == ()
    assert due_stages(status="not_started", end=None, today=D(2025, 11, 10)) == ()


def test_statuses_and_kinds_accept_japanese_any_width() -> None:
    assert [
        rules.parse_status(s) for s in ("未着手", "申請準備中", "申請済み", "移行完了", "移行しない")
    ] == [
        "not_started",
        "preparing",
        "applied",
        "completed",
        "declined",
    ]
    assert rules.parse_status("ｐｒｅｐａｒｉｎｇ") == "preparing"
    assert rules.parse_status("たぶん") is None
    assert rules.parse_kind("ＩｏＴラボ") == "iot"
    assert rules.parse_kind("地域DX推進ラボ") == "dx"
    assert rules.parse_kind("申請予定") == "applicant"
    assert rules.status_label("applied") == "申請済"
