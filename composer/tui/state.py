"""The editor's working state, free of widgets: the draft edition and the digest cache.

The draft is stored as a 'draft' edition row as soon as the editor picks something, so
quitting and coming back finds the same picks, order, fields and edits.  Worker threads never
share the UI's SQLite connection (sqlite3 objects belong to their thread): they open their own
with :func:`worker_context`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any, Literal

from composer.edition.edits import DEFAULT_CHOICE, DigestChoice, SectionEdit
from composer.models import EditionItem
from composer.pipeline import Context
from composer.store import Store, open_store


class NlpGate:
    """One NLP job at a time, the editor's requests before background digests.

    Summarizing is CPU-bound Python: two such threads only share the GIL and both run slower.
    The digest thread and the build worker pass through this gate so the job the editor is
    waiting for runs alone; a build waits at most for the one digest in progress, never for the
    queue.  (Each thread has its own stemmer, see ``composer.text.words``.)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting = 0
        self._count = threading.Lock()

    @contextmanager
    def foreground(self) -> Iterator[None]:
        """Hold the gate for work the editor is waiting for."""
        with self._count:
            self._waiting += 1
        with self._lock:
            with self._count:
                self._waiting -= 1
            yield

    @contextmanager
    def background(self) -> Iterator[None]:
        """Hold the gate for background work, after any foreground job that is waiting."""
        while self._waiting:
            time.sleep(0.005)
        with self._lock:
            yield


NLP = NlpGate()


@contextmanager
def worker_context(ctx: Context) -> Iterator[Context]:
    """A context for a worker thread: same workspace and settings, its own database connection."""
    own = Context(ctx.workspace, ctx.settings, open_store(ctx.workspace.database))
    try:
        yield own
    finally:
        own.close()


@dataclass
class Draft:
    """The edition being prepared: its id, the editor's fields and the picked articles in order."""

    edition_id: str
    date: str
    title: str
    introduction: str = ""
    subject: str = ""
    preheader: str = ""
    picks: list[str] = field(default_factory=list)

    @classmethod
    def resume_or_new(
        cls, store: Store, newsletter_name: str, today: Date | None = None, title: str = "{name} du {date}"
    ) -> Draft:
        """The latest draft edition if there is one, else a new one dated ``today``.

        A new draft has no id until it is first saved: the store generates it, once.
        """
        row = store.latest_edition(("draft",))
        if row is not None:
            return cls.of_row(store, row)
        return cls.new(newsletter_name, today, title)

    @classmethod
    def new(cls, newsletter_name: str, today: Date | None = None, title: str = "{name} du {date}") -> Draft:
        """A new, empty draft dated ``today``; it is stored (and gets its id) when first saved.

        ``title`` is the pattern of its title in the workspace's language ("{name} du {date}").
        """
        day = (today or Date.today()).isoformat()
        return cls(edition_id="", date=day, title=title.format(name=newsletter_name, date=day))

    @classmethod
    def of_row(cls, store: Store, row: Any) -> Draft:
        """The stored edition ``row`` as the editor's working state."""
        return cls(
            edition_id=row["id"],
            date=row["date"],
            title=row["title"],
            introduction=row["introduction"],
            subject=row["subject"],
            preheader=row["preheader"],
            picks=[a for a in store.edition_article_ids(row["id"]) if store.article(a)],
        )

    def status(self, store: Store) -> str:
        """The stored status (draft, ready, sending, sent, failed); a draft not stored yet is a draft.

        Read from the store each time: `composer edition ready` or cron may move it meanwhile.
        """
        row = store.edition_row(self.edition_id) if self.edition_id else None
        return str(row["status"]) if row is not None else "draft"

    def save(self, store: Store) -> None:
        """Store the draft (ids, order, fields) so nothing is lost on quit."""
        fields = {
            "introduction": self.introduction,
            "subject": self.subject,
            "preheader": self.preheader,
        }
        if not self.edition_id:
            self.edition_id = store.create_edition(self.date, self.title, **fields)
        else:
            row = store.edition_row(self.edition_id)
            if row is not None and row["status"] != "draft":
                return  # approved or sent: the editor must take it back to draft first
            store.update_edition(self.edition_id, title=self.title, date=self.date, **fields)
        store.set_edition_articles(self.edition_id, self.picks)

    def toggle(self, article_id: str) -> bool:
        """Pick or unpick an article; True when it is now picked."""
        if article_id in self.picks:
            self.picks.remove(article_id)
            return False
        self.picks.append(article_id)
        return True

    def move(self, article_id: str, offset: int) -> int:
        """Move a picked article up (-1) or down (+1); returns its new position."""
        i = self.picks.index(article_id)
        j = max(0, min(len(self.picks) - 1, i + offset))
        self.picks.insert(j, self.picks.pop(i))
        return j


@dataclass(frozen=True)
class Undo:
    """One step the editor can take back (u or ctrl+z): what it was, and what to put back.

    ``edit``: the block ``key`` (article id, block) had ``edit`` before (None: composer's text);
    ``picks``: the edition's picks were ``picks``; ``archive`` / ``restore``: ``articles`` were
    archived / restored (and ``picks``, when set, were the picks before an archive dropped them).
    ``label`` names the block for the "undone" notice.
    """

    kind: Literal["edit", "picks", "archive", "restore"]
    key: tuple[str, str] | None = None
    edit: SectionEdit | None = None
    picks: tuple[str, ...] | None = None
    articles: tuple[str, ...] = ()
    label: str = ""


class DigestCache:
    """Edition items computed so far, by (article id, summary choice); safe across threads."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, DigestChoice], EditionItem] = {}
        self._lock = threading.Lock()

    def get(self, article_id: str, choice: DigestChoice = DEFAULT_CHOICE) -> EditionItem | None:
        """The cached item, or None if it was not computed yet."""
        with self._lock:
            return self._items.get((article_id, choice))

    def put(self, article_id: str, choice: DigestChoice, item: EditionItem) -> None:
        """Remember a computed item."""
        with self._lock:
            self._items[(article_id, choice)] = item

    def forget(self, article_id: str) -> None:
        """Drop every cached item of an article (it was removed)."""
        with self._lock:
            for key in [k for k in self._items if k[0] == article_id]:
                del self._items[key]

    def __len__(self) -> int:
        return len(self._items)
