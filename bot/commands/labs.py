"""``dxlab labs import|list|set``: the coordinators' registry of labs in transition.

``import FILE.csv [--skip-bad]`` reads UTF-8 or CP932 with English or Japanese headers; a file
with bad rows imports nothing and lists every bad line (``--skip-bad`` imports the good rows).
``list [--status S] [--due-within DAYS] [--json]`` draws a rich table (or JSON);
``set NAME --status S [--deadline YYYY-MM-DD|なし]`` updates one lab.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.coordinator.csv_import import parse_date, read_registry_csv
from bot.coordinator.planner import area_of, contact_text
from bot.coordinator.service import KEEP, CoordinatorService, days_left_text, draft_text
from bot.errors import UserError
from bot.roles import Action, console_person
from bot.wiring import add_db_option, open_coordinator
from criteria import transition_rules as rules
from criteria.bounded import bounded_int
from renderers.messages import message

_CLEAR = ("なし", "無し", "none", "-", "－")


def _status(value: str) -> str:
    found = rules.parse_status(value)
    if found is None:
        raise UserError(message("coordinator.bad_status", value=value))
    return found


def _day(value: str) -> dt.date:
    found = parse_date(value)
    if found is None:
        raise UserError(message("coordinator.bad_date", value=value))
    return found


def _days(value: str) -> int:
    days = bounded_int(value)
    if days is None:
        raise UserError(message("coordinator.bad_days", value=value))
    return days


def add_parser(subparsers: Any) -> None:
    help_text = message("coordinator.help_labs")
    parser: argparse.ArgumentParser = subparsers.add_parser("labs", help=help_text, description=help_text)
    actions = parser.add_subparsers(dest="labs_command", metavar="ACTION", parser_class=type(parser))
    actions.required = True

    imp = actions.add_parser("import", help=message("coordinator.help_labs_import"))
    imp.add_argument("file", type=Path, metavar="FILE.csv", help=message("coordinator.help_labs_file"))
    imp.add_argument("--skip-bad", action="store_true", help=message("coordinator.help_skip_bad"))
    add_db_option(imp)
    imp.set_defaults(handler=run_import)

    lst = actions.add_parser("list", help=message("coordinator.help_labs_list"))
    lst.add_argument("--status", type=str, default=None, help=message("coordinator.help_status"))
    lst.add_argument(
        "--due-within", type=str, default=None, metavar="DAYS", help=message("coordinator.help_due_within")
    )
    lst.add_argument("--json", action="store_true", help=message("coordinator.help_json"))
    lst.add_argument(
        "--today", type=str, default=None, metavar="YYYY-MM-DD", help=message("coordinator.help_today")
    )
    add_db_option(lst)
    lst.set_defaults(handler=run_list)

    st = actions.add_parser("set", help=message("coordinator.help_labs_set"))
    st.add_argument("name", metavar="NAME", help=message("coordinator.help_labs_name"))
    st.add_argument("--status", type=str, default=None, help=message("coordinator.help_set_status"))
    st.add_argument(
        "--deadline",
        type=str,
        default=None,
        metavar="YYYY-MM-DD",
        help=message("coordinator.help_set_deadline"),
    )
    add_db_option(st)
    st.set_defaults(handler=run_set)


def _as_coordinator(service: CoordinatorService) -> None:
    """Registry changes need the coordinator role (or admin): the terminal's OS account."""
    try:
        service.dialog.policy.require(console_person(service.store).id, Action.REGISTRY)
    except BaseException:
        service.store.close()
        raise


def run_import(args: argparse.Namespace) -> int:
    result = read_registry_csv(args.file)
    if result.errors and not args.skip_bad:
        lines = [message("coordinator.csv_bad_rows", path=str(args.file), count=len(result.errors))]
        lines += [e.text() for e in result.errors]
        raise UserError("\n".join(lines))
    if not result.entries and not result.errors:
        raise UserError(message("coordinator.csv_empty", path=str(args.file)))
    service = open_coordinator(args.db)
    _as_coordinator(service)
    new, updated = service.import_entries(result.entries)
    print(message("coordinator.csv_imported", count=len(result.entries), new=new, updated=updated))
    if result.errors:
        print(message("coordinator.csv_skipped", count=len(result.errors)))
        for error in result.errors:
            print(error.text())
    return 0


def run_list(args: argparse.Namespace) -> int:
    status = _status(args.status) if args.status else None
    due_within = _days(args.due_within) if args.due_within is not None else None
    today = _day(args.today) if args.today else None
    service = open_coordinator(args.db)
    day = today or service.today()
    views = service.labs(status=status, due_within=due_within, today=day)
    if args.json:
        sys.stdout.write(json.dumps([v.to_json() for v in views], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not views:
        print(message("coordinator.no_labs"))
        return 0
    table = Table(title=message("coordinator.table_title", today=day.isoformat(), count=len(views)))
    for key in ("name", "area", "kind", "status", "deadline", "left", "draft", "contact"):
        table.add_column(message(f"coordinator.col_{key}"), overflow="fold")
    for v in views:
        overdue = v.days_left is not None and v.days_left < 0 and not rules.is_finished(v.entry.status)
        table.add_row(
            Text(v.entry.name),
            Text(area_of(v.entry)),
            Text(rules.kind_label(v.entry.kind)),
            Text(rules.status_label(v.entry.status)),
            Text(v.deadline.isoformat() if v.deadline else message("coordinator.no_deadline")),
            Text(days_left_text(v), style="bold red" if overdue else ""),
            Text(draft_text(v)),
            Text(contact_text(v.entry)),
        )
    console = Console(highlight=False, emoji=False, markup=False)
    if not console.is_terminal:
        console.width = max(console.width, 140)
    console.print(table)
    return 0


def run_set(args: argparse.Namespace) -> int:
    if args.status is None and args.deadline is None:
        raise UserError(message("coordinator.set_nothing"))
    status = _status(args.status) if args.status else None
    deadline: dt.date | str | None = KEEP
    if args.deadline is not None:
        deadline = None if args.deadline.strip().casefold() in _CLEAR else _day(args.deadline)
    service = open_coordinator(args.db)
    _as_coordinator(service)
    entry = service.update(args.name, status=status, deadline=deadline)
    if entry is None:
        raise UserError(message("coordinator.unknown_lab", name=args.name))
    end = service.planner.deadline_of(entry)
    print(
        message(
            "coordinator.set_done",
            name=entry.name,
            status=rules.status_label(entry.status),
            deadline=end.isoformat() if end else message("coordinator.no_deadline"),
        )
    )
    return 0
