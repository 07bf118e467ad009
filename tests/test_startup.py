"""Start-up shortcuts change nothing: libyaml reads every shipped YAML file as the pure-Python safe
loader does, and messages without template syntax are returned as jinja2 would render them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from criteria.yamlfile import parse_yaml
from renderers import messages

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


def test_plain_messages_read_as_their_rendered_template() -> None:
    plain = 0
    for path in sorted((_ROOT / "renderers" / "messages").glob("*.yaml")):
        for key in messages.keys(path.stem):
            text = messages._plain(key)
            if text is not None:
                plain += 1
                assert text == messages._template(key, None).render().strip(), key
    assert plain > 100
