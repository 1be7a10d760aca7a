"""The editor's view of the article library: light rows, duplicates, archive and removal.

The terminal UI lists every article at start-up, so it must not load 1,500 full texts or run
any summarizer just to show titles: :func:`article_rows` reads metadata only and counts words
inside SQLite.  Archive and removal live here (plain functions over the store) so the CLI can
offer them too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from composer.store import Store

# Words = runs separated by white space; SQLite has no split(), so count separators after
# folding newlines to spaces.  Cleaned text has single spaces inside paragraphs, so this matches
# Article.word_count on cleaned articles.
_WORDS_SQL = (
    "CASE WHEN length(trim(text)) = 0 THEN 0 ELSE length(trim(replace(replace(replace(text,"
    " char(10) || char(10), ' '), char(10), ' '), '  ', ' '))) - length(replace(trim(replace(replace("
    "replace(text, char(10) || char(10), ' '), char(10), ' '), '  ', ' ')), ' ', '')) + 1 END"
)


_ACCENTS = re.compile("[\u0300-\u036f]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ArticleRow:
    """What the library table shows for one article; no body text."""

    id: str
    title: str
    source: str
    url: str
    date: str
    language: str
    words: int
    added_at: str
    archived: bool = False
    duplicate_of: str = ""

    @property
    def short_source(self) -> str:
        """The source as an editor recognises it: a site's domain or a file's name."""
        return short_source(self.url or self.source)


def short_source(source: str) -> str:
    """``lemonde.fr`` for a URL, ``article.txt`` for a path, the text itself otherwise."""
    if "://" in source:
        host = urlsplit(source).hostname or source
        return host.removeprefix("www.")
    return PurePath(source).name or source


def title_key(title: str) -> str:
    """A title folded for comparison: case, accents, punctuation and spacing ignored."""
    letters = _ACCENTS.sub("", unicodedata.normalize("NFKD", title.casefold()))
    return " ".join(_WORD.findall(letters))


def _url_key(url: str) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"


def flag_duplicates(rows: Sequence[ArticleRow]) -> list[ArticleRow]:
    """Mark each row whose title or URL repeats an earlier row's (the store only refuses exact copies).

    The same story re-published with a fixed typo has a new hash, so it gets in; the editor
    should see it before picking both.
    """
    seen: dict[str, str] = {}
    out: list[ArticleRow] = []
    for row in rows:
        keys = [k for k in (title_key(row.title), _url_key(row.url)) if k]
        first = next((seen[k] for k in keys if k in seen), "")
        for key in keys:
            seen.setdefault(key, row.id)
        out.append(row if not first else _with_duplicate(row, first))
    return out


def _with_duplicate(row: ArticleRow, first: str) -> ArticleRow:
    from dataclasses import replace

    return replace(row, duplicate_of=first)


def article_rows(store: Store, *, include_archived: bool = False) -> list[ArticleRow]:
    """Every article's metadata, oldest first, duplicates flagged; never reads whole texts into Python."""
    where = "" if include_archived else "WHERE archived = 0"
    rows = store.conn.execute(
        f"SELECT id, title, source, url, date, language, {_WORDS_SQL} AS words, added_at, archived"
        f" FROM articles {where} ORDER BY added_at, rowid"
    )
    return flag_duplicates(
        [
            ArticleRow(
                id=r["id"],
                title=r["title"],
                source=r["source"],
                url=r["url"],
                date=r["date"],
                language=r["language"],
                words=int(r["words"] or 0),
                added_at=r["added_at"],
                archived=bool(r["archived"]),
            )
            for r in rows
        ]
    )


def archive_articles(store: Store, ids: Iterable[str], archived: bool = True) -> int:
    """Hide (or show again) articles in the library; they stay in the editions that carried them."""
    ids = list(ids)
    with store.transaction() as conn:
        cur = conn.executemany(
            "UPDATE articles SET archived = ? WHERE id = ?", [(int(archived), i) for i in ids]
        )
    return cur.rowcount if cur.rowcount >= 0 else len(ids)


def remove_articles(store: Store, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Delete articles for good, except those a sent edition carried (kept for its archive).

    Returns (removed ids, kept ids).  Removed articles also leave draft editions and edits.
    """
    removed: list[str] = []
    kept: list[str] = []
    with store.transaction() as conn:
        for aid in ids:
            sent = conn.execute(
                "SELECT 1 FROM edition_articles ea JOIN editions e ON e.id = ea.edition_id"
                " WHERE ea.article_id = ? AND e.status = 'sent' LIMIT 1",
                (aid,),
            ).fetchone()
            if sent:
                kept.append(aid)
                continue
            conn.execute("DELETE FROM edition_articles WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM section_edits WHERE article_id = ?", (aid,))
            conn.execute("DELETE FROM digest_choices WHERE article_id = ?", (aid,))
            if conn.execute("DELETE FROM articles WHERE id = ?", (aid,)).rowcount:
                removed.append(aid)
    return removed, kept
