"""Storage of labs, people, drafts, answer history, cursors and processed events.

``open_store(path)`` gives the SQLite store; ``MemoryStore`` behaves the same in memory.
"""

from __future__ import annotations

from pathlib import Path

from storage.base import StorageError, Store
from storage.memory import MemoryStore
from storage.sqlite import SQLiteStore

__all__ = ["MemoryStore", "SQLiteStore", "StorageError", "Store", "open_store"]


def open_store(path: Path | str) -> SQLiteStore:
    """Open (creating and migrating when needed) the SQLite database at ``path``."""
    return SQLiteStore(path)
