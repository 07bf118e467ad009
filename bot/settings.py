"""Where things are: the database path and other settings from the environment (and ``.env``).

Owns the defaults: ``--db`` wins, then ``DXLAB_DB``, then ``dxlab.db`` in the user's data
directory (``$XDG_DATA_HOME/dxlab``, ``~/.local/share/dxlab`` …).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_dir() -> Path:
    """The user's data directory for dxlab."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "dxlab"


def load_dotenv(path: Path | None = None) -> None:
    """Read ``KEY=VALUE`` lines of a ``.env`` file into the environment (never overriding)."""
    env_file = path or Path.cwd() / ".env"
    try:
        lines = env_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip().strip('"').strip("'")
        if key and key not in os.environ:
            os.environ[key] = value


def db_path(explicit: str | None) -> Path:
    """The database to use."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("DXLAB_DB")
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / "dxlab.db"
