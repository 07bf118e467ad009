"""Shared fixtures: transcripts through the console adapter, stores, and a guard on the network."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.console import ConsoleAdapter
from bot.service import DialogService
from bot.wiring import build_engine
from dialogs.events import Start, Text
from storage import MemoryStore, SQLiteStore

_real_connect = socket.socket.connect


@contextmanager
def os_account(name: str) -> Iterator[None]:
    """Run in-process commands as the operating-system account ``name`` (the terminal identity)."""
    import bot.roles

    saved = bot.roles.os_account
    bot.roles.os_account = lambda: name
    try:
        yield
    finally:
        bot.roles.os_account = saved


@pytest.fixture
def terminal_coordinator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make this OS account an administrator, as a coordinator running ``dxlab labs`` would be."""
    import bot.roles

    monkeypatch.setenv("DXLAB_ADMINS", f"console:{bot.roles.os_account()}")


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1", "")):
        raise RuntimeError(f"tests must not touch the network: {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DXLAB_DB", raising=False)


class Transcript:
    """A person typing into ``dxlab chat``: ``send`` returns what the terminal printed for it."""

    def __init__(self, service: DialogService, *, lab: str, user: str, export_dir: Path) -> None:
        self.out = io.StringIO()
        self.session = service.session(lab=lab, person=user, channel="console")
        self.adapter = ConsoleAdapter(
            service=service, session=self.session, out=self.out, interactive=False, export_dir=export_dir
        )
        self.alive = True

    def _take(self) -> str:
        text = self.out.getvalue()
        self.out.seek(0)
        self.out.truncate()
        return text

    def start(self) -> str:
        self.alive = self.adapter.send(Start())
        return self._take()

    def send(self, line: str) -> str:
        self.alive = self.adapter.send(Text(line))
        return self._take()

    def answer_all(self, lines: list[str]) -> str:
        return "".join(self.send(line) for line in lines)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dxlab.db"


@pytest.fixture
def sqlite_service(db_path: Path) -> Iterator[DialogService]:
    store = SQLiteStore(db_path)
    yield DialogService(store=store, engine=build_engine())
    store.close()


@pytest.fixture
def chat(sqlite_service: DialogService, tmp_path: Path) -> Any:
    def make(lab: str = "みなと市DXラボ", user: str = "山田") -> Transcript:
        return Transcript(sqlite_service, lab=lab, user=user, export_dir=tmp_path)

    return make


@pytest.fixture(params=["sqlite", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    store: Any = SQLiteStore(tmp_path / "s.db") if request.param == "sqlite" else MemoryStore()
    yield store
    store.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--soak", action="store_true", default=False, help="long reliability runs")
