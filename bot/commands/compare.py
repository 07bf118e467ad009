"""``dxlab compare [--lab NAME …] -o review.xlsx``: applications side by side for reviewers.

Only the 事務局 (secretariat) and administrators may compare (``bot.roles``). Without ``--lab``
every lab that has a draft is compared; ``.csv`` writes UTF-8 with a BOM for Excel.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.errors import UserError
from bot.roles import Action, console_person
from bot.secretariat.compare import FORMATS, export_review
from bot.wiring import add_db_option, build_service
from renderers.messages import message
from storage.base import Lab


def add_parser(subparsers: Any) -> None:
    help_text = message("secretariat.help_compare")
    parser: argparse.ArgumentParser = subparsers.add_parser("compare", help=help_text, description=help_text)
    parser.add_argument("--lab", action="append", default=[], help=message("secretariat.help_compare_lab"))
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.(xlsx|csv)",
        help=message("secretariat.help_compare_output"),
    )
    parser.add_argument("--user", default=None, help=message("secretariat.help_actor"))
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() not in FORMATS:
        raise UserError(message("secretariat.compare_bad_suffix", path=str(out)))
    service = build_service(args.db)
    store = service.store
    try:
        person = console_person(store, args.user)
        service.policy.require(person.id, Action.COMPARE)
        labs: list[Lab] = []
        for name in args.lab:
            lab = store.find_lab(name)
            if lab is None:
                raise UserError(message("cli.unknown_lab", lab=name))
            if lab not in labs:
                labs.append(lab)
        # one lab at a time: the file is written while the labs are checked
        count = export_review(service, labs or store.labs(), out, skip_empty=not labs)
    finally:
        store.close()
    print(message("secretariat.compare_written", count=count, path=str(out)))
    return 0
