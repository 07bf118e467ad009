"""A database with two labs (A: a full application, B: a partial one) and one person per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main
from storage.roles import ALL_LABS, RoleStore
from storage.sqlite import SQLiteStore
from tests.slack.conftest import fake_slack, slack, slack_service, slack_settings  # noqa: F401  (fixtures)

FIXTURES = Path(__file__).parents[1] / "fixtures"
LAB_A = "みなと市DXラボ"
LAB_B = "やま町DXラボ"

# console user → (role, lab name or None for every lab); "nobody" holds nothing, "envadmin" is an
# administrator only through DXLAB_ADMINS.
PEOPLE: dict[str, tuple[str, str | None] | None] = {
    "nobody": None,
    "staff_a": ("staff", LAB_A),
    "staff_b": ("staff", LAB_B),
    "coordinator": ("coordinator", None),
    "secretariat": ("secretariat", None),
    "admin": ("admin", None),
    "envadmin": None,
}


@dataclass
class World:
    db: Path

    def store(self) -> SQLiteStore:
        return SQLiteStore(self.db)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    db = tmp_path / "roles.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    monkeypatch.setenv("DXLAB_ADMINS", "console:envadmin,slack:UADMIN")
    assert main(["import", str(FIXTURES / "full_application.json"), "--lab", LAB_A]) == 0
    assert main(["import", str(FIXTURES / "partial_application.json"), "--lab", LAB_B]) == 0
    store = SQLiteStore(db)
    roles = RoleStore(store)
    for user, held in PEOPLE.items():
        person = store.person(user, channel="console")
        if held is not None:
            role, lab = held
            lab_id = store.lab(lab).id if lab else ALL_LABS
            roles.grant(person.id, role, lab_id=lab_id, granted_by=None)
    store.close()
    yield World(db=db)
