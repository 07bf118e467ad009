"""The message catalogue: every Japanese sentence the programs say, outside the engine's flow.

Messages live in ``renderers/messages/<area>.yaml`` as jinja2 template strings (trusted, written
by us). ``message("cli.db_unwritable", path=p)`` renders key ``db_unwritable`` of ``cli.yaml``;
user text is only ever passed as a variable, never compiled as a template.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from criteria.yamlfile import parse_yaml

if TYPE_CHECKING:  # jinja2 loads with the first message that has template syntax (start-up)
    import jinja2

_DIR = Path(__file__).parent / "messages"


@functools.cache
def _catalogue(area: str) -> dict[str, str]:
    path = _DIR / f"{area}.yaml"
    data = parse_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ValueError(f"{path}: expected a mapping of message keys to strings")
    return data


@functools.cache
def _environment(escape: Callable[[str], str] | None) -> jinja2.Environment:
    import jinja2

    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if escape is not None and isinstance(value, str):
            return escape(value)
        return value

    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are shipped files: no stat() of each one per render
        autoescape=False,
        keep_trailing_newline=False,
        finalize=finalize,
    )


@functools.cache
def _template(key: str, escape: Callable[[str], str] | None) -> jinja2.Template:
    area, _, name = key.partition(".")
    try:
        source = _catalogue(area)[name]
    except (FileNotFoundError, KeyError) as exc:
        raise KeyError(f"unknown message key: {key}") from exc
    return _environment(escape).from_string(source)


@functools.cache
def _plain(key: str) -> str | None:
    """The text of a message without any jinja2 syntax (most help texts), else ``None``."""
    area, _, name = key.partition(".")
    try:
        source = _catalogue(area)[name]
    except (FileNotFoundError, KeyError):
        return None
    return None if any(mark in source for mark in ("{{", "{%", "{#")) else source.strip()


def message(key: str, *, escape: Callable[[str], str] | None = None, **params: Any) -> str:
    """Render message ``area.name`` with ``params``; ``escape`` is applied to every variable."""
    plain = _plain(key)
    if plain is not None:  # nothing to render: skip compiling a template (start-up time)
        return plain
    return _template(key, escape).render(**params).strip()


def keys(area: str) -> list[str]:
    """All message keys of one area (for tests)."""
    return [f"{area}.{name}" for name in _catalogue(area)]
