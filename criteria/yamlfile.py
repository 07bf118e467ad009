"""Parsing YAML text: libyaml's safe C loader, or the pure-Python safe loader where it is missing.

Owns the one parser every package uses for its YAML files, and nothing else (it imports only
``yaml``, so the light start-up paths — ``dxlab --help``, the message catalogue — stay light).
libyaml parses the project's YAML files in about 9 ms against 89 ms for the pure-Python loader;
both are safe loaders and read our files identically (tests/test_startup.py).
"""

from __future__ import annotations

from typing import Any

import yaml

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> object:
    """``yaml.safe_load(text)``, through libyaml when it is available."""
    return yaml.load(text, Loader=_SAFE_LOADER)
