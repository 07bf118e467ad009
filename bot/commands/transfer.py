"""``dxlab import`` and ``dxlab export``: a lab's draft to and from application files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.appfile import load_application
from bot.errors import UserError
from bot.exporter import write_export
from bot.wiring import add_db_option, open_db
from criteria.application import Application
from dialogs.state import build_application
from renderers.messages import message


def add_parser(subparsers: Any) -> None:
    imp: argparse.ArgumentParser = subparsers.add_parser(
        "import", help=message("cli.help_import"), description=message("cli.help_import")
    )
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--lab", required=True, help=message("cli.help_lab"))
    imp.add_argument("--user", default="import", help=message("cli.help_user"))
    add_db_option(imp)
    imp.set_defaults(handler=run_import)

    exp: argparse.ArgumentParser = subparsers.add_parser(
        "export", help=message("cli.help_export"), description=message("cli.help_export")
    )
    exp.add_argument("--lab", required=True, help=message("cli.help_lab"))
    exp.add_argument("-o", "--output", required=True, metavar="OUT.(json|docx)")
    add_db_option(exp)
    exp.set_defaults(handler=run_export)


def answers_of(app: Application) -> dict[str, Any]:
    """The draft answers (field path → value) for the fields the file actually sets."""
    data = app.model_dump(mode="json", exclude_unset=True)
    data.pop("format", None)
    answers: dict[str, Any] = {}
    for key, value in data.items():
        if key == "other" and isinstance(value, dict):
            for sub, subvalue in value.items():
                answers[f"other.{sub}"] = subvalue
        else:
            answers[key] = value
    return answers


def run_import(args: argparse.Namespace) -> int:
    app = load_application(Path(args.file))
    store = open_db(args.db)
    try:
        lab = store.lab(args.lab)
        person = store.person(args.user, channel="import")
        answers = answers_of(app)
        store.replace_draft(lab.id, answers, person_id=person.id, channel="import")
    finally:
        store.close()
    print(message("cli.imported", count=len(answers), lab=args.lab))
    return 0


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
        app = build_application(store.draft(lab.id).answers)
    finally:
        store.close()
    write_export(app, out, "json" if suffix == ".json" else "docx")
    print(message("cli.exported", path=str(out)))
    return 0
