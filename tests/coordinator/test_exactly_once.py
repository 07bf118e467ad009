"""Record before send, mark after: twice the same day, crashes, a failing channel, two runners."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.coordinator.runner import RetryPolicy
from storage.lab_registry import RegistryStore
from tests.coordinator.conftest import Crash, World, entry

DAY = dt.date(2025, 11, 10)  # 20 days before the programme-wide deadline: d30 is due


@pytest.fixture
def lab_world(world: World) -> World:
    world.clock.set_day(DAY)
    world.service.import_entries(
        [entry("A市IoTラボ", contact_slack="UA"), entry("B町IoTラボ", contact_telegram="1001")]
    )
    return world


def test_twice_the_same_day_and_after_a_restart_sends_nothing_new(lab_world: World) -> None:
    first = lab_world.runner().run()
    assert len(first.sent) == 2 and len(first.planned) == 2
    second = lab_world.runner().run()
    assert second.sent == [] and second.planned == []
    lab_world.restart()
    lab_world.clock.advance(hours=5)
    third = lab_world.runner().run()
    assert third.sent == [] and third.planned == []
    assert len(lab_world.slack.sent) == 1 and len(lab_world.telegram.sent) == 1


def test_crash_between_record_and_send_is_sent_once_after_restart(
    lab_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = RegistryStore.record

    def record_then_die(self: RegistryStore, *args: object, **kwargs: object) -> list[str]:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        raise Crash("killed right after recording")

    monkeypatch.setattr(RegistryStore, "record", record_then_die)
    with pytest.raises(Crash):
        lab_world.runner().run()
    assert set(lab_world.statuses().values()) == {"pending"}
    assert lab_world.slack.sent == [] and lab_world.telegram.sent == []
    monkeypatch.setattr(RegistryStore, "record", original)

    lab_world.restart()
    lab_world.clock.advance(minutes=1)
    result = lab_world.runner().run()
    assert len(result.sent) == 2 and result.planned == []  # recorded before, sent now
    assert len(lab_world.slack.sent) == 1 and len(lab_world.telegram.sent) == 1
    assert lab_world.runner().run().sent == []
    assert set(lab_world.statuses().values()) == {"sent"}


def test_crash_after_the_channel_accepted_is_reported_not_resent(lab_world: World) -> None:
    lab_world.slack.crash_next = 1
    with pytest.raises(Crash):
        lab_world.runner().run()
    key = lab_world.slack.sent[0].key
    assert lab_world.statuses()[key] == "sending"

    lab_world.restart()
    lab_world.clock.advance(minutes=1)  # lease still running: left alone
    early = lab_world.runner().run()
    assert early.unknown == [] and lab_world.statuses()[key] == "sending"

    lab_world.clock.advance(minutes=10)  # lease over: Slack has no idempotency key, so not re-sent
    late = lab_world.runner().run()
    assert [r.key for r in late.unknown] == [key]
    assert lab_world.statuses()[key] == "unknown"
    assert [i.key for i in lab_world.slack.sent] == [key]  # still exactly one Slack message
    assert lab_world.runner().run().unknown == []  # reported once


def test_interrupted_send_on_an_idempotent_channel_is_retried(world: World) -> None:
    # Escalations go to the terminal when no coordinator has a chat identity.
    world.clock.set_day(dt.date(2025, 12, 1))
    world.service.import_entries([entry("A市IoTラボ")])
    world.console.crash_next = 1
    with pytest.raises(Crash):
        world.runner().run()
    escalation = world.console.sent[0].key
    assert escalation.endswith(":escalation")
    world.restart()
    world.clock.advance(minutes=11)
    result = world.runner().run()
    assert result.unknown == []
    assert [r.key for r in result.sent] == [escalation]  # printed again: harmless on a terminal
    assert world.statuses()[escalation] == "sent"


def test_failing_channel_backs_off_then_recovers(lab_world: World) -> None:
    lab_world.slack.fail_next = 3
    first = lab_world.runner().run()
    assert [f.attempts for f in first.failed] == [1]
    assert first.failed[0].error == "slack: unavailable"
    key = first.failed[0].reminder.key
    assert lab_world.runner().run().failed == []  # not due before its back-off
    policy = RetryPolicy()
    for attempt in (2, 3):
        lab_world.clock.advance(seconds=policy.delay(attempt - 1).total_seconds())
        if attempt == 3:
            lab_world.restart()
        result = lab_world.runner().run()
        assert [f.attempts for f in result.failed] == [attempt]
    lab_world.clock.advance(seconds=policy.delay(3).total_seconds())
    final = lab_world.runner().deliver_pending()
    assert [r.key for r in final.sent] == [key]
    assert [i.key for i in lab_world.slack.sent] == [key]
    row = next(r for r in lab_world.service.registry.reminders() if r.key == key)
    assert row.status == "sent" and row.attempts == 3 and row.last_error is None


def test_back_off_doubles_and_is_capped() -> None:
    policy = RetryPolicy()
    assert [policy.delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert policy.delay(30) == dt.timedelta(hours=24)


def test_unconfigured_channel_is_kept_and_sent_once_configured(lab_world: World) -> None:
    runner = lab_world.service.runner({"telegram": lab_world.telegram}, policy=RetryPolicy())
    result = runner.run()
    assert len(result.failed) == 1 and "SLACK_BOT_TOKEN" in result.failed[0].error
    lab_world.clock.advance(minutes=6)
    assert len(lab_world.runner().run().sent) == 1
    assert len(lab_world.slack.sent) == 1


def test_pending_reminder_of_a_lab_that_finished_is_cancelled(lab_world: World) -> None:
    lab_world.slack.fail_next = 1
    lab_world.runner().run()
    lab_world.service.update("A市IoTラボ", status="completed")
    lab_world.clock.advance(hours=1)
    result = lab_world.runner().run()
    assert len(result.cancelled) == 1 and lab_world.slack.sent == []


def test_two_runners_cannot_claim_the_same_row(lab_world: World) -> None:
    planned = lab_world.service.planner.plan(DAY)
    registry = lab_world.service.registry
    registry.record(planned, at=lab_world.clock())
    other = RegistryStore(type(lab_world.store)(lab_world.path))
    now = lab_world.clock()
    key = planned[0].key
    assert registry.claim(key, now=now, lease_until=now + dt.timedelta(minutes=10))
    assert not other.claim(key, now=now, lease_until=now + dt.timedelta(minutes=10))
    other.store.close()


def test_dry_run_records_nothing(lab_world: World) -> None:
    result = lab_world.runner().run(dry_run=True)
    assert len(result.planned) == 2
    assert lab_world.statuses() == {} and lab_world.slack.sent == []
    assert len(lab_world.runner().run().sent) == 2
