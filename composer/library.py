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
    rows = store.article_metadata(include_archived=include_archived)
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
    return store.archive_articles(ids, archived)


def remove_articles(store: Store, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """Delete articles for good, except those a sent edition carried (kept for its archive).

    Returns (removed ids, kept ids).  Removed articles also leave draft editions and edits.
    """
    return store.remove_articles(ids)
