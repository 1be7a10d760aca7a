"""The few orchestration functions both shells (CLI and TUI) and cron call.

A :class:`Context` bundles the workspace, settings, store and template search path, built once
by :func:`open_context` so every caller gets the same objects.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

from composer import subscribers
from composer.config import Settings, load_settings
from composer.errors import ComposerError, UsageError
from composer.models import Article, DeliveryReport, Edition, RenderedEdition, Subscriber
from composer.paths import Workspace, seeds_dir, templates_dir
from composer.store import Store, open_store

if TYPE_CHECKING:
    from composer.deliver.send import Progress, Transport


@dataclass
class Context:
    """Everything a command needs: where the workspace is, its settings and database."""

    workspace: Workspace
    settings: Settings
    store: Store

    @property
    def template_path(self) -> list[Path]:
        """User overrides first, then the shipped templates."""
        return [self.workspace.templates, templates_dir()]

    def close(self) -> None:
        """Release the database."""
        self.store.close()


def open_context(root: Path, environ: dict[str, str] | None = None) -> Context:
    """Open (creating if needed) the workspace at ``root``."""
    workspace = Workspace(root).ensure()
    settings = load_settings(workspace.settings_file, environ)
    return Context(workspace, settings, open_store(workspace.database))


@dataclass
class AddReport:
    """What ``add`` did: new articles, duplicates skipped, errors per source."""

    added: list[Article] = field(default_factory=list)
    duplicates: list[tuple[Article, str]] = field(default_factory=list)
    errors: list[ComposerError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_sources(ctx: Context, sources: Sequence[str], *, timeout: float | None = None) -> AddReport:
    """Ingest ``sources`` into the workspace; a bad source is reported and the rest go on.

    Each article is stored in its own transaction; near-duplicates of stored or same-batch
    articles are stored too but reported in ``warnings`` for the editor to decide.
    """
    from composer.ingest.duplicates import DuplicateIndex
    from composer.ingest.sources import read_sources

    report = AddReport()
    index: DuplicateIndex | None = None  # built on the first new article: most re-adds add nothing
    for outcome in read_sources(list(sources), timeout=timeout):
        report.warnings.extend(outcome.warnings)
        if outcome.error is not None:
            report.errors.append(outcome.error)
            continue
        assert outcome.article is not None
        stored, new = ctx.store.add_article(outcome.article)
        if new:
            if index is None:
                index = DuplicateIndex()
                for known in ctx.store.articles():
                    if known.id != stored.id:
                        index.add(known)
            report.warnings.extend(d.message() for d in index.check(stored, remember=True))
            report.added.append(stored)
        else:
            report.duplicates.append((stored, outcome.source))
    return report


def build_edition(
    ctx: Context,
    article_ids: Sequence[str] | None = None,
    *,
    title: str = "",
    introduction: str = "",
    today: Date | None = None,
    edition_id: str = "",
) -> Edition:
    """Make and store an edition of the chosen articles (default: all not yet sent)."""
    from composer.edition import assemble_edition
    from composer.perspectives.templates import PerspectiveTemplates

    if article_ids:
        articles = []
        for aid in article_ids:
            article = ctx.store.article(aid)
            if article is None:
                raise UsageError(f"no article with id {aid!r}; see `composer list`")
            articles.append(article)
    else:
        articles = ctx.store.unsent_articles()
    if not articles:
        raise UsageError("no articles to put in an edition; add some with `composer add SOURCE`")
    day = (today or Date.today()).isoformat()
    if not edition_id:
        existing = ctx.store.conn.execute("SELECT COUNT(*) FROM editions WHERE date = ?", (day,)).fetchone()[
            0
        ]
        edition_id = f"{day}-{existing + 1}"
    title = title or f"{ctx.settings.newsletter_name} du {day}"
    templates = PerspectiveTemplates(ctx.template_path, ctx.settings.language)
    edition = assemble_edition(edition_id, title, day, articles, templates, introduction=introduction)
    ctx.store.save_edition(
        edition_id,
        title,
        day,
        [a.id for a in articles],
        introduction=introduction,
        subject=edition.subject,
        preheader=edition.preheader,
    )
    return edition


def load_edition(ctx: Context, edition_id: str | None = None) -> Edition:
    """Rebuild a stored edition (the latest by default) from its articles."""
    from composer.edition import assemble_edition
    from composer.perspectives.templates import PerspectiveTemplates

    row = ctx.store.edition_row(edition_id)
    if row is None:
        what = f"edition {edition_id!r}" if edition_id else "edition"
        raise UsageError(f"no {what} in this workspace; make one with `composer build`")
    articles = [a for a in (ctx.store.article(i) for i in ctx.store.edition_article_ids(row["id"])) if a]
    templates = PerspectiveTemplates(ctx.template_path, ctx.settings.language)
    return assemble_edition(
        row["id"],
        row["title"],
        row["date"],
        articles,
        templates,
        introduction=row["introduction"],
        subject=row["subject"],
        preheader=row["preheader"],
    )


def render(ctx: Context, edition: Edition) -> tuple[RenderedEdition, Path, Path]:
    """Render ``edition`` and write its HTML (the web archive page) and text files."""
    from composer.render import email_environment, personalize, render_edition

    rendered = render_edition(edition, ctx.settings, email_environment(ctx.template_path))
    html_path = ctx.workspace.editions / f"{edition.id}.html"
    text_path = ctx.workspace.editions / f"{edition.id}.txt"
    archive_unsubscribe = f"{ctx.settings.base_url.rstrip('/')}/unsubscribe"
    html_path.write_text(personalize(rendered.html, archive_unsubscribe, "vous"), encoding="utf-8")
    text_path.write_text(personalize(rendered.text, archive_unsubscribe, "vous"), encoding="utf-8")
    return rendered, html_path, text_path


def unsubscribe_secret(ctx: Context) -> str:
    """The HMAC key for unsubscribe links: from settings, else one kept in the workspace."""
    if ctx.settings.unsubscribe_secret:
        return ctx.settings.unsubscribe_secret
    path = ctx.workspace.root / ".unsubscribe-secret"
    try:  # created private and exclusively: two first runs at once agree on one secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def make_transport(ctx: Context, name: str | None = None) -> Transport:
    """The transport named ``name``, else the configured one (outbox unless settings say smtp)."""
    choice = name or ctx.settings.transport
    if choice == "outbox":
        from composer.deliver.outbox import OutboxTransport

        return OutboxTransport(ctx.workspace.outbox)
    if choice == "smtp":
        from composer.deliver.smtp import SmtpTransport

        return SmtpTransport(
            ctx.settings, backoff=ctx.settings.smtp_backoff, timeout=ctx.settings.smtp_timeout
        )
    raise UsageError(f"unknown transport {choice!r}; use outbox or smtp")


def send(
    ctx: Context,
    rendered: RenderedEdition,
    *,
    transport: Transport | None = None,
    rate: float | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> DeliveryReport:
    """Deliver ``rendered`` to every active subscriber; safe to run again after any crash."""
    from composer.deliver.send import send_edition

    readers = subscribers.listing(ctx.store)
    if not readers:
        raise UsageError("no active subscribers; add some with `composer subscribers import FILE.csv`")
    report = send_edition(
        ctx.store,
        rendered,
        readers,
        transport or make_transport(ctx),
        ctx.settings,
        secret=unsubscribe_secret(ctx),
        rate=ctx.settings.rate if rate is None else rate,
        progress=progress,
    )
    if not report.deferred:
        ctx.store.set_edition_status(rendered.edition_id, "sent")
    return report


def send_test(
    ctx: Context, rendered: RenderedEdition, address: str, transport: Transport | None = None
) -> str:
    """Send one copy to ``address`` (a proof for the editor), outside the ledger; return its Message-ID."""
    from composer.deliver.message import MessageTemplate

    email = subscribers.normalize_address(address, "--to")
    template = MessageTemplate(rendered, ctx.settings, secret=unsubscribe_secret(ctx))
    message = template.render(Subscriber(email=email), subject_prefix="[TEST] ")
    chosen = transport or make_transport(ctx)
    chosen.open()
    try:
        chosen.send(message)
    finally:
        chosen.close()
    return message.message_id


@dataclass
class DemoReport:
    """What ``composer demo`` made, for the CLI to print."""

    add: AddReport
    edition: Edition
    html_path: Path
    text_path: Path
    outbox: Path
    delivery: DeliveryReport


def demo(ctx: Context) -> DemoReport:
    """The embedded default: sample articles → edition → HTML + text → Maildir outbox."""
    seeds = seeds_dir()
    add = add_sources(ctx, [str(p) for p in sorted(seeds.glob("*.txt"))])
    subscribers.import_csv(ctx.store, seeds / "subscribers.csv")
    sample_ids = [a.id for a in add.added] + [a.id for a, _ in add.duplicates]
    # One demo edition a day: running the demo again resumes it and sends nothing twice.
    edition = build_edition(
        ctx,
        sample_ids,
        edition_id=f"demo-{Date.today().isoformat()}",
        title="La Lettre composer — édition de démonstration",
        introduction="Cinq articles sur l'IA, lus sous tous les angles : "
        "les faits, puis les points de vue, chacun tiré du texte source.",
    )
    rendered, html_path, text_path = render(ctx, edition)
    from composer.deliver.outbox import OutboxTransport

    # The demo never needs a server: it always delivers to the local outbox.
    delivery = send(ctx, rendered, transport=OutboxTransport(ctx.workspace.outbox))
    return DemoReport(add, edition, html_path, text_path, ctx.workspace.outbox, delivery)
