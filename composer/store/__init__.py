"""The SQLite workspace: articles, editions, subscribers and the send ledger.

The only package that runs SQL.  :class:`Store` gathers the tables' methods (articles,
editions, people) over one connection; each write is one transaction, so an article, an
edition or a subscriber change is stored whole or not at all, and unique keys (content hash,
canonical URL, lower-cased address, (edition, subscriber)) make a repeated command a no-op
rather than a duplicate.  The schema is versioned and migrated in place (:mod:`.schema`).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from composer.errors import WorkspaceError
from composer.store.articles import ArticleTables
from composer.store.editions import EditionTables
from composer.store.people import PeopleTables
from composer.store.schema import VERSION, migrate


def now() -> str:
    """The current UTC time as ISO 8601, the only format stored."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    """Hash of the text up to white space and case: the same article twice hashes the same."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class Store(ArticleTables, EditionTables, PeopleTables):
    """A workspace database.  Open it with :func:`open_store`; close it when done."""

    def __init__(self, conn: sqlite3.Connection, migrated_from: int = VERSION) -> None:
        self.conn = conn
        self.migrated_from = migrated_from

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work: committed whole, or rolled back whole."""
        try:
            with self.conn:
                yield self.conn
        except sqlite3.Error as exc:
            raise WorkspaceError(f"the workspace database refused a write: {exc}") from None

    def backup(self, target: Path) -> None:
        """A consistent copy of the database at ``target`` (SQLite's online backup: safe while in use)."""
        partial = target.with_name(target.name + ".part")
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        copy = sqlite3.connect(partial)
        try:
            self.conn.backup(copy)
        finally:
            copy.close()
        partial.replace(target)

    def schema_version(self) -> int:
        """The schema version of this workspace (always :data:`VERSION` once open)."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])


# What a damaged database, a full disk or a read-only workspace raise from SQLite, anywhere: the
# shells turn them into one line (see :func:`database_problem`).
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)


def database_problem(exc: Exception, path: Path | None = None) -> str:
    """One line saying what is wrong with the database and what to do."""
    where = str(path) if path else "the workspace database"
    text = str(exc)
    if "full" in text:
        return f"the disk holding {where} is full ({text}); free some space and run the command again"
    if "readonly" in text or "read-only" in text:
        return f"{where} is read-only ({text}); check the workspace's permissions"
    if "locked" in text or "busy" in text:
        return f"{where} is busy with another composer ({text}); run the command again in a moment"
    return (
        f"{where} is damaged or not a composer database ({text}); restore the copy made by "
        "`composer backup` (or the composer.db.v*.bak kept at the last upgrade)"
    )


def _private(path: Path) -> None:
    """An existing database (an older release made it 0644) becomes readable by its owner only."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass  # not ours to change: the workspace's owner decides


def _wal(conn: sqlite3.Connection, wait: float = 30.0) -> None:
    """Switch to WAL; SQLite answers "locked" at once (no busy wait) while another process creates
    the same new database, so retry for up to ``wait`` seconds."""
    import time

    deadline = time.monotonic() + wait
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def open_store(path: Path) -> Store:
    """Open (creating or migrating if needed) the workspace database at ``path``.

    A new database is created readable by its owner only: it holds every subscriber's address.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        else:
            _private(path)
        conn = sqlite3.connect(path, timeout=30)
        conn.row_factory = sqlite3.Row
        _wal(conn)
        # WAL + NORMAL: a commit survives a crash or kill -9 of the process, without an fsync per row.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        before = migrate(conn, path)
    except RuntimeError as exc:
        raise WorkspaceError(f"cannot open the workspace database {path}: {exc}; upgrade composer") from None
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"cannot open the workspace: {database_problem(exc, path)}") from None
    except (sqlite3.Error, OSError) as exc:
        raise WorkspaceError(
            f"cannot open the workspace database {path}: {exc}; check the path or use --workspace DIR"
        ) from None
    return Store(conn, before or VERSION)


__all__ = ["DATABASE_ERRORS", "Store", "content_hash", "database_problem", "now", "open_store"]
