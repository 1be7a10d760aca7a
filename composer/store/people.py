"""Subscribers, their dated events, and the send ledger (one row per edition and subscriber)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

_UPSERT = (
    "INSERT INTO deliveries (edition_id, subscriber_id, status, message_id, attempts, error,"
    " transport, updated_at) VALUES (?,?,?,?,?,?,?,?)"
    " ON CONFLICT(edition_id, subscriber_id) DO UPDATE SET status=excluded.status,"
    " message_id=CASE WHEN excluded.message_id != '' THEN excluded.message_id ELSE message_id END,"
    " attempts=deliveries.attempts + excluded.attempts, error=excluded.error,"
    " transport=excluded.transport, updated_at=excluded.updated_at"
)


class PeopleTables:
    """Methods of :class:`~composer.store.Store` over subscribers, events and deliveries."""

    conn: sqlite3.Connection
    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    # -- subscribers -------------------------------------------------------------------

    def subscriber_row(self, address: str) -> sqlite3.Row | None:
        """The subscriber with this address (any case), or None."""
        return self.conn.execute("SELECT * FROM subscribers WHERE email = ?", (address.strip(),)).fetchone()

    def subscriber_rows(self, status: str | None = None) -> list[sqlite3.Row]:
        """Subscribers with ``status`` (all when None), in the order they joined."""
        if status is None:
            return list(self.conn.execute("SELECT * FROM subscribers ORDER BY id"))
        return list(self.conn.execute("SELECT * FROM subscribers WHERE status = ? ORDER BY id", (status,)))

    def count_subscribers(self, status: str = "active") -> int:
        """How many subscribers have ``status``."""
        return int(
            self.conn.execute("SELECT COUNT(*) FROM subscribers WHERE status = ?", (status,)).fetchone()[0]
        )

    def insert_subscriber(self, email: str, name: str, detail: str = "") -> int:
        """Add an active subscriber with its 'subscribed' event; returns its id."""
        from composer.store import now

        stamp = now()
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO subscribers (email, name, created_at, updated_at) VALUES (?,?,?,?)",
                (email, name, stamp, stamp),
            )
            assert cur.lastrowid is not None
            _event(conn, cur.lastrowid, "subscribed", detail)
        return cur.lastrowid

    def update_subscriber(self, subscriber_id: int, event: str, detail: str = "", **fields: str) -> None:
        """Change a subscriber's name or status, with the dated event that says so."""
        from composer.store import now

        assert set(fields) <= {"name", "status"}
        with self.transaction() as conn:
            if fields:
                assignments = ", ".join(f"{k} = ?" for k in fields)
                conn.execute(
                    f"UPDATE subscribers SET {assignments}, updated_at = ? WHERE id = ?",
                    (*fields.values(), now(), subscriber_id),
                )
            _event(conn, subscriber_id, event, detail)

    def delete_subscriber(self, subscriber_id: int) -> None:
        """Delete a subscriber and their history (a right-to-erasure request)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM deliveries WHERE subscriber_id = ?", (subscriber_id,))
            conn.execute("DELETE FROM subscriber_events WHERE subscriber_id = ?", (subscriber_id,))
            conn.execute("DELETE FROM subscribers WHERE id = ?", (subscriber_id,))

    def count_events(self, subscriber_id: int, event: str) -> int:
        """How many times ``event`` happened to a subscriber."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM subscriber_events WHERE subscriber_id = ? AND event = ?",
                (subscriber_id, event),
            ).fetchone()[0]
        )

    # -- the send ledger ---------------------------------------------------------------

    def ledger(self, edition_id: str) -> dict[int, str]:
        """Subscriber id → delivery status for one edition."""
        rows = self.conn.execute(
            "SELECT subscriber_id, status FROM deliveries WHERE edition_id = ?", (edition_id,)
        )
        return {r[0]: r[1] for r in rows}

    def write_deliveries(self, rows: Sequence[tuple[object, ...]]) -> None:
        """Upsert ledger rows (edition, subscriber, status, message id, attempts, error, transport,
        time), all in one transaction."""
        with self.transaction() as conn:
            conn.executemany(_UPSERT, rows)


def _event(conn: sqlite3.Connection, subscriber_id: int, event: str, detail: str = "") -> None:
    from composer.store import now

    conn.execute(
        "INSERT INTO subscriber_events (subscriber_id, event, detail, at) VALUES (?,?,?,?)",
        (subscriber_id, event, detail, now()),
    )
