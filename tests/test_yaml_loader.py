"""The C YAML loader used at start-up reads every shipped YAML file exactly as the safe loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from criteria.data import parse_yaml

_ROOT = Path(__file__).resolve().parents[1]
_FILES = sorted(
    p for folder in ("criteria", "dialogs", "renderers", "bot") for p in (_ROOT / folder).rglob("*.yaml")
)


def test_every_project_yaml_file_is_found() -> None:
    assert len(_FILES) >= 15


@pytest.mark.parametrize("path", _FILES, ids=lambda p: str(p.relative_to(_ROOT)))
def test_c_loader_reads_like_the_pure_python_safe_loader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text) == yaml.safe_load(text)


def test_parse_yaml_stays_safe() -> None:
    with pytest.raises(yaml.YAMLError):
        parse_yaml("!!python/object/apply:os.system ['true']")
