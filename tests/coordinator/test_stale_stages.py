"""A reminder stage that is no longer current is cancelled, never sent late (issue 14 item 14).

A send that failed for days was later sent with its old text (「あと180日です」 beside 「あと5日です」),
and moving the clock back re-sent an earlier stage.
"""

from __future__ import annotations

import datetime as dt

from tests.coordinator.conftest import World, entry

DEADLINE = dt.date(2025, 11, 30)  # the programme-wide deadline of an IoT lab selected before it


def _day(days_left: int) -> dt.date:
    return DEADLINE - dt.timedelta(days=days_left)


def test_a_stage_that_failed_until_the_next_stage_is_cancelled_not_sent_late(world: World) -> None:
    world.clock.set_day(_day(180))
    world.service.import_entries([entry("A市IoTラボ", contact_slack="UA")])
    world.slack.fail_next = 10_000  # Slack refuses every send for months
    first = world.runner().run()
    assert len(first.failed) == 1 and world.slack.sent == []
    cancelled = []
    for days_left in (170, 120, 60):
        world.clock.set_day(_day(days_left))
        cancelled += world.runner().deliver_pending().cancelled
    world.slack.fail_next = 0
    world.clock.set_day(_day(5))
    world.runner().run()
    bodies = [item.body for item in world.slack.sent]
    assert len(bodies) == 1, bodies
    assert "あと5日です" in bodies[0] and "あと180日" not in bodies[0]
    assert [r.stage for r in cancelled] == ["d180"]  # cancelled once the d90 window opened
    statuses = {key.split(":")[2]: status for key, status in world.statuses().items()}
    assert statuses["d180"] == "cancelled" and statuses["d7"] == "sent"


def test_a_late_retry_within_its_stage_says_the_days_left_today(world: World) -> None:
    world.clock.set_day(_day(30))
    world.service.import_entries([entry("A市IoTラボ", contact_slack="UA")])
    world.slack.fail_next = 1
    assert len(world.runner().run().failed) == 1
    world.clock.set_day(_day(20))
    world.runner().deliver_pending()
    bodies = [item.body for item in world.slack.sent]
    assert len(bodies) == 1 and "あと20日です" in bodies[0] and "あと30日" not in bodies[0]


def test_moving_the_clock_back_never_sends_an_earlier_stage(world: World) -> None:
    world.clock.set_day(_day(5))
    world.service.import_entries([entry("A市IoTラボ", contact_slack="UA")])
    assert len(world.runner().run().sent) == 1
    for days_left in (40, 100, 170, 6):  # the clock was wrong, or moved back by hand
        world.clock.set_day(_day(days_left))
        result = world.runner().run()
        assert result.sent == [] and result.planned == [], days_left
    assert len(world.slack.sent) == 1
    world.clock.set_day(_day(-3))  # forward again: the overdue stage is new, and sent once
    world.runner().run()
    assert [item.stage for item in world.slack.sent][1:] == [f"overdue-2025-W{_day(-3).isocalendar()[1]:02d}"]


def test_an_overdue_week_not_sent_in_its_week_is_cancelled(world: World) -> None:
    world.clock.set_day(DEADLINE + dt.timedelta(days=2))
    world.service.import_entries([entry("A市IoTラボ", contact_slack="UA")])
    world.slack.fail_next = 10_000
    world.runner().run()
    world.slack.fail_next = 0
    world.clock.set_day(DEADLINE + dt.timedelta(days=16))
    world.runner().run()
    stages = [item.stage for item in world.slack.sent]
    assert len(stages) == 1 and stages[0].startswith("overdue-")
    assert stages[0] == f"overdue-{(DEADLINE + dt.timedelta(days=16)).isocalendar()[0]}-W" + (
        f"{(DEADLINE + dt.timedelta(days=16)).isocalendar()[1]:02d}"
    )
