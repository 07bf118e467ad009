"""Reading and writing application files (``dxlab.application/1``) for the command line.

Owns the translation of every way a file can be wrong (missing, unreadable, not JSON, not an
application) into one clear Japanese ``UserError``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.errors import UserError
from criteria.application import Application
from renderers.messages import message


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors()[:10]:
        where = ".".join(str(part) for part in error["loc"]) or message("cli.whole_file")
        lines.append(f"- {where}: {error['msg']}")
    return "\n".join(lines)


def load_application(path: Path) -> Application:
    """Read and validate an application file, or raise ``UserError`` saying what is wrong."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(message("cli.file_not_found", path=str(path))) from exc
    except OSError as exc:
        raise UserError(
            message("cli.file_unreadable", path=str(path), reason=exc.strerror or str(exc))
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise UserError(
            message("cli.file_unreadable", path=str(path), reason=message("cli.not_utf8"))
        ) from exc
    except json.JSONDecodeError as exc:
        raise UserError(
            message("cli.not_json", path=str(path), line=exc.lineno, column=exc.colno, reason=exc.msg)
        ) from exc
    if not isinstance(data, dict):
        raise UserError(message("cli.not_application", path=str(path), problems=message("cli.not_object")))
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
