"""Reading and writing application files (``dxlab.application/1``) for the command line.

Owns the translation of every way a file can be wrong (missing, unreadable, too large, nested
too deep, a number too long, an answer over the typed limit, not JSON, not an application) into
one clear Japanese ``UserError``. The bounds are checked before anything is built from the file,
so a hostile file costs time and memory proportional to at most ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.errors import UserError
from bot.files import read_input_file
from criteria.application import Application
from criteria.bounded import MAX_NUMBER_CHARS
from dialogs.inputs import MAX_ANSWER_CHARS
from renderers.messages import message

MAX_JSON_DEPTH = 32  # an application file nests three levels ({"kpis": [{...}]})
# A JSON string (escapes included) or one bracket: strings are skipped when counting the nesting.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class _NumberTooLong(ValueError):
    pass


def _json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (linear, no recursion)."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def _bounded_json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _NumberTooLong(text)
    return int(text)


def parse_json(raw: bytes, path: Path) -> Any:
    """The JSON value of the file's bytes (UTF-8, BOM allowed), within the depth and digit limits."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            message("cli.file_unreadable", path=str(path), reason=message("cli.not_utf8"))
        ) from exc
    if _json_depth(text) > MAX_JSON_DEPTH:
        raise UserError(message("cli.json_too_deep", path=str(path), limit=MAX_JSON_DEPTH))
    try:
        return json.loads(text, parse_int=_bounded_json_int)
    except _NumberTooLong as exc:
        raise UserError(message("cli.json_number_too_long", path=str(path), limit=MAX_NUMBER_CHARS)) from exc
    except json.JSONDecodeError as exc:
        raise UserError(
            message("cli.not_json", path=str(path), line=exc.lineno, column=exc.colno, reason=exc.msg)
        ) from exc
    except (ValueError, RecursionError) as exc:  # never expected after the checks above
        detail = str(exc)[:200]
        raise UserError(message("cli.not_json", path=str(path), line=1, column=1, reason=detail)) from exc


def _too_long(value: Any, where: str) -> tuple[str, int] | None:
    """The first text longer than ``MAX_ANSWER_CHARS`` in ``value``: (its place, its length)."""
    if isinstance(value, str):
        return (where, len(value)) if len(value) > MAX_ANSWER_CHARS else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        items = [(f"{where}.{key}" if where else str(key), item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{where}[{n}]", item) for n, item in enumerate(value)]
    for place, item in items:
        found = _too_long(item, place)
        if found is not None:
            return found
    return None


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors()[:10]:
        where = ".".join(str(part) for part in error["loc"]) or message("cli.whole_file")
        lines.append(f"- {where}: {error['msg']}")
    return "\n".join(lines)


def load_application(path: Path) -> Application:
    """Read and validate an application file, or raise ``UserError`` saying what is wrong."""
    data = parse_json(read_input_file(path), path)
    if not isinstance(data, dict):
        raise UserError(message("cli.not_application", path=str(path), problems=message("cli.not_object")))
    long = _too_long(data, "")
    if long is not None:
        raise UserError(
            message(
                "cli.answer_too_long",
                path=str(path),
                field=long[0],
                length=f"{long[1]:,}",
                limit=f"{MAX_ANSWER_CHARS:,}",
            )
        )
    try:
        return Application.model_validate(data)
    except ValidationError as exc:
        raise UserError(message("cli.not_application", path=str(path), problems=_describe(exc))) from exc


def application_json(app: Application) -> str:
    """The application file's text: UTF-8 JSON, Japanese kept readable."""
    return json.dumps(app.to_file(), ensure_ascii=False, indent=2) + "\n"


def answers_of(app: Application) -> dict[str, Any]:
    """The draft answers (field path → value) for the fields the file actually sets."""
    data = app.model_dump(mode="json", exclude_unset=True)
    data.pop("format", None)
    answers: dict[str, Any] = {}
    for key, value in data.items():
        if key == "other" and isinstance(value, dict):
            for sub, subvalue in value.items():
                answers[f"other.{sub}"] = subvalue
        else:
            answers[key] = value
    return answers
