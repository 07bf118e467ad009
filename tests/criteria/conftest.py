"""Shared fixtures for the criteria tests: the example applications of tests/fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from criteria.application import Application

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def load_fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture
def full_data() -> dict[str, Any]:
    return load_fixture("full_application.json")


@pytest.fixture
def full_app(full_data: dict[str, Any]) -> Application:
    return Application.model_validate(full_data)


@pytest.fixture
def partial_app() -> Application:
    return Application.model_validate(load_fixture("partial_application.json"))
