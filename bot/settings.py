"""Where things are: the database path and other settings from the environment (and ``.env``).

Owns the defaults: ``--db`` wins, then ``DXLAB_DB``, then ``dxlab.db`` in the user's data
directory (``$XDG_DATA_HOME/dxlab``, ``~/.local/share/dxlab`` …), and the reading of ``.env``
with python-dotenv's rules (quotes, ``export``, inline ``# comments``). Each line is decoded on its
own (UTF-8 with or without BOM, else CP932, as Notepad may save it); a line that cannot be read
or holds a NUL byte is skipped with a Japanese note on stderr, never a crash.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from dotenv.parser import parse_stream

from renderers.messages import message

MAX_DOTENV_BYTES = 1024 * 1024
_noted: set[Path] = set()  # .env files whose notes were shown (several entry points read it)


def data_dir() -> Path:
    """The user's data directory for dxlab."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "dxlab"


def _decode_lines(raw: bytes) -> tuple[str, list[str]]:
    """The text of a ``.env`` (line numbers kept) and notes on the lines that had to be dropped."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    lines: list[str] = []
    notes: list[str] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if b"\x00" in line:
            notes.append(message("cli.env_nul", line=number))
            lines.append("#")  # keeps the line numbers of the lines after it
            continue
        for encoding in ("utf-8", "cp932"):
            try:
                lines.append(line.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            if not line.lstrip().startswith(b"#"):
                notes.append(message("cli.env_undecodable", line=number))
            lines.append("#")  # keeps the line numbers of the lines after it
    return "\n".join(lines), notes


def load_dotenv(path: Path | None = None) -> None:
    """Read the settings of a ``.env`` file into the environment (never overriding)."""
    env_file = path or Path.cwd() / ".env"
    try:
        with env_file.open("rb") as handle:
            raw = handle.read(MAX_DOTENV_BYTES + 1)
    except OSError:
        return
    if len(raw) > MAX_DOTENV_BYTES:
        _note(env_file, [message("cli.env_too_large", limit="1 MB")])
        return
    text, notes = _decode_lines(raw)
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            notes.append(message("cli.env_bad_line", line=binding.original.line))
            continue
        if binding.key and binding.value is not None and binding.key not in os.environ:
            os.environ[binding.key] = binding.value
    _note(env_file, notes)


def _note(env_file: Path, notes: list[str]) -> None:
    key = env_file.resolve()
    if notes and key not in _noted:
        _noted.add(key)
        sys.stderr.write("\n".join(message("cli.env_note", path=str(env_file), note=n) for n in notes) + "\n")


def db_path(explicit: str | None) -> Path:
    """The database to use."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("DXLAB_DB")
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / "dxlab.db"
