"""Which reminders are due today, for whom, and what they say (from each lab's draft scorecard).

Owns the step from the registry to ``NewReminder`` rows: the rules of
``criteria.transition_rules`` give the stages due, the contact gives the channel (Slack first, then
Telegram; none → recorded as ``no_contact`` and reported), and the lab's draft check gives the body:
what the draft still lacks, or an invitation to start one. Keys are
``f"{lab_id}:{deadline}:{stage}"``; an escalation adds ``:{channel}:{target}`` per coordinator.
Bodies are only built for keys not recorded yet, so a daily run does not re-check every draft.

Stages of one lab and deadline are ordered (``d180`` < ``d90`` < … < ``d7`` < the overdue weeks):
once a stage is recorded, an earlier one is never planned or sent again, even when the clock
moves back. ``current`` says which recorded stages are still the ones to send today, and their
text as of today, so a send that failed for days is cancelled once its stage has passed and
otherwise says the days left on the day it goes out.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.coordinator.notifiers import CONSOLE, SLACK, TELEGRAM
from bot.service import DialogService
from criteria import transition_rules as rules
from criteria.bounded import bounded_int
from criteria.eras import wareki_date
from criteria.report import CheckReport
from renderers.messages import message
from storage.base import Lab
from storage.lab_registry import CANCELLED, NO_CONTACT, NewReminder, RegistryEntry, RegistryStore, Reminder

log = logging.getLogger(__name__)
MAX_LACKS = 3
COORDINATOR_ROLE = "coordinator"


def reminder_key(lab_id: int, deadline: dt.date, stage: str, recipient: str = "") -> str:
    key = f"{lab_id}:{deadline.isoformat()}:{stage}"
    return f"{key}:{recipient}" if recipient else key


def stage_rank(name: str) -> tuple[int, int, int] | None:
    """Where a lab stage comes in time: ``d180`` < ``d90`` < ``d7`` < ``overdue-2025-W49`` <
    ``overdue-2025-W50``; ``None`` for the coordinators' escalation (not a lab stage)."""
    if name.startswith(rules.OVERDUE_PREFIX):
        year, _, week = name.removeprefix(rules.OVERDUE_PREFIX).partition("-W")
        y, w = bounded_int(year, max_digits=4), bounded_int(week, max_digits=2)
        return (1, y, w) if y is not None and w is not None else None
    days = bounded_int(name[1:], max_digits=5) if name.startswith("d") else None
    return (0, -days, 0) if days is not None else None


def show_date(day: dt.date) -> str:
    """令和7年11月30日 (2025年)."""
    return wareki_date(day)


#: How a contact's channel is named to coordinators (``Slack U123``).
CHANNEL_LABELS = {SLACK: "Slack", TELEGRAM: "Telegram"}


def contact_of(entry: RegistryEntry) -> tuple[str, str] | None:
    """The contact a reminder goes to: the first one registered."""
    return entry.contacts[0] if entry.contacts else None


def contact_on(entry: RegistryEntry, channel: str) -> str:
    """The lab's contact on ``channel`` (empty when it has none there)."""
    return next((target for c, target in entry.contacts if c == channel), "")


def area_of(entry: RegistryEntry) -> str:
    return f"{entry.prefecture}{entry.municipality}" or message("coordinator.none")


def contact_text(entry: RegistryEntry) -> str:
    parts = [f"{CHANNEL_LABELS.get(channel, channel)} {target}" for channel, target in entry.contacts]
    return " / ".join(parts) or message("coordinator.none")


@dataclass(frozen=True, kw_only=True)
class Current:
    """A lab's reminder stages due today: the entry, its deadline and the stages by name."""

    entry: RegistryEntry
    deadline: dt.date
    stages: Mapping[str, rules.Stage]


@dataclass(frozen=True)
class Draft:
    """What the reminder says about the lab's draft: ``None`` report when there is no draft."""

    report: CheckReport | None

    @property
    def percent(self) -> int:
        return round(self.report.readiness * 100) if self.report else 0

    def lacks(self) -> list[str]:
        if self.report is None:
            return []
        problems = sorted(self.report.problems(), key=lambda f: f.severity != "error")
        seen: list[str] = []
        for finding in problems:
            if finding.message not in seen:
                seen.append(finding.message)
        return seen


