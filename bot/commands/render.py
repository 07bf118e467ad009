"""``dxlab render FILE.json -o OUT.docx``: the draft 実施計画書 from an application file.

Owns the command line of the Word output: load and validate the file, run the checks (for the
self-check and interview appendices), list the changes from a 地方版IoT推進ラボ when the lab
transitions, write the .docx through ``renderers.docx`` and say where.
The file is written whole or not at all (a temporary file beside it, then renamed), and any
failure to write becomes a clear Japanese ``UserError`` (exit 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.appfile import load_application
from bot.exporter import write_export
from renderers.messages import message


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``render`` on the ``dxlab`` parser."""
    help_text = message("docx.help_render")
    parser: argparse.ArgumentParser = subparsers.add_parser("render", help=help_text, description=help_text)
    parser.add_argument("file", type=Path, metavar="FILE.json", help=message("docx.help_file"))
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.docx", help=message("docx.help_output")
    )
    parser.add_argument("--applicant", default="", metavar="NAME", help=message("docx.help_applicant"))
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=message("cli.help_db"))
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Render ``args.file`` to ``args.output``; returns the exit status."""
    app = load_application(args.file)
    write_export(app, args.output, "docx", applicant=args.applicant)
    print(message("docx.written", path=str(args.output)))
    return 0
