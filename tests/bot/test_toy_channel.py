"""A new channel is one package plus template overrides: the toy channel gets the whole dialog,
every command with its roles, exactly-once and replay from the core alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.channel import Channel
from bot.wiring import build_router, service_for
from storage import SQLiteStore
from tests.toy_channel.channel import ToyChannel


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ToyChannel:
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    service = service_for(SQLiteStore(tmp_path / "toy.db"))
    return ToyChannel(service=service, router=build_router(service))


def say(toy: ToyChannel, mid: str, text: str, user: str = "u1") -> str:
    out = toy.handle({"id": mid, "user": user, "name": "山田", "text": text})
    assert out is not None
    return "\n".join(out)


def test_it_is_a_channel(toy: ToyChannel) -> None:
    channel: Channel[dict[str, object]] = toy  # the protocol, checked by the type checker
    assert channel.name == "toy"


def test_the_dialog_buttons_and_exactly_once(toy: ToyChannel) -> None:
    assert "地域DX推進ラボの申請書" in say(toy, "1", "/start")
    assert "■ 所在地" in say(toy, "2", "みなと市地域DX推進ラボ") or "質問 2/" in say(toy, "3", "/status")
    assert toy.handle({"id": "2", "user": "u1", "text": "みなと市地域DX推進ラボ"}) is None  # redelivered
    session = toy.session(toy.caller({"user": "u1"}), {"user": "u1"})  # type: ignore[arg-type]
    answers = toy.service.store.draft(session.lab.id).answers
    assert answers["lab_name"] == "みなと市地域DX推進ラボ"
    for mid, line in (("4", "みなと市"), ("5", "なし")):
        say(toy, mid, line)
    out = toy.handle({"id": "6", "user": "u1", "button": {"step": "transition", "value": "no"}})
    assert (
        out is not None
        and toy.service.store.draft(session.lab.id).answers["transition_from_iot_lab"] is False
    )
    assert "【toy】" in say(toy, "7", "/cancel")  # the channel's own template for Goodbye


def test_commands_and_roles_come_from_the_core(toy: ToyChannel, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "補助金や資金の支援はありますか" in say(toy, "1", "/faq 補助金はありますか")
    assert "[" in say(toy, "2", "/eligibility")  # buttons
    assert "このコマンドはコーディネーターだけが使えます。" in say(toy, "3", "/labs")
    monkeypatch.setenv("DXLAB_ADMINS", "toy:u1")
    assert "コーディネーターだけ" not in say(toy, "4", "/labs")


def test_kept_payloads_are_replayed(toy: ToyChannel) -> None:
    toy.service.store.inbox_put("toy", "toy:9", {"id": "9", "user": "u1", "name": "山田", "text": "/start"})
    assert toy.replay() == 1
    assert toy.service.store.inbox_pending("toy") == []
    assert toy.service.store.seen_event("toy", "toy:9")
