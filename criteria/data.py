"""Loading the rule data (YAML files next to this module) into validated, frozen models.

Owns the one way the package reads its YAML: parsed by ``criteria.yamlfile``, validated with a
pydantic model, loaded once. Any problem becomes a ``DataError`` naming the file and the key, so a
typo in a rule file fails at import with a message that says where to look.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from criteria.yamlfile import parse_yaml

DATA_DIR = Path(__file__).parent

M = TypeVar("M", bound=BaseModel)


class DataError(ValueError):
    """A rule file is missing, not YAML, or does not have the expected shape."""


class DataModel(BaseModel):
    """Base of every model read from a rule file: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def describe(exc: ValidationError, filename: str) -> str:
    """One line per problem: ``findings.yaml: kpi.no_deadline.severity: Input should be ...``."""
    return "\n".join(f"{filename}: {_where(err['loc'])}: {err['msg']}" for err in exc.errors())


@functools.cache
def read_yaml(path: Path) -> object:
    """The parsed content of a YAML file (cached by path)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path.name}: cannot read ({exc})") from exc
    try:
        return parse_yaml(text)
    except yaml.YAMLError as exc:
        raise DataError(f"{path.name}: not valid YAML: {exc}") from exc


def load(filename: str, model: type[M], directory: Path = DATA_DIR) -> M:
    """Read ``filename`` and validate it as ``model``, or raise ``DataError`` naming file and key."""
    raw = read_yaml(directory / filename)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise DataError(describe(exc, filename)) from exc
