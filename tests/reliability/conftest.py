"""Reliability fixtures: soak or quick sizes, and a seeded random generator whose seed is printed."""

from __future__ import annotations

import os
import random

import pytest


@pytest.fixture
def soak(request: pytest.FixtureRequest) -> bool:
    """``pytest --soak``: the long runs (≥200 turns per program); the default run stays quick."""
    return bool(request.config.getoption("--soak"))


@pytest.fixture
def seed() -> int:
    """``DXLAB_SEED`` to replay a failure; printed, so a failing run shows it with its output."""
    value = int(os.environ.get("DXLAB_SEED") or random.SystemRandom().randrange(1 << 32))
    print(f"seed={value} (rerun with DXLAB_SEED={value})")
    return value


@pytest.fixture
def rng(seed: int) -> random.Random:
    return random.Random(seed)