def lab_body(entry: RegistryEntry, *, deadline: dt.date, days_left: int, channel: str, draft: Draft) -> str:
    """The reminder to the lab: the deadline, what the draft lacks, how to continue."""
    params: dict[str, Any] = {
        "lab": entry.name,
        "deadline": show_date(deadline),
        "status": rules.status_label(entry.status),
    }
    if days_left > 0:
        lines = [message("coordinator.reminder_before", days=days_left, **params)]
    elif days_left == 0:
        lines = [message("coordinator.reminder_today", **params)]
    else:
        lines = [message("coordinator.reminder_overdue", days=-days_left, **params)]
    new = draft.report is None
    if new:
        lines.append(message("coordinator.reminder_no_draft"))
    else:
        lacks = draft.lacks()
        if lacks:
            lines.append(message("coordinator.reminder_lacks", percent=draft.percent))
            lines += [message("coordinator.reminder_lack_item", text=t) for t in lacks[:MAX_LACKS]]
            if len(lacks) > MAX_LACKS:
                lines.append(message("coordinator.reminder_more", count=len(lacks) - MAX_LACKS))
        else:
            lines.append(message("coordinator.reminder_ready", percent=draft.percent))
    suffix = "_new" if new else ""
    lines.append(message(f"coordinator.continue_{channel}{suffix}", lab=entry.name))
    return "\n".join(lines)


def escalation_body(entry: RegistryEntry, *, deadline: dt.date, days_left: int, draft: Draft) -> str:
    lines = [
        message(
            "coordinator.escalation",
            lab=entry.name,
            area=area_of(entry),
            deadline=show_date(deadline),
            days=-days_left,
            status=rules.status_label(entry.status),
            contact=contact_text(entry),
        ),
        message("coordinator.escalation_draft", percent=draft.percent, count=len(draft.lacks()))
        if draft.report
        else message("coordinator.escalation_no_draft"),
        message("coordinator.escalation_next"),
    ]
    return "\n".join(lines)


