"""``dxlab chat``: the guided application dialog in the terminal."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from bot import roles
from bot.console import ConsoleAdapter
from bot.errors import UserError
from bot.roles import console_person
from bot.service import DialogService
from bot.wiring import add_db_option, build_router, build_service
from renderers.messages import message
from storage.base import LinkLocked

DEFAULT_LAB = "default"


def default_user() -> str:
    """The person's name when ``--user`` is not given: ``DXLAB_USER``, else the login name."""
    return _default_user()


def _default_user() -> str:
    try:
        return os.environ.get("DXLAB_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "user"


def _default_lab(service: DialogService, user: str) -> str:
    """The lab bound to this person (any channel), else the last one worked on, else the only one."""
    person = console_person(service.store, user)
    bound = service.store.bound_lab("person", str(person.id))
    if bound is not None:
        return bound.name
    recent = service.store.last_lab(person.id)
    if recent is not None:
        return recent.name
    labs = service.store.labs()
    return labs[0].name if len(labs) == 1 else DEFAULT_LAB


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "chat", help=message("cli.help_chat"), description=message("cli.help_chat")
    )
    add_db_option(parser)
    parser.add_argument("--lab", default=None, help=message("cli.help_lab"))
    parser.add_argument("--user", default=None, help=message("cli.help_user"))
    parser.add_argument("--out-dir", default=".", help=message("cli.help_out_dir"))
    parser.add_argument("--link", metavar="CODE", default=None, help=message("cli.help_link"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    service = build_service(args.db)
    user = args.user or _default_user()
    if args.link:
        try:
            linked = service.store.redeem_link_code(
                args.link, channel="console", external_id=roles.os_account()
            )
        except LinkLocked:
            service.store.close()
            raise UserError(message("cli.link_locked")) from None
        if linked is None:
            service.store.close()
            raise UserError(message("cli.link_invalid"))
        print(message("cli.linked", name=linked.name))
    lab = args.lab or _default_lab(service, user)
    # The terminal's identity is the OS account (``--user`` only names it): it creates a lab and
    # becomes its staff, or must be allowed to edit the lab it opens (``bot.roles``).
    session = service.session(lab=lab, person=user, channel="console", external_id=roles.os_account())
    try:
        service.policy.enter_lab(session.person.id, session.lab)
    except UserError:
        service.store.close()
        raise
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="surrogateescape")
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    adapter = ConsoleAdapter(
        service=service,
        session=session,
        out=sys.stdout,
        interactive=interactive,
        export_dir=Path(args.out_dir),
        router=build_router(service),
    )
    try:
        return adapter.run(sys.stdin)
    finally:
        service.store.close()
