"""The articles table: stored once by content hash or URL, listed light, archived or removed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from composer.models import Article, Paragraph

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

# Words = runs separated by white space; SQLite has no split(), so count separators after
# folding newlines to spaces.  Cleaned text has single spaces inside paragraphs, so this matches
# Article.word_count on cleaned articles.
_WORDS_SQL = (
    "CASE WHEN length(trim(text)) = 0 THEN 0 ELSE length(trim(replace(replace(replace(text,"
    " char(10) || char(10), ' '), char(10), ' '), '  ', ' '))) - length(replace(trim(replace(replace("
    "replace(text, char(10) || char(10), ' '), char(10), ' '), '  ', ' ')), ' ', '')) + 1 END"
)


class ArticleTables:
    """Methods of :class:`~composer.store.Store` over ``articles``."""

    conn: sqlite3.Connection
    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[sqlite3.Connection]: ...

    def add_article(self, article: Article) -> tuple[Article, bool]:
        """Store ``article`` unless the same text or URL is stored; return (stored, was_new)."""
        from composer.store import content_hash, now

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
        """Articles that no sent (or sending) edition has carried yet, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM articles WHERE archived = 0 AND id NOT IN ("
            " SELECT ei.article_id FROM edition_items ei JOIN editions e ON e.id = ei.edition_id"
            " WHERE e.status IN ('sent', 'sending', 'failed')) ORDER BY added_at, rowid"
        )
        return [_article(r) for r in rows]

    def article_metadata(self, *, include_archived: bool = False) -> list[sqlite3.Row]:
        """Every article's metadata and word count, oldest first, without reading whole texts."""
        where = "" if include_archived else "WHERE archived = 0"
        return list(
            self.conn.execute(
                f"SELECT id, title, source, url, date, language, {_WORDS_SQL} AS words, added_at, archived"
                f" FROM articles {where} ORDER BY added_at, rowid"
            )
        )

    def archive_articles(self, ids: Iterable[str], archived: bool = True) -> int:
        """Hide (or show again) articles in the library; they stay in the editions that carried them."""
        ids = list(ids)
        with self.transaction() as conn:
            cur = conn.executemany(
                "UPDATE articles SET archived = ? WHERE id = ?", [(int(archived), i) for i in ids]
            )
        return cur.rowcount if cur.rowcount >= 0 else len(ids)

    def remove_articles(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Delete articles, except those an approved or sent edition carries; (removed, kept)."""
        removed: list[str] = []
        kept: list[str] = []
        with self.transaction() as conn:
            for aid in ids:
                carried = conn.execute(
                    "SELECT 1 FROM edition_items ei JOIN editions e ON e.id = ei.edition_id"
                    " WHERE ei.article_id = ? AND e.status IN ('ready', 'sent', 'sending', 'failed') LIMIT 1",
                    (aid,),
                ).fetchone()
                if carried:
                    kept.append(aid)
                    continue
                conn.execute("DELETE FROM edition_items WHERE article_id = ?", (aid,))
                conn.execute("DELETE FROM section_edits WHERE article_id = ?", (aid,))
                if conn.execute("DELETE FROM articles WHERE id = ?", (aid,)).rowcount:
                    removed.append(aid)
        return removed, kept


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
