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
from bot.logging_filters import install as install_redaction
from bot.settings import load_dotenv
from renderers.messages import message
from storage.base import StorageError

# Subcommand → (module under bot.commands, message key of its one-line help), in --help order.
# Only the chosen subcommand's module is imported, so start-up stays fast; `dxlab --help` lists
# them from this table alone.
COMMANDS: dict[str, tuple[str, str]] = {
    "chat": ("chat", "cli.help_chat"),
    "check": ("check", "check.help"),
    "render": ("render", "docx.help_render"),
    "import": ("transfer", "cli.help_import"),
    "export": ("transfer", "cli.help_export"),
    "drafts": ("drafts", "cli.help_drafts"),
    "backup": ("backup", "cli.help_backup"),
    "restore": ("backup", "cli.help_restore"),
    "serve": ("serve", "slack.serve_help"),
    "labs": ("labs", "coordinator.help_labs"),
    "nudge": ("nudge", "coordinator.help_nudge"),
    "faq": ("faq", "secretariat.help_faq"),
    "eligibility": ("eligibility", "secretariat.help_eligibility"),
    "compare": ("compare", "secretariat.help_compare"),
    "roles": ("roles", "secretariat.help_roles"),
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(module for module, _ in COMMANDS.values()))


class _Parser(argparse.ArgumentParser):
    """argparse with Japanese errors and exit status 2."""

    def error(self, text: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(message("cli.usage_error", detail=text) + "\n")
        raise SystemExit(2)


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, if any (the first word not starting with -)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``dxlab`` parser: the chosen subcommand in full, the others by name and help only.

    Without ``argv`` every subcommand is built in full (tests and documentation use that).
    """
    parser = _Parser(prog="dxlab", description=message("cli.description"))
    parser.add_argument("-v", "--verbose", action="store_true", help=message("cli.help_verbose"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    chosen = _chosen(argv) if argv is not None else None
    full = {module for module, _ in COMMANDS.values()} if argv is None else set()
    if chosen is not None:
        full.add(COMMANDS[chosen][0])
    built: set[str] = set()
    for name, (module_name, help_key) in COMMANDS.items():
        if module_name in full:
            if module_name not in built:
                importlib.import_module(f"bot.commands.{module_name}").add_parser(subparsers)
                built.add(module_name)
            continue
        subparsers.add_parser(name, help=message(help_key), add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    load_dotenv()  # settings (DXLAB_DB, tokens) may come from a .env in the working folder
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    install_redaction()  # tokens and signing secrets never reach a log line or a traceback
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        status: int = handler(args)
    except UserError as exc:
        sys.stderr.write(exc.message + "\n")
        return exc.status
    except StorageError as exc:  # the database failed after it was opened (full disk, damage …)
        from bot.wiring import storage_message

        sys.stderr.write(storage_message(exc) + "\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("\n" + message("cli.interrupted") + "\n")
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
