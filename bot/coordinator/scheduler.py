"""The nudge inside ``dxlab serve``: a daily run and frequent retries, rebuilt from the database.

Owns ``schedule_nudges(target, runner_factory)``. ``target`` is PTB's ``JobQueue`` (Telegram) or an
APScheduler scheduler (Slack: ``BackgroundScheduler``). Three jobs are registered: a catch-up run
shortly after start, the daily run at ``at`` (Japan time) and a retry of due reminders every
``retry_every``. Nothing lives only in memory: every run reads the registry and the ``reminders``
table, so a restart re-creates the jobs and a run after it sends only what is still owed.
Runs happen in a worker thread (Slack and Telegram sends block).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable
from typing import Any

from bot.coordinator.runner import JST, NudgeResult, NudgeRunner

log = logging.getLogger(__name__)
JOB_DAILY = "dxlab-nudge-daily"
JOB_RETRY = "dxlab-nudge-retry"
JOB_START = "dxlab-nudge-start"
DEFAULT_AT = dt.time(9, 0, tzinfo=JST)


def _daily(factory: Callable[[], NudgeRunner]) -> NudgeResult:
    result = factory().run()
    log.info(
        "nudge %s: %d sent, %d failed, %d unknown",
        result.today,
        len(result.sent),
        len(result.failed),
        len(result.unknown),
    )
    return result


def _retry(factory: Callable[[], NudgeRunner]) -> NudgeResult:
    return factory().deliver_pending()


def schedule_nudges(
    target: Any,
    runner_factory: Callable[[], NudgeRunner],
    *,
    at: dt.time = DEFAULT_AT,
    retry_every: dt.timedelta = dt.timedelta(minutes=5),
    first_after: dt.timedelta = dt.timedelta(seconds=30),
) -> None:
    """Register the nudge jobs on a PTB ``JobQueue`` or an APScheduler scheduler."""
    from telegram.ext import JobQueue

    if isinstance(target, JobQueue):

        def job(work: Callable[[Callable[[], NudgeRunner]], NudgeResult]) -> Callable[[Any], Any]:
            async def callback(context: Any) -> None:
                try:
                    await asyncio.to_thread(work, runner_factory)
                except Exception:
                    log.exception("nudge job failed")

            return callback

        target.run_once(job(_daily), when=first_after, name=JOB_START)
        target.run_daily(job(_daily), time=at, name=JOB_DAILY)
        target.run_repeating(job(_retry), interval=retry_every, first=first_after * 2, name=JOB_RETRY)
        return

    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    def safe(work: Callable[[Callable[[], NudgeRunner]], NudgeResult]) -> Callable[[], None]:
        def run() -> None:
            try:
                work(runner_factory)
            except Exception:
                log.exception("nudge job failed")

        return run

    start = dt.datetime.now(JST) + first_after
    tz = at.tzinfo or JST
    target.add_job(safe(_daily), "date", run_date=start, id=JOB_START, replace_existing=True)
    target.add_job(
        safe(_daily),
        CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
        id=JOB_DAILY,
        replace_existing=True,
    )
    target.add_job(
        safe(_retry),
        IntervalTrigger(seconds=int(retry_every.total_seconds()), start_date=start + first_after),
        id=JOB_RETRY,
        replace_existing=True,
    )


def start_for_slack(runner_factory: Callable[[], NudgeRunner], **options: Any) -> Any:
    """A started ``BackgroundScheduler`` with the nudge jobs (``shutdown()`` it on exit)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=JST)
    schedule_nudges(scheduler, runner_factory, **options)
    scheduler.start()
    return scheduler


def nudges_enabled() -> bool:
    """``DXLAB_NUDGE=off`` (or 0/false/no) turns the scheduled nudge off."""
    return os.environ.get("DXLAB_NUDGE", "").strip().lower() not in ("off", "0", "false", "no")
