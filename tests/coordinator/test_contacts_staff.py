"""A lab's registered contact (a person) becomes staff of that lab when the registry is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.roles import Action, Policy
from storage import SQLiteStore

# registry changes need the coordinator role: this OS account is an administrator here
pytestmark = pytest.mark.usefixtures("terminal_coordinator")

CSV = (
    "name,prefecture,municipality,kind,iot_selected_on,status,contact_slack,contact_telegram,transition_deadline\n"
    "みなと市IoT推進ラボ,〇〇県,みなと市,IoT,2018-04-01,未着手,U0CONTACT,4242,\n"
    "さくら町IoT推進ラボ,〇〇県,さくら町,IoT,2019-04-01,未着手,C0CHANNEL,-100200,\n"
)


def test_person_contacts_become_staff_and_channels_are_only_bound(tmp_path: Path) -> None:
    src = tmp_path / "labs.csv"
    src.write_text(CSV, encoding="utf-8")
    db = tmp_path / "r.db"
    assert main(["labs", "import", str(src), "--db", str(db)]) == 0
    store = SQLiteStore(db)
    policy = Policy(store, admins=frozenset())
    minato = store.find_lab("みなと市IoT推進ラボ")
    sakura = store.find_lab("さくら町IoT推進ラボ")
    assert minato is not None and sakura is not None
    slack_person = store.person("U0CONTACT", channel="slack", external_id="U0CONTACT")
    telegram_person = store.person("4242", channel="telegram", external_id="4242")
    assert policy.allowed(slack_person.id, Action.EDIT_DRAFT, minato.id)
    assert policy.allowed(telegram_person.id, Action.EDIT_DRAFT, minato.id)
    assert not policy.allowed(slack_person.id, Action.EDIT_DRAFT, sakura.id)
    assert store.bound_lab("slack", "C0CHANNEL") == sakura
    store.close()