class Planner:
    """Turns the registry into the reminders due on a given day."""

    def __init__(
        self,
        *,
        registry: RegistryStore,
        service: DialogService,
        settings: rules.Settings = rules.SETTINGS,
        coordinators: Callable[[], Sequence[tuple[str, str]]] | None = None,
    ) -> None:
        self.registry = registry
        self.service = service
        self.settings = settings
        self._coordinators = coordinators or (
            lambda: registry.role_contacts(COORDINATOR_ROLE, (SLACK, TELEGRAM))
        )

    def deadline_of(self, entry: RegistryEntry) -> dt.date | None:
        return rules.deadline(
            kind=entry.kind,
            iot_selected_on=dt.date.fromisoformat(entry.iot_selected_on) if entry.iot_selected_on else None,
            own_deadline=dt.date.fromisoformat(entry.transition_deadline)
            if entry.transition_deadline
            else None,
            rules=self.settings,
        )

    def draft(self, entry: RegistryEntry) -> Draft:
        if not entry.has_draft:
            return Draft(None)
        return Draft(self.service.report(Lab(entry.lab_id, entry.name)))

    def _latest_recorded(self) -> dict[tuple[int, str], tuple[int, int, int]]:
        """The latest lab stage recorded (sent, pending …, not cancelled) per (lab, deadline)."""
        latest: dict[tuple[int, str], tuple[int, int, int]] = {}
        for row in self.registry.reminders():
            rank = stage_rank(row.stage)
            if rank is None or row.status == CANCELLED:
                continue
            key = (row.lab_id, row.deadline)
            if key not in latest or rank > latest[key]:
                latest[key] = rank
        return latest

    def _due(
        self, entry: RegistryEntry, today: dt.date, latest: Mapping[tuple[int, str], tuple[int, int, int]]
    ) -> tuple[dt.date | None, list[rules.Stage]]:
        """The stages due today, without a lab stage earlier than one already recorded."""
        end = self.deadline_of(entry)
        stages = rules.due_stages(status=entry.status, end=end, today=today, rules=self.settings)
        if end is None:
            return None, []
        recorded = latest.get((entry.lab_id, end.isoformat()))
        kept = []
        for stage in stages:
            rank = stage_rank(stage.name) if stage.audience == "lab" else None
            if rank is not None and recorded is not None and rank < recorded:
                continue  # a later stage was recorded already (the clock moved back)
            kept.append(stage)
        return end, kept

    def current(self, today: dt.date, *, only: Sequence[int] | None = None) -> dict[int, Current]:
        """The stages each lab should be sent on ``today`` (labs with none, or finished, absent)."""
        latest = self._latest_recorded()
        found: dict[int, Current] = {}
        for entry in self.registry.entries():
            if only is not None and entry.lab_id not in only:
                continue
            end, stages = self._due(entry, today, latest)
            if end is not None and stages:
                found[entry.lab_id] = Current(entry=entry, deadline=end, stages={s.name: s for s in stages})
        return found

    def body_today(self, reminder: Reminder, current: Current, drafts: dict[int, Draft]) -> str | None:
        """The text of a recorded reminder as of today, or ``None`` when its stage is not current."""
        stage = current.stages.get(reminder.stage)
        if stage is None or current.deadline.isoformat() != reminder.deadline:
            return None
        entry = current.entry
        if entry.lab_id not in drafts:
            drafts[entry.lab_id] = self.draft(entry)
        draft = drafts[entry.lab_id]
        if stage.audience == "lab":
            shown = reminder.channel if reminder.channel in (SLACK, TELEGRAM) else CONSOLE
            return lab_body(
                entry, deadline=current.deadline, days_left=stage.days_left, channel=shown, draft=draft
            )
        return escalation_body(entry, deadline=current.deadline, days_left=stage.days_left, draft=draft)

    def plan(self, today: dt.date) -> list[NewReminder]:
        """Every reminder due on ``today`` that is not recorded yet."""
        wanted: list[tuple[RegistryEntry, dt.date, rules.Stage, str, str, str]] = []
        coordinators: Sequence[tuple[str, str]] | None = None
        latest = self._latest_recorded()
        for entry in self.registry.entries():
            end, stages = self._due(entry, today, latest)
            for stage in stages:
                assert end is not None
                if stage.audience == "lab":
                    found = contact_of(entry)
                    channel, target = found if found else ("none", "")
                    wanted.append(
                        (entry, end, stage, reminder_key(entry.lab_id, end, stage.name), channel, target)
                    )
                    continue
                if coordinators is None:
                    coordinators = list(self._coordinators())
                for channel, target in coordinators or [(CONSOLE, "coordinators")]:
                    recipient = f"{channel}:{target}" if coordinators else ""
                    key = reminder_key(entry.lab_id, end, stage.name, recipient)
                    wanted.append((entry, end, stage, key, channel, target))
        known = self.registry.known_keys(w[3] for w in wanted)
        drafts: dict[int, Draft] = {}
        planned: list[NewReminder] = []
        for entry, end, stage, key, channel, target in wanted:
            if key in known:
                continue
            if entry.lab_id not in drafts:
                drafts[entry.lab_id] = self.draft(entry)
            draft = drafts[entry.lab_id]
            if stage.audience == "lab":
                shown = channel if channel in (SLACK, TELEGRAM) else CONSOLE
                body = lab_body(entry, deadline=end, days_left=stage.days_left, channel=shown, draft=draft)
            else:
                body = escalation_body(entry, deadline=end, days_left=stage.days_left, draft=draft)
            planned.append(
                NewReminder(
                    key=key,
                    lab_id=entry.lab_id,
                    lab_name=entry.name,
                    deadline=end.isoformat(),
                    stage=stage.name,
                    channel=channel,
                    target=target,
                    body=body,
                    status=NO_CONTACT if channel == "none" else "pending",
                )
            )
        return planned
