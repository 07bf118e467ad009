"""``dxlab faq "質問" [--json] [--limit N]``: answers from the FAQ with their sources."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.errors import UserError
from bot.secretariat.texts import DEFAULT_LIMIT, faq_json, faq_text, search
from criteria.bounded import bounded_int
from renderers.messages import message


def _count(text: str) -> int:
    """A ``--limit`` value: a small whole number (never an unbounded ``int()``)."""
    value = bounded_int(text)
    if value is None:
        raise argparse.ArgumentTypeError(message("secretariat.faq_bad_limit", value=text[:20]))
    return value


def add_parser(subparsers: Any) -> None:
    help_text = message("secretariat.help_faq")
    parser: argparse.ArgumentParser = subparsers.add_parser("faq", help=help_text, description=help_text)
    parser.add_argument("query", nargs="+", metavar="質問", help=message("secretariat.help_faq_query"))
    parser.add_argument("--json", action="store_true", help=message("secretariat.help_json"))
    parser.add_argument(
        "--limit", type=_count, default=DEFAULT_LIMIT, help=message("secretariat.help_faq_limit")
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the best answers (or that nothing matches); exit 0 either way."""
    query = " ".join(args.query).strip()
    if not query:
        raise UserError(message("secretariat.faq_empty_query"))
    found = search(query, limit=max(1, min(args.limit, 10)))
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    if args.json:
        sys.stdout.write(json.dumps(faq_json(query, found), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(faq_text(query, found) + "\n")
    return 0
