"""The public archive: the list of sent editions, each edition's web page, and the Atom feed.

Shared by ``composer serve`` (answered live) and ``composer publish DIR`` (written as static files
for any web host), so both give readers the same pages.  Only sent editions are public, and an
edition's page is its web version: no address, no personal link.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from composer.pipeline import Context


@dataclass(frozen=True)
class ArchiveEntry:
    """One sent edition as the archive lists it."""

    id: str
    title: str
    date: str
    sent_at: str
    preheader: str


def web_environment(search_path: list[Path]) -> jinja2.Environment:
    """Jinja2 for the web pages (``templates/web/``, user overrides first), HTML autoescaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p / "web") for p in search_path]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def entries(ctx: Context) -> list[ArchiveEntry]:
    """Every sent edition, newest first (from the edition rows alone: cheap for every visitor)."""
    out = []
    for row in ctx.store.edition_listing():
        if row["status"] != "sent":
            continue
        out.append(ArchiveEntry(row["id"], row["title"], row["date"], row["sent_at"] or "", row["preheader"]))
    out.sort(key=lambda e: e.sent_at, reverse=True)
    return out


def _stored(ctx: Context, edition_id: str):  # type: ignore[no-untyped-def]
    from composer.edition import stored
    from composer.pipeline import templates

    return stored.load(ctx.store, edition_id, templates(ctx))


def edition_page(ctx: Context, edition_id: str) -> str | None:
    """The web version of a sent edition (None when there is no such sent edition).

    Rendered from the stored edition the first time, then served from ``editions/<id>.html``.
    """
    row = ctx.store.edition_row(edition_id) if _safe_id(edition_id) else None
    if row is None or row["status"] != "sent":
        return None
    path = ctx.workspace.editions / f"{row['id']}.html"
    stored_whole = all(item.content is not None for item in ctx.store.edition_items(row["id"]))
    if not stored_whole:
        # Sent by the first release, which kept no entries: its page is the file written then.
        return path.read_text(encoding="utf-8") if path.is_file() else None
    if not path.is_file() or "/unsubscribe" in path.read_text(encoding="utf-8"):
        from composer.pipeline import render

        render(ctx, _stored(ctx, row["id"]))  # the public page, from the stored entries (no composing)
    return path.read_text(encoding="utf-8")


def _safe_id(edition_id: str) -> bool:
    return bool(edition_id) and all(c.isalnum() or c in "-_." for c in edition_id) and ".." not in edition_id


def index_page(ctx: Context, env: jinja2.Environment, **extra: Any) -> str:
    """The archive's home page."""
    return env.get_template("index.html.j2").render(
        settings=ctx.settings, entries=entries(ctx), base=ctx.settings.base_url.rstrip("/"), **extra
    )


def feed_xml(ctx: Context) -> bytes:
    """An Atom feed of the sent editions (newest first, at most 50), made by feedgen."""
    from feedgen.feed import FeedGenerator

    base = ctx.settings.base_url.rstrip("/")
    feed = FeedGenerator()
    feed.id(f"{base}/feed.xml")
    feed.title(ctx.settings.newsletter_name)
    feed.link(href=f"{base}/", rel="alternate")
    feed.link(href=f"{base}/feed.xml", rel="self")
    feed.language(ctx.settings.language)
    feed.author({"name": ctx.settings.newsletter_name})
    listed = entries(ctx)[:50]
    feed.updated(_when(listed[0].sent_at) if listed else "2000-01-01T00:00:00+00:00")
    for entry in reversed(listed):  # feedgen puts the last added first
        item = feed.add_entry()
        url = f"{base}/editions/{entry.id}.html"
        item.id(url)
        item.title(entry.title)
        item.link(href=url, rel="alternate")
        item.updated(_when(entry.sent_at))
        item.published(_when(entry.sent_at))
        item.summary(entry.preheader or entry.title)
    return feed.atom_str(pretty=True)


def _when(stamp: str) -> str:
    return stamp if stamp else "2000-01-01T00:00:00+00:00"


def publish(ctx: Context, target: Path) -> list[Path]:
    """Write the archive as static files: ``index.html``, ``feed.xml``, ``editions/<id>.html``."""
    env = web_environment(ctx.template_path)
    (target / "editions").mkdir(parents=True, exist_ok=True)
    written = []
    for entry in entries(ctx):
        page = edition_page(ctx, entry.id)
        if page is None:
            continue
        path = target / "editions" / f"{entry.id}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
    index = target / "index.html"
    index.write_text(index_page(ctx, env), encoding="utf-8")
    feed = target / "feed.xml"
    feed.write_bytes(feed_xml(ctx))
    # Public files for any web server's user (composer itself writes with umask 077).
    for folder in (target, target / "editions"):
        folder.chmod(0o755)
    for path in (index, feed, *written):
        path.chmod(0o644)
    return [index, feed, *written]
