"""``dxlab serve slack|telegram``: run a chat channel until interrupted.

Each channel lives in its own package (``bot.slack``, ``bot.telegram``) exposing ``serve(args, runtime)``
(``bot.core.channel.Runtime``, built by ``bot.wiring``);
it is imported only when chosen, so one channel's dependencies never slow down the other.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from bot.serve_lock import serve_lock
from bot.settings import db_path, load_dotenv
from bot.wiring import add_db_option, channel_runtime
from renderers.messages import message

CHANNELS: dict[str, str] = {"slack": "bot.slack.app", "telegram": "bot.telegram.app"}


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help=message("slack.serve_help"), description=message("slack.serve_help")
    )
    parser.add_argument("channel", choices=sorted(CHANNELS), help=message("slack.serve_help_channel"))
    add_db_option(parser)
    parser.add_argument("--port", type=int, default=None, help=message("slack.serve_help_port"))
    parser.add_argument("--host", default=None, help=message("slack.serve_help_host"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve the channel while holding its lock on the database (a second server is refused)."""
    load_dotenv()  # DXLAB_DB may come from .env: the lock must name the database served
    module = importlib.import_module(CHANNELS[args.channel])
    with serve_lock(db_path(args.db), args.channel):
        status: int = module.serve(args, channel_runtime())
    return status
