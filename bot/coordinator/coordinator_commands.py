"""The coordinators' chat commands ``labs``, ``lab NAME`` and ``nudge``, registered once.

Owns their plain-text replies (Slack ``/dxlab labs``, Telegram ``/labs``, ``/labs`` in ``dxlab
chat``); the router checks the role first (action ``labs`` for the list and one lab — coordinators,
the secretariat, admins — and ``nudge`` for sending — coordinators and admins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.coordinator.planner import area_of, contact_text
from bot.coordinator.runner import NudgeRunner
from bot.coordinator.service import CoordinatorService, days_left_text, draft_text
from bot.core.commands import Caller, ChatCommand, Output, TextOut
from bot.roles import Action
from criteria import transition_rules as rules
from renderers.messages import message

MAX_LISTED = 40
DENIED = "coordinator.chat_forbidden"


def labs_text(service: CoordinatorService) -> str:
    views = service.labs()
    lines = [message("coordinator.chat_labs_title", count=len(views))]
    lines += [
        message(
            "coordinator.chat_labs_item",
            name=v.entry.name,
            status=rules.status_label(v.entry.status),
            deadline=v.deadline.isoformat() if v.deadline else message("coordinator.no_deadline"),
            left=days_left_text(v),
            draft=draft_text(v),
        )
        for v in views[:MAX_LISTED]
    ]
    return "\n".join(lines) if views else message("coordinator.no_labs")


def lab_text(service: CoordinatorService, name: str, *, channel: str) -> str:
    name = name.strip()
    if not name:
        example = message(f"coordinator.chat_lab_example_{'slack' if channel == 'slack' else 'telegram'}")
        return message("coordinator.chat_lab_usage", example=example)
    view = service.lab(name)
    if view is None:
        return message("coordinator.unknown_lab", name=name)
    lines = [
        message(
            "coordinator.chat_lab_detail",
            name=view.entry.name,
            area=area_of(view.entry),
            kind=rules.kind_label(view.entry.kind),
            status=rules.status_label(view.entry.status),
            deadline=view.deadline.isoformat() if view.deadline else message("coordinator.no_deadline"),
            left=days_left_text(view),
            contact=contact_text(view.entry),
            draft=draft_text(view),
        )
    ]
    lines += [message("coordinator.reminder_lack_item", text=t) for t in view.lacks[:5]]
    sent = service.reminders_of(name)
    if sent:
        lines.append(message("coordinator.chat_lab_reminders", stages="、".join(sent)))
    return "\n".join(lines)


def nudge_text(runner_factory: Callable[[], NudgeRunner]) -> str:
    result = runner_factory().run()
    return message(
        "coordinator.chat_nudge_done",
        sent=len(result.sent),
        failed=len(result.failed),
        unknown=len(result.unknown),
        no_contact=len(result.no_contact),
    )


def coordinator_commands(
    service: CoordinatorService, runner_factory: Callable[[], NudgeRunner]
) -> list[ChatCommand]:
    """``labs``, ``lab`` and ``nudge`` on ``service`` (``nudge`` sends with ``runner_factory``'s runner)."""

    def labs(caller: Caller, args: str) -> Sequence[Output]:
        return [TextOut(labs_text(service))]

    def lab(caller: Caller, args: str) -> Sequence[Output]:
        return [TextOut(lab_text(service, args, channel=caller.channel))]

    def nudge(caller: Caller, args: str) -> Sequence[Output]:
        return [TextOut(nudge_text(runner_factory))]

    return [
        ChatCommand(name="labs", handler=labs, action=Action.LABS, denied=DENIED),
        ChatCommand(name="lab", handler=lab, args="NAME", action=Action.LABS, denied=DENIED),
        ChatCommand(name="nudge", handler=nudge, action=Action.NUDGE, denied=DENIED),
    ]
