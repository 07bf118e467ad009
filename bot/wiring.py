"""The composition root: builds the store, the engine, the service, the roles policy, the
coordinators' service and the chat command router from the settings.

Owns the one place where concrete classes are chosen and put together (every channel and CLI
command asks here), and the translation of storage failures into clear Japanese ``UserError``s.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.errors import UserError
from bot.roles import Policy
from bot.service import DialogService
from bot.settings import db_path
from criteria import transition
from criteria.checking import run_checks
from dialogs.engine import Engine
from renderers.messages import message
from storage import StorageError, open_store
from storage.sqlite import SQLiteStore

if TYPE_CHECKING:
    from bot.coordinator.notifiers import Notifier
    from bot.coordinator.runner import Clock, NudgeRunner
    from bot.coordinator.service import CoordinatorService
    from bot.core.channel import Runtime
    from bot.core.commands import CommandSet
    from bot.core.router import Router


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help=message("cli.help_db"))


def open_db(explicit: str | None) -> SQLiteStore:
    """Open the database, or raise ``UserError`` saying why it cannot be used."""
    path: Path = db_path(explicit)
    try:
        return open_store(path)
    except StorageError as exc:
        raise UserError(storage_message(exc)) from exc


_STORAGE_MESSAGES = {
    "corrupt": "cli.db_corrupt",
    "locked": "cli.db_locked",
    "full": "cli.db_full",
    "newer": "cli.db_newer",
}


def storage_message(exc: StorageError) -> str:
    """The Japanese sentence for a database that cannot be used (``exc.kind`` says why)."""
    key = _STORAGE_MESSAGES.get(exc.kind, "cli.db_unwritable")
    found, _, supported = exc.detail.partition("/")
    return message(key, path=exc.path, detail=exc.detail, found=found, supported=supported)


#: The Application field that says the lab moves from a 地方版IoT推進ラボ (criteria.application).
TRANSITION_FIELD = "transition_from_iot_lab"


def build_engine() -> Engine:
    """The engine with the shipped flow, the checks and the transition gap."""
    return Engine(
        checker=run_checks,
        transition_gap=transition.gap_items,
        transition_viewpoints=transition.marked_viewpoints,
        transition_field=TRANSITION_FIELD,
    )


def policy_for(store: SQLiteStore) -> Policy:
    """The roles policy on an open store (``DXLAB_ADMINS`` read at each check)."""
    return Policy(store)


def service_for(store: SQLiteStore) -> DialogService:
    """The dialog service (engine and roles policy included) on an open store."""
    return DialogService(store=store, engine=build_engine(), policy=Policy(store))


def build_service(explicit_db: str | None) -> DialogService:
    return service_for(open_db(explicit_db))


def coordinator_for(service: DialogService, **options: Clock) -> CoordinatorService:
    """The coordinators' service on the dialog service's database (``clock=`` for tests)."""
    from bot.coordinator.service import CoordinatorService

    return CoordinatorService(dialog=service, store=service.store, **options)  # type: ignore[arg-type]


def open_coordinator(explicit_db: str | None, **options: Clock) -> CoordinatorService:
    """The coordinators' service on the database of ``--db`` / ``DXLAB_DB``."""
    return coordinator_for(build_service(explicit_db), **options)


def chat_commands(service: DialogService) -> CommandSet:
    """Every chat command, registered once: drafting, invitations, the coordinators', the secretariat's."""
    from bot.coordinator.coordinator_commands import coordinator_commands
    from bot.core.commands import CommandSet
    from bot.core.drafting import drafting_commands
    from bot.core.invites import invite_commands
    from bot.secretariat.secretariat_commands import secretariat_commands

    coordinator = coordinator_for(service)
    return (
        CommandSet()
        .extend(drafting_commands())
        .extend(invite_commands(service.store, service.policy))
        .extend(coordinator_commands(coordinator, nudge_factory(coordinator)))
        .extend(secretariat_commands(service))
    )


def build_router(service: DialogService) -> Router:
    """The router every channel (terminal, Slack, Telegram) sends its commands and turns through."""
    from bot.core.router import Router

    return Router(commands=chat_commands(service), policy=service.policy, service=service)


def start_nudges(service: DialogService, job_queue: object | None) -> object | None:
    """The scheduled nudge of a server: on a python-telegram-bot JobQueue when given (``dxlab serve
    telegram``), else on a started background scheduler to ``shutdown()`` (``dxlab serve slack``);
    ``None`` when ``DXLAB_NUDGE=off``."""
    from bot.coordinator.scheduler import nudges_enabled, schedule_nudges, start_for_slack

    if not nudges_enabled():
        return None
    factory = nudge_factory(coordinator_for(service))
    if job_queue is not None:
        schedule_nudges(job_queue, factory)
        return None
    return start_for_slack(factory)


def channel_runtime() -> Runtime:
    """What ``dxlab serve`` hands a channel: how to open the service, build the router, nudge."""
    from bot.core.channel import Runtime

    return Runtime(open_service=build_service, router_for=build_router, start_nudges=start_nudges)


def notifiers_from_env(out: TextIO) -> dict[str, Notifier]:
    """The terminal, plus Slack and Telegram when their tokens are set (``SLACK_BOT_TOKEN`` …)."""
    from bot.coordinator.notifiers import CONSOLE, SLACK, TELEGRAM, TerminalNotifier

    found: dict[str, Notifier] = {CONSOLE: TerminalNotifier(out)}
    slack_token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if slack_token:
        from bot.slack.notifier import SlackNotifier

        found[SLACK] = SlackNotifier(token=slack_token, base_url=os.environ.get("SLACK_API_URL") or None)
    telegram_token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if telegram_token:
        from bot.telegram.notifier import TelegramNotifier

        found[TELEGRAM] = TelegramNotifier(
            token=telegram_token, base_url=os.environ.get("TELEGRAM_API_BASE_URL") or None
        )
    return found


def nudge_factory(service: CoordinatorService, *, out: TextIO | None = None) -> Callable[[], NudgeRunner]:
    """Runners for the scheduler and ``nudge``: channels from the environment, the terminal as the
    log (stderr)."""
    notifiers = notifiers_from_env(out or sys.stderr)
    return lambda: service.runner(notifiers)
