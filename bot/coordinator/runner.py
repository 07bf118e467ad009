"""The nudge run: record every due reminder, then send each one exactly once.

Owns the delivery protocol on the ``reminders`` table (keys ``f"{lab_id}:{deadline}:{stage}"``):

1. **Record first.** The reminders due today are inserted as ``pending`` in one transaction
   (``INSERT OR IGNORE`` on the key) before anything is sent. A key is recorded once, ever: a second
   run, a restart or a second runner finds it and plans nothing new.
2. **Claim, send, mark.** Each due ``pending`` row is claimed right before its send (``sending``,
   with a lease of ``policy.lease``), sent, then marked ``sent``. The claim is a conditional update
   in ``BEGIN IMMEDIATE``, so two runners never send the same row.
3. **Failure.** A channel error puts the row back to ``pending`` with ``attempts + 1`` and
   ``next_attempt_at`` after an exponential back-off (5 min, 10, 20 … capped at 24 h); it is returned
   in ``NudgeResult.failed`` and logged, and retried by the next run whose clock has passed it. It is
   never dropped.
4. **Crash.** A crash after recording and before the claim leaves ``pending``: sent by the next run.
   A crash between the claim and the mark leaves ``sending``; when its lease runs out we cannot know
   whether the channel accepted the message. Channels that are idempotent (the terminal) send it
   again; for Slack and Telegram, which have no idempotency key, the row becomes ``unknown`` and is
   reported (``NudgeResult.unknown``, warning log) instead of re-sent. So delivery is exactly once
   except in that window — a crash *during* one HTTP call — where it is at most once and reported.
5. **No longer applies.** A row whose lab finished (移行完了 / 移行しない), whose deadline changed,
   or whose stage is no longer today's (a send that failed until the next stage opened, an
   overdue week gone by, a stage earlier than one already recorded) is ``cancelled``, never sent
   late. A row still current is sent with its text as of today (the days left on the day it goes
   out), not the text of the day it was planned.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

from bot.coordinator.notifiers import MISSING_ENV, DeliveryError, Notifier, Outgoing
from bot.coordinator.planner import Draft, Planner
from renderers.messages import message
from storage.lab_registry import (
    CANCELLED,
    NO_CONTACT,
    PENDING,
    UNKNOWN,
    NewReminder,
    RegistryStore,
    Reminder,
    stamp,
)

log = logging.getLogger(__name__)
JST = ZoneInfo("Asia/Tokyo")
Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """Lease of a ``sending`` row and the back-off after a failed send."""

    lease: dt.timedelta = dt.timedelta(minutes=10)
    first_delay: dt.timedelta = dt.timedelta(minutes=5)
    max_delay: dt.timedelta = dt.timedelta(hours=24)

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failure (1 → first_delay, then doubling)."""
        delay: dt.timedelta = self.first_delay * (2 ** max(attempts - 1, 0))
        return min(delay, self.max_delay)


@dataclass(frozen=True)
class Failure:
    reminder: Reminder
    error: str
    attempts: int
    retry_at: str


@dataclass
class NudgeResult:
    """What one run did."""

    today: dt.date
    dry_run: bool = False
    planned: list[NewReminder] = field(default_factory=list)
    sent: list[Reminder] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    unknown: list[Reminder] = field(default_factory=list)
    no_contact: list[NewReminder] = field(default_factory=list)
    cancelled: list[Reminder] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def short(r: Reminder | NewReminder) -> dict[str, Any]:
            return {
                "key": r.key,
                "lab_id": r.lab_id,
                "stage": r.stage,
                "channel": r.channel,
                "target": r.target,
            }

        return {
            "today": self.today.isoformat(),
            "dry_run": self.dry_run,
            "planned": [short(r) | {"body": r.body} for r in self.planned],
            "sent": [short(r) for r in self.sent],
            "failed": [
                short(f.reminder) | {"error": f.error, "attempts": f.attempts, "retry_at": f.retry_at}
                for f in self.failed
            ],
            "unknown": [short(r) for r in self.unknown],
            "no_contact": [short(r) for r in self.no_contact],
            "cancelled": [short(r) for r in self.cancelled],
        }


