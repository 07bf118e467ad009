"""``dxlab import`` and ``dxlab export``: a lab's draft to and from application files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot import roles
from bot.appfile import answers_of
from bot.commands.drafts import row, summaries
from bot.errors import UserError
from bot.exporter import Format, export_new_file, write_export
from bot.roles import Action, console_person
from bot.wiring import add_db_option, open_db, policy_for
from dialogs.state import build_application
from renderers.text import terminal_safe
from storage.base import Lab, Store

__all__ = ["add_parser", "answers_of", "run_export", "run_import"]
from renderers.messages import message


def add_parser(subparsers: Any) -> None:
    imp: argparse.ArgumentParser = subparsers.add_parser(
        "import", help=message("cli.help_import"), description=message("plan_import.help_import")
    )
    imp.add_argument("files", nargs="+", metavar="FILE", help=message("plan_import.help_files"))
    imp.add_argument("--lab", default=None, help=message("plan_import.help_lab"))
    imp.add_argument("--user", default=None, help=message("cli.help_user"))
    choice = imp.add_mutually_exclusive_group()
    choice.add_argument("--yes", action="store_true", help=message("plan_import.help_yes"))
    choice.add_argument("--only-empty", action="store_true", help=message("plan_import.help_only_empty"))
    add_db_option(imp)
    imp.set_defaults(handler=run_import)

    exp: argparse.ArgumentParser = subparsers.add_parser(
        "export", help=message("cli.help_export"), description=message("cli.help_export")
    )
    exp.add_argument("--lab", default=None, help=message("cli.help_export_lab"))
    exp.add_argument("--user", default=None, help=message("cli.help_user"))
    exp.add_argument(
        "-o", "--output", default=None, metavar="OUT.(json|docx)", help=message("cli.help_export_output")
    )
    add_db_option(exp)
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    """Application files and Word plans (several, or folders) into drafts: ``bot.plan_import``."""
    from bot.commands.import_plan import run_import as run

    return run(args)


def chosen_lab(store: Store, lab_name: str | None, user: str) -> Lab:
    """``--lab``; else the draft this person changed last; else the only draft. ``UserError``
    explaining what to do when there is none or several to choose from."""
    if lab_name is not None:
        lab = store.find_lab(lab_name)
        if lab is None:
            known = "\n".join(row(s) for s in summaries(store))
            text = message("cli.unknown_lab", lab=lab_name)
            raise UserError(text + ("\n" + message("cli.drafts_known", names=known) if known else ""))
        return lab
    found = summaries(store)
    person = store.find_person(channel="console", external_id=user)
    recent = store.last_lab(person.id) if person is not None else None
    if recent is not None and any(s.lab.id == recent.id for s in found):
        return recent
    if not found:
        raise UserError(message("cli.export_no_drafts"))
    if len(found) > 1:
        raise UserError(message("cli.export_which_lab", names="\n".join(row(s) for s in found)))
    return found[0].lab


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.output) if args.output else None
    suffix = out.suffix.lower() if out is not None else ".docx"
    if suffix not in (".json", ".docx"):
        raise UserError(message("cli.export_bad_suffix", path=str(out)))
    fmt: Format = "json" if suffix == ".json" else "docx"
    store = open_db(args.db)
    try:
        lab = chosen_lab(store, args.lab, roles.os_account())
        policy_for(store).require(console_person(store).id, Action.EXPORT_DRAFT, lab)  # the OS account
        app = build_application(store.draft(lab.id).answers)
    finally:
        store.close()
    if args.lab is None:
        print(message("cli.export_chosen_lab", name=lab.name, escape=terminal_safe))
    written = export_new_file(app, lab.name, fmt, Path.cwd()) if out is None else write_export(app, out, fmt)
    print(message("cli.exported", path=str(written.resolve()), escape=terminal_safe))
    return 0
