"""Link codes: wrong codes are limited per person (five tries, then a pause), on every store."""

from __future__ import annotations

from typing import Any

import pytest

from storage.base import LINK_MAX_FAILURES, LinkLocked


def test_five_wrong_codes_then_even_the_right_code_waits(any_store: Any) -> None:
    owner = any_store.person("山田", channel="console", external_id="yamada")
    code = any_store.create_link_code(owner.id)
    for _ in range(LINK_MAX_FAILURES):
        assert any_store.redeem_link_code("ZZZZZZZZ", channel="telegram", external_id="666") is None
    with pytest.raises(LinkLocked):
        any_store.redeem_link_code(code, channel="telegram", external_id="666")
    # another person is not held back by the guesser, and the code still works for them
    assert any_store.redeem_link_code(code, channel="telegram", external_id="42") == owner


def test_the_pause_ends(any_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.base as base

    owner = any_store.person("山田", channel="console", external_id="yamada")
    code = any_store.create_link_code(owner.id)
    for _ in range(LINK_MAX_FAILURES):
        any_store.redeem_link_code("ZZZZZZZZ", channel="slack", external_id="U9")
    monkeypatch.setattr(base, "LINK_PAUSE_SECONDS", 0)
    assert any_store.redeem_link_code(code, channel="slack", external_id="U9") == owner


def test_a_right_code_after_fewer_wrong_ones_works(any_store: Any) -> None:
    owner = any_store.person("山田", channel="console", external_id="yamada")
    code = any_store.create_link_code(owner.id)
    for _ in range(LINK_MAX_FAILURES - 1):
        any_store.redeem_link_code("ZZZZZZZZ", channel="slack", external_id="U9")
    assert any_store.redeem_link_code(code, channel="slack", external_id="U9") == owner
