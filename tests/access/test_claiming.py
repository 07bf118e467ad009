"""Items 2 and 3 of issue 14: who may join or open a lab.

- self-service creates only new labs: a lab made by ``dxlab import`` or ``dxlab labs import`` is
  not open to the first comer (bind, a turn or an export from Slack, Telegram or the terminal);
- the terminal identity is the OS account (``--user`` is only the display name): ``--user bob``
  cannot edit or export a lab the OS account is not staff of, ``DXLAB_ADMINS=console:<name>``
  follows the OS account, and registry changes need the coordinator role.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.roles
from bot.cli import main
from bot.roles import Action, PermissionDenied, Policy, Role
from storage import SQLiteStore
from storage.roles import ALL_LABS, RoleStore

FIXTURES = Path(__file__).parents[1] / "fixtures"
LAB = "みなと市DXラボ"


def as_os(monkeypatch: pytest.MonkeyPatch, account: str) -> None:
    """Run the next in-process commands as the operating-system account ``account``."""
    monkeypatch.setattr(bot.roles, "os_account", lambda: account)


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "dx.db"
    monkeypatch.setenv("DXLAB_DB", str(db))
    monkeypatch.delenv("DXLAB_ADMINS", raising=False)
    monkeypatch.delenv("DXLAB_USER", raising=False)
    as_os(monkeypatch, "hanako")
    assert main(["import", str(FIXTURES / "full_application.json"), "--lab", LAB]) == 0
    return db


def test_an_imported_lab_is_not_claimed_by_the_first_comer(imported: Path) -> None:
    store = SQLiteStore(imported)
    try:
        policy = Policy(store, admins=frozenset())
        lab = store.lab(LAB)
        stranger = store.person("誰か", channel="slack", external_id="UEVIL")
        with pytest.raises(PermissionDenied):
            policy.open_lab(stranger.id, LAB)  # /dxlab bind
        with pytest.raises(PermissionDenied):
            policy.enter_lab(stranger.id, lab)  # a turn
        assert not policy.allowed(stranger.id, Action.EXPORT_DRAFT, lab.id)
        # the OS account that imported it is its staff
        hanako = RoleStore(store).find_person("console", "hanako")
        assert hanako is not None and policy.allowed(hanako.id, Action.EDIT_DRAFT, lab.id)
    finally:
        store.close()


def test_a_registry_lab_without_staff_is_not_claimed(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "dx.db")
    try:
        lab = store.lab("うみべ町DXラボ")
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO registry (lab_id, prefecture, municipality, status, updated_at) "
                "VALUES (?, '千葉県', 'うみべ町', 'active', '2026-01-01')",
                (lab.id,),
            )
        policy = Policy(store, admins=frozenset())
        stranger = store.person("誰か", channel="telegram", external_id="666")
        with pytest.raises(PermissionDenied):
            policy.enter_lab(stranger.id, lab)
        with pytest.raises(PermissionDenied):
            policy.open_lab(stranger.id, "うみべ町DXラボ")
        # a brand-new lab is still self-service
        fresh = policy.open_lab(stranger.id, "誰かの新しいラボ")
        assert policy.allowed(stranger.id, Action.EDIT_DRAFT, fresh.id)
    finally:
        store.close()


def test_user_bob_cannot_edit_or_export_what_his_os_account_does_not_staff(
    imported: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    as_os(monkeypatch, "bob")
    capsys.readouterr()
    out_file = tmp_path / "stolen.json"
    assert main(["export", "--lab", LAB, "-o", str(out_file)]) == 2
    assert not out_file.exists()
    assert "権限がありません" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("/status\n"))
    assert main(["chat", "--lab", LAB, "--user", "hanako"]) == 2  # the display name is no key
    err = capsys.readouterr().err
    assert "権限がありません" in err and "Traceback" not in err
    # the importer's own OS account may, whatever display name it uses
    as_os(monkeypatch, "hanako")
    assert main(["export", "--lab", LAB, "-o", str(out_file)]) == 0
    assert out_file.exists()


def test_console_admin_follows_the_os_account(imported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DXLAB_ADMINS", "console:yamada")
    as_os(monkeypatch, "bob")
    assert main(["roles", "grant", "telegram:77", "secretariat", "--user", "yamada"]) == 2
    as_os(monkeypatch, "yamada")
    assert main(["roles", "grant", "telegram:77", "secretariat", "--user", "山田"]) == 0


def test_registry_changes_need_the_coordinator_role(
    imported: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "labs.csv"
    csv.write_text(
        "ラボ名,都道府県,市区町村,種別,IoTラボ選定日,移行状況,Slack,Telegram,移行期限\n"
        f"{LAB},架空県,みなと市,地方版IoT推進ラボ,2017-03-15,未着手,UEVIL,,\n",
        encoding="utf-8",
    )
    as_os(monkeypatch, "bob")
    capsys.readouterr()
    assert main(["labs", "import", str(csv)]) == 2
    assert "権限がありません" in capsys.readouterr().err
    store = SQLiteStore(imported)
    try:
        assert store.query("SELECT COUNT(*) FROM registry")[0][0] == 0
        bob = store.person("bob", channel="console", external_id="bob")
        RoleStore(store).grant(bob.id, Role.COORDINATOR.value, lab_id=ALL_LABS, granted_by=None)
    finally:
        store.close()
    assert main(["labs", "import", str(csv)]) == 0
