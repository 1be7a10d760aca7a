"""The SQLite workspace: articles, editions, subscribers and the send ledger.

Plain functions over a connection, no UI imports.  Each write is one transaction, so an article,
an edition or a subscriber change is stored whole or not at all, and unique keys (content hash,
canonical URL, lower-cased address, (edition, subscriber)) make a repeated command a no-op
rather than a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from composer.errors import WorkspaceError
from composer.models import Article, Paragraph

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'fr',
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url != '';
CREATE TABLE IF NOT EXISTS editions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    preheader TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS edition_articles (
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (edition_id, article_id)
);
CREATE TABLE IF NOT EXISTS subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subscriber_events (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    edition_id TEXT NOT NULL REFERENCES editions(id),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    status TEXT NOT NULL DEFAULT 'pending',
    message_id TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    transport TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, subscriber_id)
);
CREATE TABLE IF NOT EXISTS section_edits (
    edition_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    original TEXT NOT NULL,
    edited TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, article_id, kind)
);
CREATE TABLE IF NOT EXISTS digest_choices (
    edition_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'default',
    sentences INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (edition_id, article_id)
);
"""


def now() -> str:
    """The current UTC time as ISO 8601, the only format stored."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    """Hash of the text up to white space and case: the same article twice hashes the same."""
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class Store:
    """A workspace database.  Open it with :func:`open_store`; close it when done."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

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

    # -- articles -------------------------------------------------------------------------

    def add_article(self, article: Article) -> tuple[Article, bool]:
        """Store ``article`` unless the same text or URL is stored; return (stored, was_new)."""
        digest = content_hash(article.text)
        row = self.conn.execute(
            "SELECT * FROM articles WHERE content_hash = ? OR (url != '' AND url = ?)",
            (digest, article.url),
        ).fetchone()
        if row is not None:
            return _article(row), False
        paragraphs = json.dumps([[p.kind, p.start, p.end] for p in article.paragraphs])
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO articles (id, title, subtitle, author, date, url, source, language, text,"
                " paragraphs, content_hash, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    article.id,
                    article.title,
                    article.subtitle,
                    article.author,
                    article.date,
                    article.url,
                    article.source,
                    article.language,
                    article.text,
                    paragraphs,
                    digest,
                    now(),
                ),
            )
        return article, True

    def articles(self, *, include_archived: bool = False) -> list[Article]:
        """All articles, oldest first."""
        where = "" if include_archived else "WHERE archived = 0"
        rows = self.conn.execute(f"SELECT * FROM articles {where} ORDER BY added_at, rowid")
        return [_article(r) for r in rows]

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def unsent_articles(self) -> list[Article]:
        """Articles that no sent edition has carried yet, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE archived = 0 AND id NOT IN ("
            " SELECT ea.article_id FROM edition_articles ea JOIN editions e ON e.id = ea.edition_id"
            " WHERE e.status = 'sent') ORDER BY added_at, rowid"
        )
        return [_article(r) for r in rows]

    # -- editions -------------------------------------------------------------------------

    def save_edition(
        self, edition_id: str, title: str, date: str, article_ids: Iterable[str], **fields: str
    ) -> None:
        """Create or replace a draft edition with its ordered articles."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO editions (id, title, date, introduction, subject, preheader, created_at)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title=excluded.title,"
                " date=excluded.date, introduction=excluded.introduction, subject=excluded.subject,"
                " preheader=excluded.preheader",
                (
                    edition_id,
                    title,
                    date,
                    fields.get("introduction", ""),
                    fields.get("subject", ""),
                    fields.get("preheader", ""),
                    now(),
                ),
            )
            conn.execute("DELETE FROM edition_articles WHERE edition_id = ?", (edition_id,))
            conn.executemany(
                "INSERT INTO edition_articles (edition_id, article_id, position) VALUES (?,?,?)",
                [(edition_id, aid, i) for i, aid in enumerate(article_ids)],
            )

    def edition_row(self, edition_id: str | None = None) -> sqlite3.Row | None:
        """The edition with this id, or the latest one."""
        if edition_id:
            return self.conn.execute("SELECT * FROM editions WHERE id = ?", (edition_id,)).fetchone()
        return self.conn.execute(
            "SELECT * FROM editions ORDER BY created_at DESC, rowid DESC LIMIT 1"
        ).fetchone()

    def edition_article_ids(self, edition_id: str) -> list[str]:
        """The article ids of an edition, in the editor's order."""
        rows = self.conn.execute(
            "SELECT article_id FROM edition_articles WHERE edition_id = ? ORDER BY position", (edition_id,)
        )
        return [r[0] for r in rows]

    def set_edition_status(self, edition_id: str, status: str) -> None:
        """Mark an edition draft, ready or sent."""
        sent_at = now() if status == "sent" else None
        with self.transaction() as conn:
            conn.execute(
                "UPDATE editions SET status = ?, sent_at = COALESCE(?, sent_at) WHERE id = ?",
                (status, sent_at, edition_id),
            )


def open_store(path: Path) -> Store:
    """Open (creating if needed) the workspace database at ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives a crash or kill -9 of the process, without an fsync per row.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        raise WorkspaceError(
            f"cannot open the workspace database {path}: {exc}; check the path or use --workspace DIR"
        ) from None
    return Store(conn)


def _article(row: sqlite3.Row) -> Article:
    paragraphs = tuple(Paragraph(k, s, e) for k, s, e in json.loads(row["paragraphs"]))
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        subtitle=row["subtitle"],
        author=row["author"],
        date=row["date"],
        url=row["url"],
        source=row["source"],
        language=row["language"],
        paragraphs=paragraphs,
    )


