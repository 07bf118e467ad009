"""The terminal channel: a person types, the engine answers, through the dialog service.

Owns reading lines (on a TTY a prompt_toolkit prompt with history and line editing; from a pipe
one message per line), printing the rendered replies, carrying out what the engine asks of the
adapter (writing an export beside, never over, earlier ones; ending the session), and naming a
lab that ``dxlab chat`` opened unnamed after the person's ラボの名称 answer. A line such as
``/faq 質問``, ``/labs`` or ``/compare`` is a command of the one command layer (``bot.core``):
the router checks the role and answers, so coordinator and secretariat commands work here too.
Nothing here decides the dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bot.core.commands import Caller, ChoicesOut, FileOut, Output, TextOut, TurnRequest
from bot.core.router import Invocation, Router
from bot.errors import UserError
from bot.exporter import export_new_file, free_path
from bot.service import DialogService, Session
from dialogs.events import Event, Start, Text
from dialogs.replies import (
    Completed,
    EditMenu,
    ExportRequest,
    Goodbye,
    Question,
    RecordFieldQuestion,
    RecordMenu,
    Reply,
)
from renderers.messages import message
from renderers.text import render_reply, terminal_safe
from storage import StorageError
from storage.base import Lab

if TYPE_CHECKING:  # rich loads only for a terminal (start-up time of piped runs)
    from rich.console import Console

log = logging.getLogger(__name__)
CHANNEL = "console"
PREFIX = "/"
MAX_LAB_NAME = 100  # characters of the ラボの名称 answer a lab's record is named after
ASKING = (Question, RecordFieldQuestion, RecordMenu, EditMenu, Completed)  # replies that ask next


class LineReader(Protocol):
    """Where the person's lines come from: ``read`` returns one line, ``None`` at the end."""

    def read(self, prompt: str) -> str | None: ...


class PipeReader:
    """One message per line from a pipe or a file (tests, scripts): no prompt, nothing echoed."""

    def __init__(self, source: Iterable[str]) -> None:
        self._lines = iter(source)

    def read(self, prompt: str) -> str | None:
        line = next(self._lines, None)
        return None if line is None else line.rstrip("\r\n")


class PromptReader:
    """A normal terminal prompt (prompt_toolkit): history with ↑/↓, line editing, ^L clears the
    screen, other control keys are not typed into the line. ^D or ^C ends the session."""

    def __init__(self, session: Any = None) -> None:
        self._session = session

    def read(self, prompt: str) -> str | None:
        if self._session is None:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import InMemoryHistory

            self._session = PromptSession(history=InMemoryHistory())
        try:
            return str(self._session.prompt(prompt))
        except (EOFError, KeyboardInterrupt):
            return None


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
        unnamed_lab: bool = False,
    ) -> None:
        """``unnamed_lab``: the lab was opened under a placeholder name; it takes the name of the
        person's ラボの名称 answer as soon as there is one."""
        self.service = service
        self.unnamed_lab = unnamed_lab
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
        from bot.roles import os_account

        session = self.session
        return Caller(session.person, CHANNEL, PREFIX, external_id=os_account(), lab_of=lambda: session.lab)

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
                try:
                    path = free_path(self.export_dir, out.filename)
                    path.write_bytes(out.content)
                except UserError as exc:
                    self.write(message("dialog.export_failed", reason=exc.message))
                    continue
                except OSError as exc:
                    self.write(message("dialog.export_failed", reason=exc.strerror or str(exc)))
                    continue
                self.write(out.comment)
                self.write(message("dialog.exported", path=str(path.resolve()), escape=terminal_safe))
            elif isinstance(out, TextOut | ChoicesOut):
                self.write(terminal_safe(out.text))
            elif isinstance(out, TurnRequest):
                self.send(out.event)

    def _bound_lab(self) -> Lab | None:
        from bot.roles import os_account

        return self.service.store.bound_lab(CHANNEL, os_account())

    def _follow_joined_lab(self, before: Lab | None) -> None:
        """After ``/join CODE`` the dialog goes on in the lab joined (the code bound this account)."""
        joined = self._bound_lab()
        if joined is not None and joined != before and joined != self.session.lab:
            self.session = replace(self.session, lab=joined)
            self.unnamed_lab = False

    # --- running ------------------------------------------------------------------------------

    def send(self, event: Event) -> bool:
        """Handle one event and print the replies; ``False`` when the session should end."""
        if isinstance(event, Text) and self.router is not None:
            incoming = self.incoming(event.text)
            if isinstance(incoming, Invocation):
                assert self.router is not None
                before = self._bound_lab() if incoming.name == "join" else None
                self.deliver(self.router.run(self.caller(event.text), incoming))
                if incoming.name == "join":
                    self._follow_joined_lab(before)
                return True
        try:
            replies = self.service.handle(self.session, event)
        except StorageError as exc:
            from bot.wiring import storage_message

            text = storage_message(exc)
            if isinstance(event, Text) and event.text.strip():  # what was typed is not lost
                text += "\n" + message("cli.unsaved_input", text=event.text, escape=terminal_safe)
            raise UserError(text) from exc
        replies = replies or []
        named = self.follow_lab_name()
        if named is None:
            return self.show(replies)
        # said right after 「保存しました」, before the next question is asked
        at = next((i for i, r in enumerate(replies) if isinstance(r, ASKING)), len(replies))
        keep_going = self.show(replies[:at])
        self.write(named)
        return self.show(replies[at:]) and keep_going

    def follow_lab_name(self) -> str | None:
        """Name an unnamed lab after the draft's ラボの名称 (「…（2）」 when another lab has it),
        keeping its draft, history and cursors; what to say about it, once."""
        if not self.unnamed_lab:
            return None
        wanted = " ".join(self.service.application(self.session.lab).lab_name.split())[:MAX_LAB_NAME]
        if not wanted:
            return None
        for number in range(1, 100):
            name = wanted if number == 1 else f"{wanted}（{number}）"
            lab = self.service.store.rename_lab(self.session.lab.id, name)
            if lab is not None:
                break
        else:
            return None
        self.session = replace(self.session, lab=lab)
        self.unnamed_lab = False
        key = "cli.lab_named" if lab.name == wanted else "cli.lab_name_taken"
        return message(key, name=lab.name, wanted=wanted, escape=terminal_safe)

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
            path = export_new_file(app, self.session.lab.name, request.format, self.export_dir)
        except UserError as exc:
            self.write(message("dialog.export_failed", reason=exc.message))
            return
        self.write(message("dialog.exported", path=str(path.resolve()), escape=terminal_safe))

    def lines(self, reader: LineReader) -> Iterator[str]:
        prompt = message("cli.prompt")
        while (line := reader.read(prompt)) is not None:
            yield line

    def reader(self, source: TextIO | Iterable[str]) -> LineReader:
        """A prompt on a terminal, else one message per line of ``source``."""
        return PromptReader() if self.interactive else PipeReader(source)

    def run(self, source: TextIO | Iterable[str] | None = None, *, reader: LineReader | None = None) -> int:
        """Start (or resume) the dialog and process every line until 中断 or end of input."""
        if not self.send(Start()):
            return 0
        for line in self.lines(reader or self.reader(source if source is not None else ())):
            if not self.send(Text(line)):
                return 0
        if self.interactive:
            self.write(message("dialog.goodbye"))
        return 0
