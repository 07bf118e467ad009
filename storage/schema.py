"""The database schema and its migrations, versioned with ``PRAGMA user_version``.

Owns every table. A migration is a function taking the sqlite-utils ``Database``; they run in
order, each in its own transaction, from the file's version to ``SCHEMA_VERSION``. Append new
migrations; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storage.codec import reencode

if TYPE_CHECKING:  # imported by the caller only when a migration runs (start-up time)
    import sqlite_utils


def _v1(db: sqlite_utils.Database) -> None:
    db["labs"].create({"id": int, "name": str, "created_at": str}, pk="id", not_null={"name", "created_at"})
    db["labs"].create_index(["name"], unique=True)
    db["people"].create({"id": int, "name": str, "created_at": str}, pk="id", not_null={"name"})
    db["identities"].create(
        {"channel": str, "external_id": str, "person_id": int},
        pk=("channel", "external_id"),
        foreign_keys=[("person_id", "people", "id")],
    )
    db["drafts"].create(
        {
            "lab_id": int,
            "answers": str,
            "skipped": str,
            "review": str,
            "authors": str,
            "version": int,
            "updated_at": str,
        },
        pk="lab_id",
        foreign_keys=[("lab_id", "labs", "id")],
    )
    db["answers"].create(
        {
            "id": int,
            "lab_id": int,
            "field": str,
            "action": str,
            "value": str,
            "person_id": int,
            "channel": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("lab_id", "labs", "id"), ("person_id", "people", "id")],
    )
    db["answers"].create_index(["lab_id", "field"])
    db["cursors"].create(
        {"lab_id": int, "person_id": int, "state": str, "updated_at": str},
        pk=("lab_id", "person_id"),
        foreign_keys=[("lab_id", "labs", "id"), ("person_id", "people", "id")],
    )
    db["processed_events"].create({"channel": str, "event_id": str, "at": str}, pk=("channel", "event_id"))


def _v2(db: sqlite_utils.Database) -> None:
    """Channel bindings (a Slack user/channel or Telegram chat → a lab) and one-time link codes."""
    db["bindings"].create(
        {"channel": str, "external_id": str, "lab_id": int, "created_at": str},
        pk=("channel", "external_id"),
        foreign_keys=[("lab_id", "labs", "id")],
    )
    db["link_codes"].create(
        {"code": str, "person_id": int, "created_at": str, "expires_at": str, "used_at": str},
        pk="code",
        foreign_keys=[("person_id", "people", "id")],
    )


def _v3(db: sqlite_utils.Database) -> None:
    """Coordinators: the registry of labs moving from 地方版IoT推進ラボ, and reminders (nudges)."""
    db["registry"].create(
        {
            "lab_id": int,
            "prefecture": str,
            "municipality": str,
            "kind": str,
            "iot_selected_on": str,
            "status": str,
            "contact_slack": str,
            "contact_telegram": str,
            "transition_deadline": str,
            "updated_at": str,
        },
        pk="lab_id",
        foreign_keys=[("lab_id", "labs", "id")],
    )
    db["reminders"].create(
        {
            "key": str,
            "lab_id": int,
            "deadline": str,
            "stage": str,
            "channel": str,
            "target": str,
            "status": str,
            "attempts": int,
            "body": str,
            "created_at": str,
            "sent_at": str,
            "next_attempt_at": str,
            "last_error": str,
        },
        pk="key",
        foreign_keys=[("lab_id", "labs", "id")],
    )
    db["reminders"].create_index(["status", "next_attempt_at"])


def _v4(db: sqlite_utils.Database) -> None:
    """Roles: staff (of one lab), coordinator, secretariat, admin."""
    db["roles"].create(
        {"person_id": int, "role": str, "lab_id": int, "granted_by": int, "granted_at": str},
        pk=("person_id", "role", "lab_id"),
        foreign_keys=[("person_id", "people", "id")],
    )


def _v5(db: sqlite_utils.Database) -> None:
    """Inbox: inbound platform events kept before the platform is told they arrived.

    An event is done when its id is in ``processed_events`` (written with its effect), so the
    events still to apply after a crash are the inbox rows without a processed id.
    """
    db["inbox"].create(
        {"channel": str, "event_id": str, "payload": str, "received_at": str},
        pk=("channel", "event_id"),
    )


class SchemaTooNew(Exception):
    """The file was written by a newer dxlab (its ``user_version`` is above ``SCHEMA_VERSION``)."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(f"database schema {found} is newer than this dxlab ({supported})")
        self.found = found
        self.supported = supported


