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

    def subscriber_by_id(self, subscriber_id: int) -> sqlite3.Row | None:
        """The subscriber with this id, or None."""
        return self.conn.execute("SELECT * FROM subscribers WHERE id = ?", (subscriber_id,)).fetchone()

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

    def insert_subscriber(self, email: str, name: str, detail: str = "", status: str = "active") -> int:
        """Add a subscriber (active, or pending confirmation) with its dated event; returns its id."""
        from composer.store import now

        stamp = now()
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO subscribers (email, name, status, created_at, updated_at) VALUES (?,?,?,?,?)",
                (email, name, status, stamp, stamp),
            )
            assert cur.lastrowid is not None
            _event(conn, cur.lastrowid, "subscribed" if status == "active" else status, detail)
        return cur.lastrowid

    def record_consent(self, subscriber_id: int, ip: str) -> None:
        """Make a pending subscriber active, keeping when and from where they confirmed (consent)."""
        from composer.store import now

        stamp = now()
        with self.transaction() as conn:
            conn.execute(
                "UPDATE subscribers SET status = 'active', consent_at = ?, consent_ip = ?, updated_at = ?"
                " WHERE id = ?",
                (stamp, ip, stamp, subscriber_id),
            )
            _event(conn, subscriber_id, "confirmed", ip)

    def count_events_since(self, subscriber_id: int, event: str, since: str) -> int:
        """How many times ``event`` happened to a subscriber at or after ``since`` (ISO UTC)."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM subscriber_events WHERE subscriber_id = ? AND event = ? AND at >= ?",
                (subscriber_id, event, since),
            ).fetchone()[0]
        )

    def events_between(self, event: str, start: str, end: str | None) -> int:
        """How many ``event`` rows (any subscriber) fall in [start, end)."""
        sql = "SELECT COUNT(*) FROM subscriber_events WHERE event = ? AND at >= ?"
        args: tuple[object, ...] = (event, start)
        if end:
            sql += " AND at < ?"
            args += (end,)
        return int(self.conn.execute(sql, args).fetchone()[0])

    # -- bounces -----------------------------------------------------------------------

    def delivery_by_message_id(self, message_id: str) -> sqlite3.Row | None:
        """The ledger row of the message with this Message-ID (with the subscriber's address)."""
        return self.conn.execute(
            "SELECT d.*, s.email FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id"
            " WHERE d.message_id = ?",
            (message_id.strip(),),
        ).fetchone()

    def latest_edition_sent_to(self, subscriber_id: int) -> str:
        """The edition most recently sent to a subscriber ('' if none): what a bounce without
        a Message-ID most likely answers."""
        row = self.conn.execute(
            "SELECT edition_id FROM deliveries WHERE subscriber_id = ? AND status = 'sent'"
            " ORDER BY updated_at DESC LIMIT 1",
            (subscriber_id,),
        ).fetchone()
        return str(row[0]) if row else ""

    def add_bounce(
        self, subscriber_id: int, kind: str, status: str, message_id: str, edition_id: str
    ) -> None:
        """Record one bounce of a subscriber (``kind`` hard or soft)."""
        from composer.store import now

        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO bounces (subscriber_id, kind, status, message_id, edition_id, at)"
                " VALUES (?,?,?,?,?,?)",
                (subscriber_id, kind, status, message_id, edition_id, now()),
            )

    def count_bounces_since(self, subscriber_id: int, kind: str, since: str) -> int:
        """A subscriber's bounces of ``kind`` at or after ``since``."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM bounces WHERE subscriber_id = ? AND kind = ? AND at >= ?",
                (subscriber_id, kind, since),
            ).fetchone()[0]
        )

    def edition_report(self, edition_id: str) -> dict[str, int]:
        """Counts for one edition: the ledger by status, and bounces of its messages."""
        counts = {"sent": 0, "failed": 0, "deferred": 0, "sending": 0}
        for status, n in self.conn.execute(
            "SELECT status, COUNT(*) FROM deliveries WHERE edition_id = ? GROUP BY status", (edition_id,)
        ):
            counts[status] = n
        counts["bounced"] = int(
            self.conn.execute(
                "SELECT COUNT(DISTINCT subscriber_id) FROM bounces WHERE edition_id = ?", (edition_id,)
            ).fetchone()[0]
        )
        return counts

    def sent_today(self, since: str) -> int:
        """Messages the ledger marked sent at or after ``since`` (for a daily quota)."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM deliveries WHERE status = 'sent' AND updated_at >= ?", (since,)
            ).fetchone()[0]
        )

    def reset_failed(self, edition_id: str) -> int:
        """Make the failed recipients of an edition eligible again (``send --retry-failed``)."""
        with self.transaction() as conn:
            return conn.execute(
                "UPDATE deliveries SET status = 'deferred' WHERE edition_id = ? AND status = 'failed'",
                (edition_id,),
            ).rowcount

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

    def ledger_attempts(self, edition_id: str) -> dict[int, int]:
        """Subscriber id → how many times a message of this edition was attempted."""
        rows = self.conn.execute(
            "SELECT subscriber_id, attempts FROM deliveries WHERE edition_id = ?", (edition_id,)
        )
        return {r[0]: int(r[1]) for r in rows}

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
