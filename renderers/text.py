"""Engine replies as plain text (the terminal, and the text parts of chat messages).

Owns the choice of template per reply type (``templates/text/<reply_type>.j2``) and the safety of
user text in plain output: every variable passes ``escape`` (by default terminal-safe: control
characters and lone surrogates shown as U+FFFD, so typed text can never drive the terminal).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from criteria.yamlfile import parse_yaml
from dialogs.replies import Notice, Reply
from renderers.messages import message

_TEMPLATES = Path(__file__).parent / "templates"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def terminal_safe(text: str) -> str:
    """Replace control characters (but newline and tab) and lone surrogates by U+FFFD."""
    return _UNSAFE.sub("\ufffd", text)


@functools.cache
def marks() -> dict[str, dict[str, str]]:
    """Verdict, severity and status marks (``renderers/marks.yaml``)."""
    data = parse_yaml((Path(__file__).parent / "marks.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("marks.yaml: expected a mapping")
    return {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data.items()}


def template_name(reply: object) -> str:
    """The template file of a reply type: ``FindingsUpdate`` → ``findings_update.j2``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(reply).__name__).lower() + ".j2"


@functools.cache
def environment(folder: str | Path, escape: Callable[[str], str]) -> jinja2.Environment:
    """Templates of ``folder`` (a name under ``renderers/templates``, or a path) whose every
    printed variable goes through ``escape``."""

    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, str):
            return escape(value)
        return value

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder if isinstance(folder, Path) else _TEMPLATES / folder),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are shipped files: no stat() of each one per render
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=finalize,
    )
    env.globals["message"] = message
    env.globals["marks"] = marks()["verdict"]
    env.globals["status_marks"] = marks()["status"]
    env.globals["severity_marks"] = marks()["severity"]
    return env


def render_reply(reply: Reply, *, escape: Callable[[str], str] = terminal_safe, folder: str = "text") -> str:
    """One reply as text; empty for replies the adapter acts on (an export request)."""
    if isinstance(reply, Notice):
        return message(f"dialog.{reply.key}", escape=escape, **dict(reply.params))
    template = environment(folder, escape).get_template(template_name(reply))
    return template.render(r=reply).strip("\n")


def render_with(reply: Reply, *, overrides: Path, escape: Callable[[str], str] = terminal_safe) -> str:
    """``reply`` from a channel's own template when ``overrides`` (a folder) has one for its type,
    else from the shared text templates: a channel overrides only the templates that differ."""
    if isinstance(reply, Notice):
        return message(f"dialog.{reply.key}", escape=escape, **dict(reply.params))
    if (overrides / template_name(reply)).is_file():
        return environment(overrides, escape).get_template(template_name(reply)).render(r=reply).strip("\n")
    return render_reply(reply, escape=escape)
