"""The coordinators' facade: registry import/list/update, one lab's view, the nudge, the role check.

Owns what the command line (``dxlab labs``, ``dxlab nudge``) and the chat commands (Slack
``/dxlab labs|lab|nudge``, Telegram ``/labs /lab /nudge``) share, so each adapter only parses and
prints. Importing a lab also binds its chat contacts to it (when they are not bound yet), so the
「続きに答える」 button and ``/start`` in a reminder open that lab's draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.coordinator.notifiers import SLACK, TELEGRAM, Notifier
from bot.coordinator.planner import Planner, contact_on
from bot.coordinator.runner import JST, Clock, NudgeRunner, RetryPolicy, system_clock
from bot.service import DialogService
from criteria import transition_rules as rules
from renderers.messages import message
from storage.base import Lab
from storage.lab_registry import RegistryEntry, RegistryStore
from storage.sqlite import SQLiteStore

KEEP = "keep"


@dataclass(frozen=True, kw_only=True)
class LabView:
    """A registered lab as coordinators see it today."""

    entry: RegistryEntry
    deadline: dt.date | None
    days_left: int | None
    readiness: int | None  # percent; None without a draft
    lacks: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        e = self.entry
        return {
            "name": e.name,
            "prefecture": e.prefecture,
            "municipality": e.municipality,
            "kind": e.kind,
            "kind_label": rules.kind_label(e.kind),
            "iot_selected_on": e.iot_selected_on,
            "status": e.status,
            "status_label": rules.status_label(e.status),
            "contact_slack": contact_on(e, SLACK) or None,
            "contact_telegram": contact_on(e, TELEGRAM) or None,
            "contacts": [{"channel": c, "id": x} for c, x in e.contacts],
            "transition_deadline": e.transition_deadline,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "has_draft": e.has_draft,
            "readiness": self.readiness,
            "lacks": list(self.lacks),
        }


class CoordinatorService:
    """Registry and reminders on one database."""

    def __init__(
        self,
        *,
        dialog: DialogService,
        store: SQLiteStore,
        settings: rules.Settings = rules.SETTINGS,
        clock: Clock = system_clock,
    ) -> None:
        self.dialog = dialog
        self.store = store
        self.registry = RegistryStore(store)
        self.clock = clock
        self.planner = Planner(registry=self.registry, service=dialog, settings=settings)

    def today(self) -> dt.date:
        return self.clock().astimezone(JST).date()

    # --- the registry --------------------------------------------------------------------------

    def import_entries(self, entries: Sequence[RegistryEntry]) -> tuple[int, int]:
        """Save the entries, bind their contacts and make person contacts staff, all in one
        transaction (a run killed mid-way leaves nothing half-bound); returns (new, updated)."""
        with self.store.transaction():
            known = self._import(entries)
        updated = sum(1 for e in entries if e.name in known)
        return len(entries) - updated, updated

    def _import(self, entries: Sequence[RegistryEntry]) -> set[str]:
        known = {e.name for e in self.registry.entries()}
        self.registry.save(entries, at=self.clock())
        for entry in entries:
            saved = self.registry.entry(entry.name)
            assert saved is not None
            for channel, target in entry.contacts:
                if target and self.store.bound_lab(channel, target) is None:
                    self.store.bind(channel, target, saved.lab_id)
                if target and _is_person(channel, target):
                    # the lab's registered contact works on its draft: staff of that lab
                    person = self.store.person(target, channel=channel, external_id=target)
                    lab = Lab(saved.lab_id, entry.name)
                    self.dialog.policy.add_staff(person.id, lab, granted_by=None)
        return known

    def view(self, entry: RegistryEntry, today: dt.date) -> LabView:
        end = self.planner.deadline_of(entry)
        draft = self.planner.draft(entry)
        return LabView(
            entry=entry,
            deadline=end,
            days_left=(end - today).days if end else None,
            readiness=draft.percent if draft.report else None,
            lacks=tuple(draft.lacks()),
        )

    def labs(
        self, *, status: str | None = None, due_within: int | None = None, today: dt.date | None = None
    ) -> list[LabView]:
        """Registered labs, by deadline (no deadline last), then name."""
        day = today or self.today()
        views = [self.view(e, day) for e in self.registry.entries(status=status)]
        if due_within is not None:
            views = [
                v
                for v in views
                if v.days_left is not None
                and v.days_left <= due_within
                and not rules.is_finished(v.entry.status)
            ]
        return sorted(views, key=lambda v: (v.deadline is None, v.deadline or dt.date.max, v.entry.name))

    def lab(self, name: str, *, today: dt.date | None = None) -> LabView | None:
        entry = self.registry.entry(name)
        return self.view(entry, today or self.today()) if entry else None

    def update(
        self, name: str, *, status: str | None = None, deadline: dt.date | str | None = KEEP
    ) -> RegistryEntry | None:
        """Change the status and/or the lab's own deadline (``None`` clears it); ``None`` if unknown."""
        entry = self.registry.entry(name)
        if entry is None:
            return None
        own = entry.transition_deadline
        if deadline != KEEP:
            own = deadline.isoformat() if isinstance(deadline, dt.date) else None
        self.registry.save(
            [replace(entry, status=status or entry.status, transition_deadline=own)], at=self.clock()
        )
        return self.registry.entry(name)

    def reminders_of(self, name: str) -> list[str]:
        entry = self.registry.entry(name)
        if entry is None:
            return []
        return [f"{r.stage}({r.status})" for r in self.registry.reminders(lab_id=entry.lab_id)]

    # --- nudges and roles ----------------------------------------------------------------------

    def runner(self, notifiers: Mapping[str, Notifier], *, policy: RetryPolicy | None = None) -> NudgeRunner:
        return NudgeRunner(
            registry=self.registry, planner=self.planner, notifiers=notifiers, clock=self.clock, policy=policy
        )


def days_left_text(view: LabView) -> str:
    """「あと30日」「期限を5日過ぎています」「期限未設定」 for a lab."""
    if view.days_left is None:
        return message("coordinator.no_deadline")
    if view.days_left < 0:
        return message("coordinator.days_over", days=-view.days_left)
    return message("coordinator.days_left", days=view.days_left)


def draft_text(view: LabView) -> str:
    """The lab's draft in one phrase: none yet, or its readiness."""
    if view.readiness is None:
        return message("coordinator.draft_none")
    return message("coordinator.draft_readiness", percent=view.readiness)


def _is_person(channel: str, target: str) -> bool:
    """A contact that is one person (a Slack user, a private Telegram chat), not a channel/group."""
    if channel == SLACK:
        return target[:1] in ("U", "W")
    return target.lstrip("-").isdigit() and not target.startswith("-")
