"""A whole transition period, day by day, with an injected clock: exactly the reminders due, once."""

from __future__ import annotations

import datetime as dt

from tests.coordinator.conftest import World, entry

D = dt.date
WEEKS_AFTER_2025_11_30 = [
    "overdue-2025-W49",
    "overdue-2025-W50",
    "overdue-2025-W51",
    "overdue-2025-W52",
    "overdue-2026-W01",
    "overdue-2026-W02",
    "overdue-2026-W03",
    "overdue-2026-W04",
    "overdue-2026-W05",
]


def _coordinator(world: World) -> None:
    person = world.store.person("調整 太郎", channel="slack", external_id="UCOORD")
    with world.store.transaction() as conn:
        conn.execute(
            "INSERT INTO roles (person_id, role, lab_id, granted_at) "
            "VALUES (?, 'coordinator', 0, '2022-11-30')",
            (person.id,),
        )


def test_three_years_day_by_day(world: World) -> None:
    registry = world.service
    registry.import_entries(
        [
            entry("A市IoTラボ", contact_slack="UA", iot_selected_on="2017-03-01"),
            entry("B町IoTラボ", status="preparing", contact_telegram="1001"),
            entry("C県IoTラボ", contact_slack="UC", transition_deadline="2024-03-31"),
            entry("D市DX申請", kind="applicant", contact_slack="UD"),
            entry("F村IoTラボ", status="preparing"),  # no contact at all
        ]
    )
    _coordinator(world)
    changes = {
        D(2024, 1, 1): lambda: registry.update("C県IoTラボ", status="applied"),
        D(2024, 4, 15): lambda: registry.update("C県IoTラボ", status="completed"),
        D(2025, 10, 1): lambda: registry.update("B町IoTラボ", status="completed"),
        D(2025, 11, 10): lambda: registry.import_entries([entry("E村IoTラボ", contact_telegram="1005")]),
        D(2025, 12, 20): lambda: registry.update("E村IoTラボ", status="declined"),
    }
    ran = 0
    day = D(2022, 11, 30)
    while day <= D(2026, 1, 31):
        world.clock.set_day(day)
        if day in changes:
            changes[day]()
        if day == D(2024, 6, 1):
            world.restart()  # nothing lives only in memory
            registry = world.service
        result = world.runner().run()
        assert not result.failed and not result.unknown
        ran += 1
        day += dt.timedelta(days=1)
    assert ran == 1159

    ids = {e.name: e.lab_id for e in world.service.registry.entries()}

    def keys(name: str, deadline: str, stages: list[str], suffix: str = "") -> list[str]:
        return [f"{ids[name]}:{deadline}:{s}{suffix}" for s in stages]

    before = ["d180", "d90", "d30", "d7"]
    assert sorted(world.slack.keys()) == sorted(
        keys("A市IoTラボ", "2025-11-30", before + WEEKS_AFTER_2025_11_30)
        + keys("C県IoTラボ", "2024-03-31", [*before, "overdue-2024-W14", "overdue-2024-W15"])
        + keys("A市IoTラボ", "2025-11-30", ["escalation"], ":slack:UCOORD")
        + keys("C県IoTラボ", "2024-03-31", ["escalation"], ":slack:UCOORD")
        + keys("E村IoTラボ", "2025-11-30", ["escalation"], ":slack:UCOORD")
        + keys("F村IoTラボ", "2025-11-30", ["escalation"], ":slack:UCOORD")
    )
    assert sorted(world.telegram.keys()) == sorted(
        keys("B町IoTラボ", "2025-11-30", ["d180", "d90"])
        + keys(
            "E村IoTラボ",
            "2025-11-30",
            ["d30", "d7", "overdue-2025-W49", "overdue-2025-W50", "overdue-2025-W51"],
        )
    )
    assert world.console.sent == []
    statuses = world.statuses()
    assert sorted(k for k, s in statuses.items() if s == "no_contact") == sorted(
        keys("F村IoTラボ", "2025-11-30", before + WEEKS_AFTER_2025_11_30)
    )
    assert set(statuses.values()) == {"sent", "no_contact"}
    # the first reminder the late-registered lab got was d30, on the day it was registered
    first = next(i for i in world.telegram.sent if i.key.startswith(f"{ids['E村IoTラボ']}:"))
    assert first.stage == "d30" and "あと20日" in first.body


def test_reminder_says_what_the_draft_lacks_and_how_to_continue(world: World) -> None:
    world.service.import_entries(
        [entry("A市IoTラボ", contact_slack="UA"), entry("B町IoTラボ", contact_telegram="1001")]
    )
    lab = world.store.find_lab("A市IoTラボ")
    assert lab is not None
    person = world.store.person("担当者", channel="console")
    world.store.replace_draft(
        lab.id,
        {"vision": "地域のDXを進める", "kpis": [{"text": "DX認定企業を15社", "kind": "outcome"}]},
        person_id=person.id,
        channel="console",
    )
    world.clock.set_day(D(2025, 11, 10))
    world.runner().run()
    (a,) = world.slack.sent
    assert a.stage == "d30" and a.button
    assert "まだ足りない点" in a.body and "・" in a.body
    assert "/dxlab start" in a.body
    (b,) = world.telegram.sent
    assert "まだ申請書の下書きがありません" in b.body and "/start" in b.body
