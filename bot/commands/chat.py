"""``dxlab chat``: the guided application dialog in the terminal.

Owns choosing whom the terminal speaks for and which draft it opens: the person is the OS
account (the identity roles follow); the name shown with their answers is ``--user`` or
``DXLAB_USER``, else asked once on the first run. The draft is ``--lab``,
else the one this person worked on last, else the only one; with none of these a new lab is
opened unnamed and takes the name of the person's ラボの名称 answer (``bot.console``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from bot import roles
from bot.console import CHANNEL, ConsoleAdapter, LineReader, PipeReader, PromptReader
from bot.errors import UserError
from bot.service import DialogService, Session
from bot.wiring import add_db_option, build_router, build_service
from renderers.messages import message
from renderers.text import terminal_safe
from storage.base import Lab, LinkLocked, Person

#: Labs a plain ``dxlab chat`` opened before they had a name (``default`` before issue 17).
LEGACY_UNNAMED = "default"
MAX_NAME = 40  # characters of a display name


def default_user() -> str:
    """The person's name when ``--user`` is not given: ``DXLAB_USER``, else the login name."""
    return os.environ.get("DXLAB_USER") or login_name()


def login_name() -> str:
    """The OS account at the terminal (``user`` when it cannot be told)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "user"


def unnamed_labs() -> tuple[str, ...]:
    """The placeholder names of labs that have no name of their own yet."""
    return (message("cli.unnamed_lab"), LEGACY_UNNAMED)


def _default_lab(service: DialogService, person: Person) -> str | None:
    """The lab bound to this person (any channel), else the last one worked on, else the only
    one; ``None`` when there is none of these (a new, unnamed lab)."""
    bound = service.store.bound_lab("person", str(person.id))
    if bound is not None:
        return bound.name
    recent = service.store.last_lab(person.id)
    if recent is not None:
        return recent.name
    labs = service.store.labs()
    return labs[0].name if len(labs) == 1 else None


def ask_name(reader: LineReader, write: Any) -> str | None:
    """The person's name as they write it (姓 名), asked until it is 1–MAX_NAME characters;
    ``None`` at the end of input."""
    write(message("cli.ask_name"))
    prompt = message("cli.name_prompt")
    while (line := reader.read(prompt)) is not None:
        name = " ".join(line.split())
        if 1 <= len(name) <= MAX_NAME:
            return name
        write(message("cli.name_invalid", max=MAX_NAME))
    return None


def the_person(service: DialogService, args: argparse.Namespace, reader: LineReader, write: Any) -> Person:
    """The terminal's person: the OS account is the identity (``bot.roles.os_account``); the name
    shown with the answers is ``--user`` / ``DXLAB_USER`` when the account is new, else the one
    asked on the first run (and once more from a person an earlier dxlab knew only by the login,
    who was shown as 「rootさん」)."""
    account = roles.os_account()
    given = args.user or os.environ.get("DXLAB_USER")
    known = service.store.find_person(channel=CHANNEL, external_id=account)
    if given:
        if known is not None:
            return known
        return service.store.person(given, channel=CHANNEL, external_id=account)
    if known is not None and known.name != account:
        return known
    # the first run, or a person known only by the login (an earlier dxlab, or dxlab import)
    name = ask_name(reader, write)
    if known is not None:
        return service.store.rename_person(known.id, name) if name else known
    return service.store.person(name or account, channel=CHANNEL, external_id=account)


def _linked(service: DialogService, code: str) -> Person:
    """The person a link code from Slack or Telegram names, now also this OS account; a Japanese
    error for a wrong code, and after five wrong ones a pause (``cli.link_locked``)."""
    try:
        linked = service.store.redeem_link_code(code, channel=CHANNEL, external_id=roles.os_account())
    except LinkLocked:
        raise UserError(message("cli.link_locked")) from None
    if linked is None:
        raise UserError(message("cli.link_invalid"))
    print(message("cli.linked", name=linked.name))
    return linked


def _joined(service: DialogService, person: Person, code: str) -> Lab:
    """The lab of an invitation code (``invite`` on any channel), whose staff this person now is;
    a Japanese error for a wrong code, and after five wrong ones a pause."""
    from bot.core.invites import PERSON_CHANNEL

    try:
        lab = service.store.redeem_invite_code(
            code, channel=CHANNEL, external_id=roles.os_account(), person_id=person.id
        )
    except LinkLocked:
        raise UserError(message("invite.locked")) from None
    if lab is None:
        raise UserError(message("invite.invalid"))
    service.policy.add_staff(person.id, lab, granted_by=service.store.invite_code_inviter(code))
    service.store.bind(PERSON_CHANNEL, str(person.id), lab.id)
    print(message("invite.joined", lab=lab.name))
    return lab


def add_parser(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "chat", help=message("cli.help_chat"), description=message("cli.help_chat")
    )
    add_db_option(parser)
    parser.add_argument("--lab", default=None, help=message("cli.help_lab"))
    parser.add_argument("--user", default=None, help=message("cli.help_user"))
    parser.add_argument("--out-dir", default=".", help=message("cli.help_out_dir"))
    parser.add_argument("--link", metavar="CODE", default=None, help=message("cli.help_link"))
    parser.add_argument("--join", metavar="CODE", default=None, help=message("cli.help_join"))
    parser.set_defaults(handler=run)


def _write(text: str) -> None:
    print(terminal_safe(text), flush=True)


def run(args: argparse.Namespace) -> int:
    service = build_service(args.db)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="surrogateescape")
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    reader: LineReader = PromptReader() if interactive else PipeReader(sys.stdin)
    try:
        person = _linked(service, args.link) if args.link else the_person(service, args, reader, _write)
        joined = _joined(service, person, args.join) if args.join else None
        lab = (joined.name if joined else None) or args.lab or _default_lab(service, person)
        unnamed = args.lab is None and joined is None and (lab is None or lab in unnamed_labs())
        session = Session(
            lab=service.store.lab(lab or message("cli.unnamed_lab")), person=person, channel=CHANNEL
        )
        # The terminal's identity is the OS account: it creates a lab and becomes its staff, or
        # must be allowed to edit the lab it opens (``bot.roles``; an imported lab is not open to
        # the first comer).
        service.policy.enter_lab(session.person.id, session.lab)
        adapter = ConsoleAdapter(
            service=service,
            session=session,
            out=sys.stdout,
            interactive=interactive,
            export_dir=Path(args.out_dir),
            router=build_router(service),
            unnamed_lab=unnamed,
        )
        return adapter.run(reader=reader)
    finally:
        service.store.close()
