"""The ``dxlab`` console script: parses the command line and dispatches to ``bot.commands``.

Each subcommand lives in its own module under ``bot/commands`` exposing ``add_parser(subparsers)``;
the parser it adds sets ``handler`` to a function ``(args) -> int``. A ``UserError`` becomes its
Japanese message on stderr and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from bot.errors import UserError
from renderers.messages import message

# Modules under bot.commands, in the order ``dxlab --help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "chat",
    "check",
    "render",
    "transfer",
    "backup",
    "serve",
    "labs",
    "nudge",
    "faq",
    "eligibility",
    "compare",
    "roles",
)


class _Parser(argparse.ArgumentParser):
    """argparse with Japanese errors and exit status 2."""

    def error(self, text: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(message("cli.usage_error", detail=text) + "\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The full ``dxlab`` parser with every available subcommand."""
    parser = _Parser(prog="dxlab", description=message("cli.description"))
    parser.add_argument("-v", "--verbose", action="store_true", help=message("cli.help_verbose"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"bot.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bot.commands.{name}":
                continue
            raise
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        status: int = handler(args)
    except UserError as exc:
        sys.stderr.write(exc.message + "\n")
        return exc.status
    except KeyboardInterrupt:
        sys.stderr.write("\n" + message("cli.interrupted") + "\n")
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
