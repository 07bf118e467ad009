"""The shape of the code that issue 15 set: composition in one place, storage used through its
public API, no channel names in storage, module names that say what they hold. (Import cycles and
layers are import-linter's contracts in pyproject.toml, run by tests/test_quality.py.)"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _sources(*packages: str) -> list[Path]:
    return [p for package in packages for p in (ROOT / package).rglob("*.py")]


def test_no_private_store_members_outside_storage() -> None:
    private = re.compile(r"\b(?:store|self\.store)\._(?:write|conn|errors|read_draft|local)\b")
    # Fault injection (a connection that fails, a page count that runs out) needs the connection.
    allowed = {ROOT / "tests" / "reliability" / "test_db_faults.py"}
    found = [
        str(p)
        for p in _sources("bot", "tests", "benchmarks")
        if p not in allowed and private.search(p.read_text())
    ]
    assert found == []


def test_no_casts_or_isinstance_checks_on_the_sqlite_store() -> None:
    pattern = re.compile(r"cast\(SQLiteStore|isinstance\([^)]*SQLiteStore")
    assert [str(p) for p in _sources("bot") if pattern.search(p.read_text())] == []


def test_services_and_policies_are_composed_in_wiring_only() -> None:
    pattern = re.compile(r"\b(?:DialogService|Policy|CoordinatorService|Router)\(")
    allowed = {"bot/wiring.py", "bot/service.py", "bot/core/router.py"}
    found = [
        str(p.relative_to(ROOT))
        for p in _sources("bot")
        if str(p.relative_to(ROOT)) not in allowed and pattern.search(p.read_text())
    ]
    assert found == []


def test_storage_names_no_channel() -> None:
    names = re.compile(r"""['"](?:slack|telegram|console)['"]""")
    found = [str(p) for p in _sources("storage") if p.name != "schema.py" and names.search(p.read_text())]
    assert found == []  # schema.py's v6 migration moves the old per-platform columns, by name


def test_module_names_do_not_collide() -> None:
    for name in ("registry.py", "chat.py", "delivery.py"):
        paths = [
            str(p.relative_to(ROOT)) for p in _sources("bot", "dialogs", "storage", "criteria", "renderers")
        ]
        assert sum(1 for p in paths if p.endswith("/" + name)) <= 1, name


def test_the_engine_names_no_field_of_the_flow() -> None:
    from dialogs.flow import default_flow

    source = (ROOT / "dialogs" / "engine.py").read_text(encoding="utf-8")
    fields = {step.field for step in default_flow().steps}
    assert [f for f in sorted(fields) if f'"{f}"' in source] == []
