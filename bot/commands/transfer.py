"""``dxlab import`` and ``dxlab export``: a lab's draft to and from application files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.appfile import answers_of
from bot.errors import UserError
from bot.exporter import write_export
from bot.roles import Action, console_person
from bot.wiring import add_db_option, open_db, policy_for
from dialogs.state import build_application

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
    exp.add_argument("--lab", required=True, help=message("cli.help_lab"))
    exp.add_argument("-o", "--output", required=True, metavar="OUT.(json|docx)")
    add_db_option(exp)
    exp.set_defaults(handler=run_export)


def run_import(args: argparse.Namespace) -> int:
    """Application files and Word plans (several, or folders) into drafts: ``bot.plan_import``."""
    from bot.commands.import_plan import run_import as run

    return run(args)


def run_export(args: argparse.Namespace) -> int:
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".json", ".docx"):
        raise UserError(message("cli.export_bad_suffix", path=str(out)))
    store = open_db(args.db)
    try:
        lab = store.find_lab(args.lab)
        if lab is None:
            raise UserError(message("cli.unknown_lab", lab=args.lab))
        policy_for(store).require(console_person(store).id, Action.EXPORT_DRAFT, lab)  # the OS account
        app = build_application(store.draft(lab.id).answers)
    finally:
        store.close()
    write_export(app, out, "json" if suffix == ".json" else "docx")
    print(message("cli.exported", path=str(out)))
    return 0
