"""Which files an import reads, and each one read into draft answers (.json or .docx).

Owns the expansion of the command line (several files, folders: their .json and .docx files,
Word's ``~$`` lock files and hidden files left out) and the reading of one file, whatever its
kind, into a ``Loaded`` — or a ``UserError`` saying why it cannot be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.appfile import answers_of, load_application
from bot.errors import UserError
from bot.plan_import import read_plan
from bot.plan_import.limits import check_size
from bot.plan_import.result import PlanImport
from renderers.messages import message

SUFFIXES = (".json", ".docx")
MAX_FILES = 1_000
"""The most files one ``dxlab import`` reads (a round of applications is a few hundred)."""


@dataclass(frozen=True)
class Loaded:
    """One file read: its answers, the plan reading (for .docx), and the lab name it states."""

    path: Path
    answers: dict[str, Any]
    plan: PlanImport | None
    lab_name: str


def expand(paths: Sequence[str]) -> list[Path]:
    """The files to import, in the order given (a folder's files sorted by name)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise UserError(message("plan_import.no_files", path=str(path)))
            files.extend(found)
        else:
            files.append(path)
    if len(files) > MAX_FILES:
        raise UserError(message("plan_import.too_many_files", limit=MAX_FILES, count=len(files)))
    return files


def _unreadable(path: Path, exc: OSError) -> UserError:
    if isinstance(exc, FileNotFoundError):
        return UserError(message("cli.file_not_found", path=str(path)))
    return UserError(message("cli.file_unreadable", path=str(path), reason=exc.strerror or str(exc)))


def _read(path: Path) -> bytes:
    """The file's bytes, its size checked against ``MAX_INPUT_BYTES`` before it is read."""
    try:
        check_size(path.stat().st_size, name=path.name)
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc


def load(path: Path) -> Loaded:
    """Read one .json application or .docx 実施計画書; ``UserError`` when it cannot be imported."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        _read(path)  # the size is checked first; load_application reads and explains the content
        app = load_application(path)
        return Loaded(path=path, answers=answers_of(app), plan=None, lab_name=app.lab_name.strip())
    if suffix in (".docx", ".doc", ".pdf", ".zip", ".docm", ".dotx", ".rtf", ".odt") or not suffix:
        plan = read_plan(_read(path), name=path.name)
        lab = str(plan.answers.get("lab_name", "")).strip()
        return Loaded(path=path, answers=dict(plan.answers), plan=plan, lab_name=lab)
    raise UserError(message("plan_import.unsupported", name=path.name))
