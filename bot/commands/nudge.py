"""``dxlab nudge [--dry-run] [--today YYYY-MM-DD] [--json]``: send the reminders due today (for cron).

Records each due reminder before sending it and never sends one twice (``bot.coordinator.runner``);
Slack and Telegram are used when ``SLACK_BOT_TOKEN`` / ``TELEGRAM_BOT_TOKEN`` are set, and what has
no channel configured is retried later and reported. ``--dry-run`` prints what would be sent and
records nothing. Exit 0 when the run completed, even with failed sends (they are listed and kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from bot.commands.labs import _day
from bot.coordinator.notifiers import Outgoing, TerminalNotifier
from bot.coordinator.runner import JST, NudgeResult, system_clock
from bot.settings import load_dotenv
from bot.wiring import add_db_option, notifiers_from_env, open_coordinator
from renderers.messages import message


def add_parser(subparsers: Any) -> None:
    help_text = message("coordinator.help_nudge")
    parser: argparse.ArgumentParser = subparsers.add_parser("nudge", help=help_text, description=help_text)
    parser.add_argument("--dry-run", action="store_true", help=message("coordinator.help_dry_run"))
    parser.add_argument(
        "--today", type=str, default=None, metavar="YYYY-MM-DD", help=message("coordinator.help_today")
    )
    parser.add_argument("--json", action="store_true", help=message("coordinator.help_json"))
    add_db_option(parser)
    parser.set_defaults(handler=run)


def print_result(result: NudgeResult) -> None:
    """The Japanese summary of a run."""
    lines = [message("coordinator.nudge_sent", count=len(result.sent))]
    if result.failed:
        lines.append(message("coordinator.nudge_failed", count=len(result.failed)))
        lines += [
            message(
                "coordinator.nudge_failed_item",
                lab=f.reminder.lab_name,
                stage=f.reminder.stage,
                channel=f.reminder.channel,
                target=f.reminder.target,
                error=f.error,
                attempts=f.attempts,
                retry=f.retry_at,
            )
            for f in result.failed
        ]
    for key, items in (("unknown", result.unknown), ("no_contact", result.no_contact)):
        if items:
            lines.append(message(f"coordinator.nudge_{key}", count=len(items)))
            lines += [
                message(
                    f"coordinator.nudge_{key}_item",
                    lab=r.lab_name,
                    stage=r.stage,
                    channel=r.channel,
                    target=r.target,
                )
                for r in items
            ]
    if result.cancelled:
        lines.append(message("coordinator.nudge_cancelled", count=len(result.cancelled)))
    print("\n".join(lines))


def run(args: argparse.Namespace) -> int:
    load_dotenv()
    today = _day(args.today) if args.today else None
    clock = system_clock
    if today is not None:
        wall = dt.datetime.now(JST)
        clock = lambda: dt.datetime.combine(today, wall.timetz())  # noqa: E731
    service = open_coordinator(args.db, clock=clock)
    out = sys.stderr if args.json else sys.stdout
    if args.dry_run:
        result = service.runner({}).run(today=today, dry_run=True)
        if not args.json:
            print(message("coordinator.nudge_dry_title", today=result.today.isoformat()))
            terminal = TerminalNotifier(out)
            for item in result.planned:
                terminal.send(
                    Outgoing(
                        key=item.key,
                        channel=item.channel,
                        target=item.target,
                        lab=item.lab_name,
                        stage=item.stage,
                        body=item.body,
                    )
                )
            if not result.planned:
                print(message("coordinator.nudge_nothing"))
    else:
        runner = service.runner(notifiers_from_env(out))
        result = runner.run(today=today)
        if not args.json:
            print(message("coordinator.nudge_title", today=result.today.isoformat()))
            print_result(result)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    return 0
