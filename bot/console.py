"""The terminal channel: a person types, the engine answers, through the dialog service.

Owns reading lines (a TTY prompt with rich, or one message per line from a pipe), printing the
rendered replies, and carrying out what the engine asks of the adapter (writing an export,
ending the session). A line such as ``/faq 質問``, ``/labs`` or ``/compare`` is a command of the
one command layer (``bot.core``): the router checks the role and answers, so coordinator and
secretariat commands work here too. Nothing here decides the dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.core.commands import Caller, ChoicesOut, FileOut, Output, TextOut, TurnRequest
from bot.core.router import Invocation, Router
from bot.errors import UserError
from bot.exporter import export_to_dir
from bot.service import DialogService, Session
from dialogs.events import Event, Start, Text
from dialogs.replies import ExportRequest, Goodbye, Reply
from renderers.messages import message
from renderers.text import render_reply, terminal_safe
from storage import StorageError

if TYPE_CHECKING:  # rich loads only for a terminal (start-up time of piped runs)
    from rich.console import Console

log = logging.getLogger(__name__)
CHANNEL = "console"
PREFIX = "/"


class ConsoleAdapter:
    """Runs one person's dialog on a text stream."""

    def __init__(
        self,
        *,
        service: DialogService,
        session: Session,
        out: TextIO,
        interactive: bool,
        export_dir: Path,
        router: Router | None = None,
    ) -> None:
        self.service = service
        self.router = router
        self.session = session
        self.out = out
        self.interactive = interactive
        self.export_dir = export_dir
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.out, highlight=False, markup=False, emoji=False, soft_wrap=True)
        return self._console

    def write(self, text: str) -> None:
        if self.interactive:
            self.console.print(text)
        else:
            self.out.write(text + "\n")
            self.out.flush()

    # --- the Channel protocol (bot.core.channel) --------------------------------------------

    name = CHANNEL
    prefix = PREFIX

    def caller(self, payload: str) -> Caller:
        return Caller(self.session.person, CHANNEL, PREFIX)

    def inbox_key(self, payload: str) -> str | None:
        """Lines are read one at a time and never acknowledged before they are applied: no inbox."""
        return None

    def incoming(self, payload: str) -> Event | Invocation | None:
        """A command of the command layer that answers without a turn, else the text for the engine
        (which knows 戻る, ``/back`` and the other drafting words itself)."""
        invocation = self.router.parse(payload) if self.router is not None else None
        if invocation is not None and not invocation.command.turn:
            return invocation
        return Text(payload)

    def deliver(self, outputs: Sequence[Output], target: object = None) -> None:
        for out in outputs:
            if isinstance(out, FileOut):
                path = self.export_dir / out.filename
                try:
                    path.write_bytes(out.content)
                except OSError as exc:
                    self.write(message("dialog.export_failed", reason=exc.strerror or str(exc)))
                    continue
                self.write(out.comment)
                self.write(message("dialog.exported", path=str(path.resolve()), escape=terminal_safe))
            elif isinstance(out, TextOut | ChoicesOut):
                self.write(terminal_safe(out.text))
            elif isinstance(out, TurnRequest):
                self.send(out.event)

    # --- running ------------------------------------------------------------------------------

    def send(self, event: Event) -> bool:
        """Handle one event and print the replies; ``False`` when the session should end."""
        if isinstance(event, Text) and self.router is not None:
            incoming = self.incoming(event.text)
            if isinstance(incoming, Invocation):
                assert self.router is not None
                self.deliver(self.router.run(self.caller(event.text), incoming))
                return True
        try:
            replies = self.service.handle(self.session, event)
        except StorageError as exc:
            from bot.wiring import storage_message

            text = storage_message(exc)
            if isinstance(event, Text) and event.text.strip():  # what was typed is not lost
                text += "\n" + message("cli.unsaved_input", text=event.text, escape=terminal_safe)
            raise UserError(text) from exc
        return self.show(replies or [])

    def show(self, replies: Sequence[Reply], target: object = None) -> bool:
        keep_going = True
        for reply in replies:
            if isinstance(reply, ExportRequest):
                self.export(reply)
                continue
            if isinstance(reply, Goodbye):
                keep_going = False
            text = render_reply(reply)
            if text:
                self.write(text)
        return keep_going

    def export(self, request: ExportRequest) -> None:
        app = self.service.application(self.session.lab)
        try:
            path = export_to_dir(app, self.session.lab.name, request.format, self.export_dir)
        except UserError as exc:
            self.write(message("dialog.export_failed", reason=exc.message))
            return
        self.write(message("dialog.exported", path=str(path.resolve()), escape=terminal_safe))

    def lines(self, source: TextIO) -> Iterator[str]:
        if not self.interactive:
            for line in source:
                yield line.rstrip("\r\n")
            return
        prompt = message("cli.prompt")
        while True:
            try:
                yield self.console.input(prompt)
            except EOFError:
                return

    def run(self, source: TextIO | Iterable[str]) -> int:
        """Start (or resume) the dialog and process every line until 中断 or end of input."""
        if not self.send(Start()):
            return 0
        lines = self.lines(source) if hasattr(source, "readline") else iter(source)  # type: ignore[arg-type]
        for line in lines:
            if not self.send(Text(line)):
                return 0
        if self.interactive:
            self.write(message("dialog.goodbye"))
        return 0
