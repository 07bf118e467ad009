"""The code's own rules, checked with the tests: import direction, strict typing, lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return which


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_direction_contracts_hold() -> None:
    result = _run(_tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_the_core() -> None:
    result = _run(_tool("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = _run(_tool("ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_project_never_reads_the_shared_folder() -> None:
    offenders = []
    for folder in ("bot", "dialogs", "criteria", "renderers", "storage", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "test_quality.py":
                continue
            if "../shared" in path.read_text(encoding="utf-8") or "/work/shared" in path.read_text(
                encoding="utf-8"
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
