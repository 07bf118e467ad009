"""Which reminders are due today, for whom, and what they say (from each lab's draft scorecard).

Owns the step from the registry to ``NewReminder`` rows: the rules of
``criteria.transition_rules`` give the stages due, the contact gives the channel (Slack first, then
Telegram; none → recorded as ``no_contact`` and reported), and the lab's draft check gives the body:
what the draft still lacks, or an invitation to start one. Keys are
``f"{lab_id}:{deadline}:{stage}"``; an escalation adds ``:{channel}:{target}`` per coordinator.
Bodies are only built for keys not recorded yet, so a daily run does not re-check every draft.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.coordinator.notifiers import CONSOLE, SLACK, TELEGRAM
from bot.service import DialogService
from criteria import transition_rules as rules
from criteria.eras import wareki_date
from criteria.report import CheckReport
from renderers.messages import message
from storage.base import Lab
from storage.lab_registry import NO_CONTACT, NewReminder, RegistryEntry, RegistryStore

log = logging.getLogger(__name__)
MAX_LACKS = 3
COORDINATOR_ROLE = "coordinator"


def reminder_key(lab_id: int, deadline: dt.date, stage: str, recipient: str = "") -> str:
    key = f"{lab_id}:{deadline.isoformat()}:{stage}"
    return f"{key}:{recipient}" if recipient else key


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

    def plan(self, today: dt.date) -> list[NewReminder]:
        """Every reminder due on ``today`` that is not recorded yet."""
        wanted: list[tuple[RegistryEntry, dt.date, rules.Stage, str, str, str]] = []
        coordinators: Sequence[tuple[str, str]] | None = None
        for entry in self.registry.entries():
            end = self.deadline_of(entry)
            for stage in rules.due_stages(status=entry.status, end=end, today=today, rules=self.settings):
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

    def active_deadlines(self) -> dict[int, str]:
        """The current deadline of every lab still in transition (finished labs are absent).

        A recorded reminder whose lab is missing here, or whose deadline differs, no longer applies.
        """
        found: dict[int, str] = {}
        for entry in self.registry.entries():
            end = self.deadline_of(entry)
            if end is not None and not rules.is_finished(entry.status):
                found[entry.lab_id] = end.isoformat()
        return found
