"""The stored edition and its lifecycle: draft → ready → sending → sent (or failed).

Everything up to "ready" composes; everything after reads what was stored.  A draft keeps its
plan (articles in order, summary choice per article, title, subject, preheader, introduction)
and, per article, the composed entry; :func:`load` reads them back with the editor's edits in
place and never composes an entry that is already stored.  Building again updates the draft's
entries and keeps every edit and every field the editor typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from composer.edition.content import dump_item, load_item
from composer.edition.edits import DigestChoice, apply_edits, compose_item, edits_for
from composer.errors import UsageError
from composer.models import Article, Edition, EditionItem
from composer.store import Store

EDITABLE = ("draft",)
SENDABLE = ("ready", "sending", "failed")


@dataclass(frozen=True)
class Templates:
    """Where the perspective templates are and in which language (built lazily: they load Jinja2)."""

    search_path: Sequence[Path]
    language: str

    def load(self):  # type: ignore[no-untyped-def]
        from composer.perspectives.templates import PerspectiveTemplates

        return PerspectiveTemplates(list(self.search_path), self.language)


def row_or_error(store: Store, edition_id: str | None):  # type: ignore[no-untyped-def]
    """The edition row (the latest when ``edition_id`` is None), or a UsageError saying what to do."""
    row = store.edition_row(edition_id)
    if row is None:
        what = f"edition {edition_id!r}" if edition_id else "edition"
        raise UsageError(
            f"no {what} in this workspace; make one with `composer build` (see `composer edition list`)"
        )
    return row


def create_draft(
    store: Store, day: str, title: str, article_ids: Sequence[str], *, edition_id: str = "", **fields: str
) -> str:
    """A new draft edition of ``article_ids``; returns its id (generated once, here)."""
    for aid in article_ids:
        if store.article(aid) is None:
            raise UsageError(f"no article with id {aid!r}; see `composer list`")
    if edition_id and store.edition_row(edition_id) is not None:
        raise UsageError(f"edition {edition_id!r} already exists; see `composer edition list`")
    new_id = store.create_edition(day, title, edition_id=edition_id, **fields)
    store.set_edition_articles(new_id, list(article_ids))
    return new_id


def require_status(store: Store, edition_id: str, allowed: Sequence[str], doing: str) -> None:
    """A UsageError unless the edition's status is one of ``allowed``."""
    row = row_or_error(store, edition_id)
    if row["status"] in allowed:
        return
    hint = {
        "ready": f"run `composer edition unready {edition_id}` first",
        "sent": "it went out already; build a new edition",
        "sending": f"its send is not finished; run `composer send --edition {edition_id}` to finish it",
        "failed": f"its send is not finished; run `composer send --edition {edition_id}` to finish it",
        "draft": f"mark it ready first: `composer edition ready {edition_id}`",
    }[row["status"]]
    raise UsageError(f"cannot {doing} edition {edition_id}: it is {row['status']}; {hint}")


def compose(
    store: Store,
    edition_id: str,
    templates: Templates,
    *,
    again: bool = False,
    cached: Callable[[str, DigestChoice], EditionItem | None] | None = None,
) -> int:
    """Compose and store the entries of a draft that have none (all of them with ``again``).

    ``cached`` may hand over an entry the editor's UI already composed, so each article is
    scored once per build.  Returns how many entries were composed.
    """
    row = store.edition_row(edition_id)
    if again and row is not None and row["status"] != "draft":
        raise UsageError(f"edition {edition_id} is {row['status']}; only a draft is composed again")
    loaded = None
    contents: dict[str, str] = {}
    for item in store.edition_items(edition_id):
        if item.content is not None and not again:
            continue
        article = store.article(item.article_id)
        if article is None:
            continue
        choice = DigestChoice(item.method, item.sentences)
        entry = cached(item.article_id, choice) if cached else None
        if entry is None:
            loaded = loaded or templates.load()
            entry = compose_item(article, loaded, choice)
        contents[item.article_id] = dump_item(entry)
    if contents:
        store.set_item_contents(edition_id, contents)
    return len(contents)


def load(
    store: Store, edition_id: str | None = None, templates: Templates | None = None, *, edited: bool = True
) -> Edition:
    """The stored edition (the latest by default), with the editor's edits unless ``edited`` is False.

    Entries are read, not composed.  Only an entry that was never composed (an edition made by
    an older composer, or a draft whose summary choice just changed) is composed here, once,
    and stored — never for a sent edition: it is what it was (an entry the first release sent
    without storing it is left out; its archive page is the file written then).
    """
    from composer.edition.compose import tone_balance

    row = row_or_error(store, edition_id)
    eid = row["id"]
    composable = templates is not None and row["status"] != "sent"
    rows = store.edition_items(eid)
    if any(r.content is None for r in rows) and composable:
        assert templates is not None
        compose(store, eid, templates)
        rows = store.edition_items(eid)
    items: list[EditionItem] = []
    for r in rows:
        article = store.article(r.article_id)
        if article is None or r.content is None:
            continue
        try:
            items.append(load_item(article, r.content))
        except (ValueError, KeyError, TypeError):
            if not composable or row["status"] not in EDITABLE:
                continue  # an approved entry is never silently replaced
            assert templates is not None
            entry = compose_item(article, templates.load(), DigestChoice(r.method, r.sentences))
            store.set_item_contents(eid, {r.article_id: dump_item(entry)})
            items.append(entry)
    edition = Edition(
        id=eid,
        title=row["title"],
        date=row["date"],
        items=tuple(items),
        introduction=row["introduction"],
        subject=row["subject"],
        preheader=row["preheader"],
        balance=tone_balance(items, language=templates.language if templates is not None else "fr"),
    )
    if edited:
        language = templates.language if templates is not None else "fr"
        edition = apply_edits(edition, edits_for(store, eid), language)
    return with_defaults(edition)


def with_defaults(edition: Edition) -> Edition:
    """Subject and preheader as sent: the editor's, else the title and the first chapô."""
    preheader = edition.preheader
    if not preheader.strip() and edition.items:
        preheader = edition.items[0].digest.summary_text[:140]
    return replace(edition, subject=edition.subject.strip() or edition.title, preheader=preheader)


def mark_ready(store: Store, edition_id: str, templates: Templates) -> None:
    """Draft → ready: every entry composed and stored first, so what was approved is what goes out."""
    require_status(store, edition_id, ("draft", "ready"), "mark ready")
    if not store.edition_items(edition_id):
        raise UsageError(f"edition {edition_id} has no articles; add some with `composer build --article ID`")
    compose(store, edition_id, templates)
    store.set_edition_status(edition_id, "ready", expect=("draft", "ready"))


def mark_unready(store: Store, edition_id: str) -> None:
    """Ready → draft, to edit it again (not once its send has begun: readers already have it)."""
    require_status(store, edition_id, ("ready", "draft"), "unready")
    if store.ledger(edition_id):
        raise UsageError(f"edition {edition_id} has already gone to some readers; it cannot change now")
    store.set_edition_status(edition_id, "draft", expect=("ready", "draft"))


def articles_of(store: Store, ids: Sequence[str]) -> list[Article]:
    """The stored articles with these ids (a UsageError names the first unknown one)."""
    out = []
    for aid in ids:
        article = store.article(aid)
        if article is None:
            raise UsageError(f"no article with id {aid!r}; see `composer list`")
        out.append(article)
    return out