def _v6(db: sqlite_utils.Database) -> None:
    """Contacts: a lab's chat contacts as rows (channel, external id, position), not a column per
    platform. The registry's ``contact_slack`` / ``contact_telegram`` values move here (Slack first,
    as the nudge preferred it) and the two columns go."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE contacts (lab_id INTEGER NOT NULL REFERENCES labs(id), channel TEXT NOT NULL, "
        "external_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (lab_id, channel, external_id))"
    )
    for position, (channel, column) in enumerate(
        (("slack", "contact_slack"), ("telegram", "contact_telegram"))
    ):
        conn.execute(
            f"INSERT OR IGNORE INTO contacts (lab_id, channel, external_id, position) "
            f"SELECT lab_id, ?, {column}, ? FROM registry WHERE COALESCE({column}, '') <> ''",
            (channel, position),
        )
        conn.execute(f"ALTER TABLE registry DROP COLUMN {column}")


# (table, JSON text columns) rewritten by migration 7
_JSON_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("answers", ("value",)),
    ("drafts", ("answers", "skipped", "review", "authors")),
    ("cursors", ("state",)),
    ("inbox", ("payload",)),
)
_BATCH = 500


def _v7(db: sqlite_utils.Database) -> None:
    """Stored values as UTF-8 JSON (``storage.codec``): rows written with ASCII escapes are
    rewritten in place, same values, about half the bytes for Japanese text; values with a lone
    surrogate keep their escapes. Touches only tables of migrations 1–5 (migration 6's contacts
    hold no JSON), in batches of rows."""
    conn = db.conn
    for table, columns in _JSON_COLUMNS:
        last = -1
        while True:
            rows = conn.execute(
                f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, _BATCH),
            ).fetchall()
            if not rows:
                break
            for row in rows:
                fresh = [reencode(text) for text in row[1:]]
                changed = {c: f for c, f in zip(columns, fresh, strict=True) if f is not None}
                if changed:
                    sets = ", ".join(f"{c} = ?" for c in changed)
                    conn.execute(f"UPDATE {table} SET {sets} WHERE rowid = ?", (*changed.values(), row[0]))
            last = rows[-1][0]


def _v8(db: sqlite_utils.Database) -> None:
    """Wrong link codes, one row per try and identity (``channel``, ``external_id``): five within
    the pause lock that identity out of ``redeem_link_code`` for a while. A table, not memory,
    because ``dxlab chat --link`` is a new process at every try."""
    db.conn.execute(
        "CREATE TABLE link_failures "
        "(channel TEXT NOT NULL, external_id TEXT NOT NULL, failed_at TEXT NOT NULL)"
    )
    db.conn.execute("CREATE INDEX link_failures_who ON link_failures (channel, external_id, failed_at)")


def _v9(db: sqlite_utils.Database) -> None:
    """Invitation codes: a lab's staff (or a coordinator, an admin) invite a colleague to the lab.
    One use per code; ``used_by`` is the person who joined with it."""
    db.conn.execute(
        "CREATE TABLE invite_codes (code TEXT PRIMARY KEY, lab_id INTEGER NOT NULL REFERENCES labs(id), "
        "by_person_id INTEGER NOT NULL REFERENCES people(id), created_at TEXT NOT NULL, "
        "expires_at TEXT NOT NULL, used_at TEXT, used_by INTEGER REFERENCES people(id))"
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the database to ``SCHEMA_VERSION``; returns the version it was at."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if start > SCHEMA_VERSION:
            raise SchemaTooNew(start, SCHEMA_VERSION)
        for version in range(start, SCHEMA_VERSION):
            MIGRATIONS[version](db)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return start
