"""Schema v6: a lab's chat contacts become rows of ``contacts``; a v5 file keeps its contacts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils

from storage import open_store
from storage.lab_registry import RegistryEntry, RegistryStore
from storage.schema import MIGRATIONS


def _v5_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    db = sqlite_utils.Database(conn)
    for migration in MIGRATIONS[:5]:
        migration(db)
    conn.execute("PRAGMA user_version = 5")
    conn.execute("INSERT INTO labs (id, name, created_at) VALUES (1, 'A市IoTラボ', 'x'), (2, 'B町', 'x')")
    conn.execute(
        "INSERT INTO registry (lab_id, prefecture, municipality, kind, status, contact_slack, "
        "contact_telegram, updated_at) VALUES (1, '', '', 'iot', 'not_started', 'UA', '1001', 'x'), "
        "(2, '', '', 'iot', 'not_started', '', NULL, 'x')"
    )
    conn.close()


def test_a_v5_file_keeps_its_contacts(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v5_file(path)
    store = open_store(path)
    try:
        registry = RegistryStore(store)
        a, b = registry.entry("A市IoTラボ"), registry.entry("B町")
        assert a is not None and a.contacts == (("slack", "UA"), ("telegram", "1001"))
        assert b is not None and b.contacts == ()
        columns = {row[1] for row in store.query("PRAGMA table_info(registry)")}
        assert not {"contact_slack", "contact_telegram"} & columns  # no column per platform
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def test_contacts_of_any_channel_in_order(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    try:
        registry = RegistryStore(store)
        contacts = (("teams", "19:abc@thread"), ("slack", "UA"))
        registry.save(
            [RegistryEntry(name="C市", kind="iot", status="not_started", contacts=contacts)],
            at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        )
        entry = registry.entry("C市")
        assert entry is not None and entry.contacts == contacts
        registry.save(
            [RegistryEntry(name="C市", kind="iot", status="not_started", contacts=(("slack", "UB"),))],
            at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
        )
        entry = registry.entry("C市")
        assert entry is not None and entry.contacts == (("slack", "UB"),)  # replaced, not merged
    finally:
        store.close()
