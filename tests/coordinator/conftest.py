"""Coordinator fixtures: a store, an injected clock, notifiers that record, fail or crash."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.coordinator.notifiers import DeliveryError, Outgoing
from bot.coordinator.runner import JST, NudgeRunner, RetryPolicy
from bot.coordinator.service import CoordinatorService
from bot.service import DialogService
from bot.wiring import build_engine
from criteria import transition_rules as rules
from storage import SQLiteStore
from storage.lab_registry import RegistryEntry


class Clock:
    """An injected clock: 09:00 in Japan on the day set."""

    def __init__(self, day: dt.date) -> None:
        self.now = dt.datetime.combine(day, dt.time(9, 0), JST)

    def __call__(self) -> dt.datetime:
        return self.now

    def set_day(self, day: dt.date) -> None:
        self.now = dt.datetime.combine(day, dt.time(9, 0), JST)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class Recorder:
    """A channel that accepts everything and remembers it."""

    def __init__(self, channel: str, *, idempotent: bool = False) -> None:
        self.channel = channel
        self.idempotent = idempotent
        self.sent: list[Outgoing] = []
        self.fail_next = 0
        self.crash_next = 0

    def send(self, item: Outgoing) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise DeliveryError(f"{self.channel}: unavailable")
        if self.crash_next:
            self.crash_next -= 1
            self.sent.append(item)  # the channel accepted it; the process dies before marking it
            raise Crash("killed after the channel accepted the message")
        self.sent.append(item)

    def keys(self) -> list[str]:
        return [i.key for i in self.sent]


class Crash(BaseException):
    """The process dies (not an Exception: nothing catches it)."""


def entry(
    name: str, *, contact_slack: str = "", contact_telegram: str = "", **fields: object
) -> RegistryEntry:
    """A registry entry; ``contact_slack`` / ``contact_telegram`` as the CSV's columns give them."""
    values: dict[str, object] = {"kind": "iot", "status": "not_started"} | fields
    contacts = tuple((c, x) for c, x in (("slack", contact_slack), ("telegram", contact_telegram)) if x)
    return RegistryEntry(name=name, contacts=contacts, **values)  # type: ignore[arg-type]


class World:
    """A database, a clock and channels; ``restart()`` reopens everything like a new process."""

    def __init__(self, path: Path, day: dt.date) -> None:
        self.path = path
        self.clock = Clock(day)
        self.slack = Recorder("slack")
        self.telegram = Recorder("telegram")
        self.console = Recorder("console", idempotent=True)
        self.settings = rules.SETTINGS
        self.open()

    def open(self) -> None:
        self.store = SQLiteStore(self.path)
        self.service = CoordinatorService(
            dialog=DialogService(store=self.store, engine=build_engine()),
            store=self.store,
            settings=self.settings,
            clock=self.clock,
        )

    def restart(self) -> None:
        self.store.close()
        self.open()

    def runner(self) -> NudgeRunner:
        return self.service.runner(
            {"slack": self.slack, "telegram": self.telegram, "console": self.console}, policy=RetryPolicy()
        )

    def statuses(self) -> dict[str, str]:
        return {r.key: r.status for r in self.service.registry.reminders()}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path / "dxlab.db", dt.date(2022, 11, 30))
    yield w
    w.store.close()
