"""Who holds which role, on the SQLite file (the ``roles`` table, schema v4).

Owns reading and writing role grants: ``(person_id, role, lab_id)`` with who granted it and when.
``lab_id`` 0 means "every lab" (never NULL: SQLite lets NULLs repeat in a primary key). Also the
identity look-ups the role commands need (``channel:external_id`` ↔ person) without creating
anyone. Storage stays neutral: role names are the strings the caller gives; what a role may do is
``bot.roles``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from storage.base import Person, SQLDatabase

ALL_LABS = 0


@dataclass(frozen=True, kw_only=True)
class Grant:
    """One role held by one person, for one lab (``lab_id`` 0: every lab)."""

    person_id: int
    person: str
    role: str
    lab_id: int
    lab: str
    granted_by: int | None
    granted_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RoleStore:
    """Role grants and identity look-ups through the store's public transaction API."""

    def __init__(self, store: SQLDatabase) -> None:
        self.store = store

    def grant(self, person_id: int, role: str, *, lab_id: int = ALL_LABS, granted_by: int | None) -> bool:
        """Give ``role``; ``False`` when the person already held it (nothing changes then)."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO roles (person_id, role, lab_id, granted_by, granted_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (person_id, role, lab_id, granted_by, _now()),
            )
        return cur.rowcount == 1

    def grant_if_unclaimed(self, person_id: int, role: str, lab_id: int) -> bool:
        """Give ``role`` for ``lab_id`` only when nobody holds it for that lab yet and the lab is
        blank — no answers in its draft and no registry row, i.e. it is being created — atomically.
        A lab filled by ``dxlab import`` or listed by ``dxlab labs import`` is never claimed."""
        with self.store.transaction() as conn:
            taken = conn.execute(
                "SELECT 1 FROM roles WHERE role = ? AND lab_id = ? LIMIT 1", (role, lab_id)
            ).fetchone()
            if taken:
                return False
            filled = conn.execute(
                "SELECT 1 FROM drafts WHERE lab_id = ? AND COALESCE(answers, '{}') NOT IN ('{}', '', 'null') "
                "UNION ALL SELECT 1 FROM registry WHERE lab_id = ? LIMIT 1",
                (lab_id, lab_id),
            ).fetchone()
            if filled:
                return False
            conn.execute(
                "INSERT INTO roles (person_id, role, lab_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)",
                (person_id, role, lab_id, person_id, _now()),
            )
        return True

    def revoke(self, person_id: int, role: str, *, lab_id: int = ALL_LABS) -> bool:
        """Take ``role`` away; ``False`` when the person did not hold it."""
        with self.store.transaction() as conn:
            cur = conn.execute(
                "DELETE FROM roles WHERE person_id = ? AND role = ? AND lab_id = ?", (person_id, role, lab_id)
            )
        return cur.rowcount > 0

    def roles_of(self, person_id: int) -> set[tuple[str, int]]:
        """``(role, lab_id)`` pairs the person holds."""
        rows = self.store.query("SELECT role, lab_id FROM roles WHERE person_id = ?", (person_id,))
        return {(str(r[0]), int(r[1])) for r in rows}

    def holders(self, role: str, lab_id: int) -> list[int]:
        """The people holding ``role`` for exactly ``lab_id``."""
        rows = self.store.query(
            "SELECT person_id FROM roles WHERE role = ? AND lab_id = ? ORDER BY person_id", (role, lab_id)
        )
        return [int(r[0]) for r in rows]

    def grants(self) -> list[Grant]:
        """Every grant, by person then role."""
        sql = (
            "SELECT r.person_id, COALESCE(p.name, ''), r.role, r.lab_id, COALESCE(l.name, ''), "
            "r.granted_by, r.granted_at FROM roles r LEFT JOIN people p ON p.id = r.person_id "
            "LEFT JOIN labs l ON l.id = r.lab_id ORDER BY p.name, r.person_id, r.role, l.name"
        )
        rows = self.store.query(sql)
        return [
            Grant(
                person_id=int(r[0]),
                person=str(r[1]),
                role=str(r[2]),
                lab_id=int(r[3]),
                lab=str(r[4]),
                granted_by=None if r[5] is None else int(r[5]),
                granted_at=str(r[6]),
            )
            for r in rows
        ]

    def find_person(self, channel: str, external_id: str) -> Person | None:
        """The person with this identity, without creating one."""
        rows = self.store.query(
            "SELECT p.id, p.name FROM identities i JOIN people p ON p.id = i.person_id "
            "WHERE i.channel = ? AND i.external_id = ?",
            (channel, external_id),
        )
        return Person(int(rows[0][0]), str(rows[0][1])) if rows else None

    def identities(self, person_id: int) -> list[tuple[str, str]]:
        """``(channel, external_id)`` of every identity of the person."""
        rows = self.store.query(
            "SELECT channel, external_id FROM identities WHERE person_id = ? ORDER BY channel, external_id",
            (person_id,),
        )
        return [(str(r[0]), str(r[1])) for r in rows]