class NudgeRunner:
    """Runs the nudge against the database with an injected clock and notifiers."""

    def __init__(
        self,
        *,
        registry: RegistryStore,
        planner: Planner,
        notifiers: Mapping[str, Notifier],
        clock: Clock = system_clock,
        policy: RetryPolicy | None = None,
        tz: dt.tzinfo = JST,
    ) -> None:
        self.registry = registry
        self.planner = planner
        self.notifiers = notifiers
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.tz = tz

    def today(self) -> dt.date:
        return self.clock().astimezone(self.tz).date()

    def run(self, *, today: dt.date | None = None, dry_run: bool = False) -> NudgeResult:
        """Plan the reminders due ``today`` (default: the clock's day in Japan), record and send them.

        With ``dry_run`` nothing is recorded or sent: the planned reminders are returned (the caller
        prints them).
        """
        day = today or self.today()
        result = NudgeResult(today=day, dry_run=dry_run)
        planned = self.planner.plan(day)
        if dry_run:
            result.planned = [p for p in planned if p.status != NO_CONTACT]
            result.no_contact = [p for p in planned if p.status == NO_CONTACT]
            return result
        fresh = set(self.registry.record(planned, at=self.clock()))
        result.planned = [p for p in planned if p.key in fresh and p.status != NO_CONTACT]
        result.no_contact = [p for p in planned if p.key in fresh and p.status == NO_CONTACT]
        for item in result.no_contact:
            log.warning("reminder %s: the lab has no chat contact", item.key)
        self._deliver(result)
        return result

    def deliver_pending(self) -> NudgeResult:
        """Only retry what is recorded and due (the frequent job between daily runs)."""
        result = NudgeResult(today=self.today())
        self._deliver(result)
        return result

    # --- delivery ----------------------------------------------------------------------------

    def _deliver(self, result: NudgeResult) -> None:
        self._recover(result)
        due = self.registry.due(now=self.clock())
        if not due:
            return
        current = self.planner.current(self.today(), only=sorted({r.lab_id for r in due}))
        drafts: dict[int, Draft] = {}
        for reminder in due:
            found = current.get(reminder.lab_id)
            body = self.planner.body_today(reminder, found, drafts) if found else None
            if body is None:
                self.registry.mark(reminder.key, CANCELLED)
                result.cancelled.append(reminder)
                continue
            self._send_one(replace(reminder, body=body), result)

    def _recover(self, result: NudgeResult) -> None:
        for reminder in self.registry.expired_sending(now=self.clock()):
            notifier = self.notifiers.get(reminder.channel)
            if notifier is not None and notifier.idempotent:
                log.info("reminder %s: interrupted send, retrying (idempotent channel)", reminder.key)
                self.registry.mark(reminder.key, PENDING, retry_at=self.clock())
            else:
                log.warning(
                    "reminder %s: interrupted while sending; not re-sent, marked unknown", reminder.key
                )
                self.registry.mark(reminder.key, UNKNOWN, error="interrupted while sending")
                result.unknown.append(reminder)

    def _send_one(self, reminder: Reminder, result: NudgeResult) -> None:
        now = self.clock()
        if not self.registry.claim(reminder.key, now=now, lease_until=now + self.policy.lease):
            return  # another runner has it
        notifier = self.notifiers.get(reminder.channel)
        try:
            if notifier is None:
                raise DeliveryError(
                    message(
                        "coordinator.channel_missing",
                        channel=reminder.channel,
                        env=MISSING_ENV.get(reminder.channel, ""),
                    )
                )
            notifier.send(
                Outgoing(
                    key=reminder.key,
                    channel=reminder.channel,
                    target=reminder.target,
                    lab=reminder.lab_name,
                    stage=reminder.stage,
                    body=reminder.body,
                    button=not reminder.stage.startswith("escalation"),
                )
            )
        except Exception as exc:  # any channel failure is recorded and retried, never lost
            error = exc.reason if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
            attempts = reminder.attempts + 1
            retry_at = self.clock() + self.policy.delay(attempts)
            self.registry.mark_failed(reminder.key, error=error, retry_at=retry_at)
            log.warning(
                "reminder %s failed (attempt %d), retry at %s: %s", reminder.key, attempts, retry_at, error
            )
            result.failed.append(Failure(reminder, error, attempts, stamp(retry_at)))
            return
        self.registry.mark_sent(reminder.key, at=self.clock())
        result.sent.append(reminder)
