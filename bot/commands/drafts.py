"""``dxlab drafts``: every draft on this database, for anyone at the terminal.

Owns the summary of a draft (lab name, % answered, last change and who made it), shared with
``dxlab export``, which takes the person's only or most recent draft when ``--lab`` is left out.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.wiring import add_db_option, open_db
from dialogs.flow import default_flow
from dialogs.progress import percent_answered
from dialogs.state import Draft
from renderers.messages import message
from renderers.text import terminal_safe
from storage.base import Lab, Store


@dataclass(frozen=True)
class DraftSummary:
    """One draft as ``dxlab drafts`` lists it."""

    lab: Lab
    percent: int
    changed_at: str  # ISO 8601 UTC of the last change
    changed_by: str


def summaries(store: Store) -> list[DraftSummary]:
    """Every lab with at least one answer, the most recently changed first."""
    flow = default_flow()
    found = []
    for lab in store.labs():
        history = store.history(lab.id)
        if not history:
            continue
        stored = store.draft(lab.id)
        draft = Draft(answers=dict(stored.answers), skipped=stored.skipped, review=stored.review)
        last = history[-1]
        found.append(DraftSummary(lab, percent_answered(flow, draft), last.at, last.person))
    return sorted(found, key=lambda s: s.changed_at, reverse=True)


def local_time(at: str) -> str:
    """An ISO 8601 UTC time as the terminal's local time, to the minute."""
    try:
        return dt.datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def row(summary: DraftSummary) -> str:
    return message(
        "cli.drafts_row",
        name=summary.lab.name,
        percent=summary.percent,
        at=local_time(summary.changed_at),
        who=summary.changed_by,
        escape=terminal_safe,
    )


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "drafts", help=message("cli.help_drafts"), description=message("cli.help_drafts")
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    store = open_db(args.db)
    try:
        found = summaries(store)
    finally:
        store.close()
    if not found:
        print(message("cli.drafts_none"))
        return 0
    print(message("cli.drafts_header", count=len(found)))
    for summary in found:
        print(row(summary))
    print(message("cli.drafts_footer"))
    return 0
