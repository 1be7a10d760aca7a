"""The editions tables: the edition row and its lifecycle, its items (plan and composed content),
and the editor's edits.

An edition's items hold, per article, the editor's summary choice and the composed content
(JSON, written by :mod:`composer.edition.content`); edits sit beside it with the generated text
they replaced.  Status changes are compare-and-set, so two processes can never both move an
edition from ``ready`` to ``sending``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from composer.errors import UsageError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

STATUSES = ("draft", "ready", "sending", "sent", "failed")
_FIELDS = ("title", "date", "introduction", "subject", "preheader")


@dataclass(frozen=True)
class ItemRow:
    """One article of an edition as stored: its place, the summary choice, the composed content."""

    article_id: str
    position: int
    method: str = "default"
    sentences: int = 0
    content: str | None = None


@dataclass(frozen=True)
class EditRow:
    """The editor's text for one block of an article (a section, the chapô, L'essentiel).

    ``edited`` empty means the editor dropped the block.
    """

    edition_id: str
    article_id: str
    kind: str
    original: str
    edited: str
    updated_at: str = ""


class EditionTables:
    """Methods of :class:`~composer.store.Store` over editions, their items and edits."""

    conn: sqlite3.Connection
    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    # -- the edition row ---------------------------------------------------------------

    def create_edition(self, day: str, title: str, *, edition_id: str = "", **fields: str) -> str:
        """Insert a draft edition and return its id (``<day>-<n>``, the first free n, unless given)."""
        from composer.store import now

        if edition_id and not _ID.fullmatch(edition_id):
            raise UsageError(
                f"{edition_id!r} cannot be an edition id; use letters, digits, '-', '_' or '.' (80 at most)"
            )
        stamp = now()
        with self.transaction() as conn:
            if not edition_id:
                n = conn.execute("SELECT COUNT(*) FROM editions WHERE date = ?", (day,)).fetchone()[0] + 1
                while conn.execute("SELECT 1 FROM editions WHERE id = ?", (f"{day}-{n}",)).fetchone():
                    n += 1
                edition_id = f"{day}-{n}"
            conn.execute(
                "INSERT INTO editions (id, title, date, introduction, subject, preheader, status,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,'draft',?,?)",
                (
                    edition_id,
                    title,
                    day,
                    fields.get("introduction", ""),
                    fields.get("subject", ""),
                    fields.get("preheader", ""),
                    stamp,
                    stamp,
                ),
            )
        return edition_id

    def update_edition(self, edition_id: str, **fields: str) -> None:
        """Change the editor's fields of an edition (title, date, introduction, subject, preheader)."""
        from composer.store import now

        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"unknown edition fields {sorted(unknown)}")
        if not fields:
            return
        assignments = ", ".join(f"{k} = ?" for k in fields)
        with self.transaction() as conn:
            _require_draft(conn, edition_id)
            conn.execute(
                f"UPDATE editions SET {assignments}, updated_at = ? WHERE id = ? AND status = 'draft'",
                (*fields.values(), now(), edition_id),
            )

    def edition_row(self, edition_id: str | None = None) -> sqlite3.Row | None:
        """The edition with this id (None: the latest one; an empty id names none)."""
        if edition_id is not None:
            return self.conn.execute("SELECT * FROM editions WHERE id = ?", (edition_id,)).fetchone()
        return self.conn.execute(
            "SELECT * FROM editions ORDER BY created_at DESC, rowid DESC LIMIT 1"
        ).fetchone()

    def latest_edition(self, statuses: Sequence[str]) -> sqlite3.Row | None:
        """The most recently created edition with one of ``statuses``."""
        marks = ",".join("?" * len(statuses))
        return self.conn.execute(
            f"SELECT * FROM editions WHERE status IN ({marks}) ORDER BY created_at DESC, rowid DESC LIMIT 1",
            tuple(statuses),
        ).fetchone()

    def edition_listing(self) -> list[sqlite3.Row]:
        """Every edition, newest first, with its article count and delivery counts."""
        return list(
            self.conn.execute(
                "SELECT e.*, (SELECT COUNT(*) FROM edition_items i WHERE i.edition_id = e.id) AS articles,"
                " (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'sent')"
                " AS sent,"
                " (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = e.id AND d.status = 'failed')"
                " AS failed,"
                " (SELECT COUNT(*) FROM deliveries d WHERE d.edition_id = e.id"
                " AND d.status IN ('deferred', 'sending')) AS pending"
                " FROM editions e ORDER BY e.created_at DESC, e.rowid DESC"
            )
        )

    def editions_sent_between(self, start: str, end: str) -> list[sqlite3.Row]:
        """Editions whose send finished in [start, end) (ISO UTC timestamps), oldest first."""
        return list(
            self.conn.execute(
                "SELECT * FROM editions WHERE status = 'sent' AND sent_at >= ? AND sent_at < ?"
                " ORDER BY sent_at",
                (start, end),
            )
        )

    def set_edition_status(self, edition_id: str, status: str, *, expect: Iterable[str] = ()) -> bool:
        """Move an edition to ``status``; with ``expect``, only from one of those (compare and set).

        Returns whether the row changed.  ``sent`` stamps ``sent_at``.
        """
        from composer.store import now

        if status not in STATUSES:
            raise ValueError(f"unknown edition status {status!r}")
        expect = tuple(expect)
        stamp = now()
        sql = (
            "UPDATE editions SET status = ?, updated_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN COALESCE(sent_at, ?) ELSE sent_at END WHERE id = ?"
        )
        args: tuple[object, ...] = (status, stamp, status, stamp, edition_id)
        if expect:
            sql += f" AND status IN ({','.join('?' * len(expect))})"
            args += expect
        with self.transaction() as conn:
            return conn.execute(sql, args).rowcount == 1

    # -- items: the plan and the composed content ----------------------------------------

    def edition_items(self, edition_id: str) -> list[ItemRow]:
        """The edition's articles in the editor's order, with choice and composed content."""
        rows = self.conn.execute(
            "SELECT article_id, position, method, sentences, content FROM edition_items"
            " WHERE edition_id = ? ORDER BY position",
            (edition_id,),
        )
        return [ItemRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def edition_article_ids(self, edition_id: str) -> list[str]:
        """The article ids of an edition, in the editor's order."""
        return [i.article_id for i in self.edition_items(edition_id)]

    def set_edition_articles(self, edition_id: str, article_ids: Sequence[str]) -> None:
        """Set which articles the edition carries, in order.

        Articles kept keep their summary choice and composed content; articles dropped lose
        their edits too.
        """
        from composer.store import now

        with self.transaction() as conn:
            _require_draft(conn, edition_id)
            known = {
                r[0]: r
                for r in conn.execute(
                    "SELECT article_id, method, sentences, content FROM edition_items WHERE edition_id = ?",
                    (edition_id,),
                )
            }
            conn.execute("DELETE FROM edition_items WHERE edition_id = ?", (edition_id,))
            for position, aid in enumerate(dict.fromkeys(article_ids)):
                old = known.get(aid)
                conn.execute(
                    "INSERT INTO edition_items (edition_id, article_id, position, method, sentences, content)"
                    " VALUES (?,?,?,?,?,?)",
                    (edition_id, aid, position, *(tuple(old[1:]) if old else ("default", 0, None))),
                )
            gone = [a for a in known if a not in article_ids]
            conn.executemany(
                "DELETE FROM section_edits WHERE edition_id = ? AND article_id = ?",
                [(edition_id, a) for a in gone],
            )
            conn.execute("UPDATE editions SET updated_at = ? WHERE id = ?", (now(), edition_id))

    def set_item_choice(self, edition_id: str, article_id: str, method: str, sentences: int) -> None:
        """Change an article's summary method and length; its content must be composed again."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE edition_items SET method = ?, sentences = ?,"
                " content = CASE WHEN method = ? AND sentences = ? THEN content ELSE NULL END"
                " WHERE edition_id = ? AND article_id = ?",
                (method, sentences, method, sentences, edition_id, article_id),
            )

    def set_item_contents(self, edition_id: str, contents: dict[str, str]) -> None:
        """Store the composed content of several articles of an edition, in one transaction."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE edition_items SET content = ? WHERE edition_id = ? AND article_id = ?",
                [(c, edition_id, aid) for aid, c in contents.items()],
            )

    # -- edits -------------------------------------------------------------------------

    def put_edit(self, edition_id: str, article_id: str, kind: str, original: str, edited: str) -> None:
        """Store the editor's text for a block; the first original stored is kept."""
        from composer.store import now

        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO section_edits (edition_id, article_id, kind, original, edited, updated_at)"
                " VALUES (?,?,?,?,?,?) ON CONFLICT(edition_id, article_id, kind) DO UPDATE SET"
                " edited = excluded.edited, updated_at = excluded.updated_at",
                (edition_id, article_id, kind, original, edited, now()),
            )

    def edit_row(self, edition_id: str, article_id: str, kind: str) -> EditRow | None:
        """The stored edit of one block, or None."""
        row = self.conn.execute(
            "SELECT * FROM section_edits WHERE edition_id = ? AND article_id = ? AND kind = ?",
            (edition_id, article_id, kind),
        ).fetchone()
        return _edit(row) if row else None

    def edit_rows(self, edition_id: str) -> list[EditRow]:
        """Every edit of an edition."""
        rows = self.conn.execute("SELECT * FROM section_edits WHERE edition_id = ?", (edition_id,))
        return [_edit(r) for r in rows]

    def delete_edit(self, edition_id: str, article_id: str, kind: str) -> None:
        """Drop an edit: the block goes back to composer's text."""
        with self.transaction() as conn:
            conn.execute(
                "DELETE FROM section_edits WHERE edition_id = ? AND article_id = ? AND kind = ?",
                (edition_id, article_id, kind),
            )


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


def _require_draft(conn: sqlite3.Connection, edition_id: str) -> None:
    """Inside the write transaction: only a draft's plan and fields change (an approved edition
    goes out as approved, even if it was approved a moment ago by another process)."""
    row = conn.execute("SELECT status FROM editions WHERE id = ?", (edition_id,)).fetchone()
    if row is not None and row[0] != "draft":
        raise UsageError(
            f"edition {edition_id} is {row[0]}; only a draft changes (take it back to draft first)"
        )


def _edit(r: sqlite3.Row) -> EditRow:
    keys = ("edition_id", "article_id", "kind", "original", "edited", "updated_at")
    return EditRow(*(r[k] for k in keys))
