"""Coordinator commands in chat: Slack ``/dxlab labs|lab NAME|nudge``, Telegram ``/labs /lab /nudge``.

Owns the platform-free part — the role check (``bot.roles.Policy``: actions ``labs`` and
``nudge``, held by coordinators, the secretariat (list only) and admins) and the Japanese reply as
plain text — plus the small hooks the channels call: ``slack_command`` and ``start_slack_nudges``
(Slack), ``add_telegram_commands`` and ``schedule_telegram_nudges`` (Telegram).
``DXLAB_NUDGE=off`` disables the scheduled nudge.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from bot.coordinator.service import CoordinatorService, days_left_text, draft_text, nudge_factory
from criteria import transition_rules as rules
from renderers.messages import message

COMMANDS: frozenset[str] = frozenset({"labs", "lab", "nudge"})
MAX_LISTED = 40


def allowed(service: CoordinatorService, person_id: int, command: str) -> bool:
    """Whether the person may use ``command`` (``labs``/``lab`` → action labs, ``nudge`` → nudge)."""
    from bot.roles import Action, Policy

    action = Action.NUDGE if command == "nudge" else Action.LABS
    return Policy(service.store).allowed(person_id, action)


def reply_text(
    service: CoordinatorService, *, person_id: int, command: str, argument: str, channel: str
) -> str:
    """The plain-text reply to a coordinator command (escape it for the channel)."""
    if not allowed(service, person_id, command):
        return message("coordinator.chat_forbidden")
    if command == "labs":
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
    if command == "lab":
        name = argument.strip()
        if not name:
            example = message(f"coordinator.chat_lab_example_{'slack' if channel == 'slack' else 'telegram'}")
            return message("coordinator.chat_lab_usage", example=example)
        view = service.lab(name)
        if view is None:
            return message("coordinator.unknown_lab", name=name)
        from bot.coordinator.planner import area_of, contact_text

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
    result = nudge_factory(service)().run()
    return message(
        "coordinator.chat_nudge_done",
        sent=len(result.sent),
        failed=len(result.failed),
        unknown=len(result.unknown),
        no_contact=len(result.no_contact),
    )


def _enabled() -> bool:
    return os.environ.get("DXLAB_NUDGE", "").strip().lower() not in ("off", "0", "false", "no")


def slack_command(service: Any, *, person_id: int, command: str, argument: str) -> str:
    """Slack's ``/dxlab labs|lab|nudge``: the reply as plain text (the dispatcher escapes it)."""
    coordinator = CoordinatorService(dialog=service, store=service.store)
    return reply_text(coordinator, person_id=person_id, command=command, argument=argument, channel="slack")


def start_slack_nudges(service: Any) -> Any:
    """Start the scheduled nudge for ``dxlab serve slack`` (``None`` when DXLAB_NUDGE=off)."""
    if not _enabled():
        return None
    from bot.coordinator.scheduler import start_for_slack

    return start_for_slack(nudge_factory(CoordinatorService(dialog=service, store=service.store)))


def add_telegram_commands(application: Any, service: Any) -> None:
    """Add ``/labs /lab /nudge`` to a PTB Application (group -1: before the unknown-command reply)."""
    from telegram.ext import ApplicationHandlerStop, CommandHandler

    from renderers.telegram.html import escape_html, split_html

    coordinator = CoordinatorService(dialog=service, store=service.store)

    async def on_command(update: Any, context: Any) -> None:
        msg, user = update.effective_message, update.effective_user
        if msg is None or user is None or not msg.text:
            return
        command = msg.text.split()[0].lstrip("/").split("@")[0].lower()
        argument = " ".join(context.args or [])

        def work() -> str:
            person = service.store.person(
                user.full_name or str(user.id), channel="telegram", external_id=str(user.id)
            )
            return reply_text(
                coordinator, person_id=person.id, command=command, argument=argument, channel="telegram"
            )

        text = await asyncio.to_thread(work)
        for piece in split_html(escape_html(text)):
            await msg.reply_text(piece, parse_mode="HTML")
        raise ApplicationHandlerStop

    application.add_handler(CommandHandler(sorted(COMMANDS), on_command), group=-1)


def schedule_telegram_nudges(application: Any, service: Any) -> None:
    """The scheduled nudge on the Application's JobQueue (``dxlab serve telegram``)."""
    if _enabled() and application.job_queue is not None:
        from bot.coordinator.scheduler import schedule_nudges

        schedule_nudges(
            application.job_queue, nudge_factory(CoordinatorService(dialog=service, store=service.store))
        )
