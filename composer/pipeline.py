"""The few orchestration functions the shells (CLI, TUI, cron) call: add, build, render, deliver.

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
from composer.edition import stored
from composer.edition.edits import DigestChoice
from composer.edition.stored import Templates
from composer.errors import ComposerError, PreflightError, UsageError
from composer.models import Article, DeliveryReport, Edition, EditionItem, RenderedEdition, Subscriber
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


def templates(ctx: Context) -> Templates:
    """The perspective templates of this workspace (user overrides first)."""
    return Templates(tuple(ctx.template_path), ctx.settings.language)


def build_edition(
    ctx: Context,
    article_ids: Sequence[str] | None = None,
    *,
    title: str = "",
    introduction: str = "",
    today: Date | None = None,
    edition_id: str = "",
    new: bool = False,
    cached: Callable[[str, DigestChoice], EditionItem | None] | None = None,
) -> Edition:
    """Create or update a draft edition, compose its entries and store them; return it as it reads.

    With ``edition_id`` that draft is updated; else the latest draft is (unless ``new``); else a
    draft is created from ``article_ids`` (default: every article not sent yet).  Updating
    composes the entries again and keeps the editor's edits, subject, preheader and fields:
    ``title`` and ``introduction`` replace the stored ones only when given.
    """
    store = ctx.store
    row = None
    if edition_id:
        row = store.edition_row(edition_id)
    elif not new:
        row = store.latest_edition(("draft",))
    if row is not None:
        stored.require_status(store, row["id"], stored.EDITABLE, "rebuild")
        eid = row["id"]
        if article_ids:
            stored.articles_of(store, article_ids)
            store.set_edition_articles(eid, list(article_ids))
        elif not store.edition_items(eid):
            store.set_edition_articles(eid, [a.id for a in _unsent_or_error(ctx)])
        fields = {k: v for k, v in (("title", title), ("introduction", introduction)) if v}
        store.update_edition(eid, **fields)
    else:
        articles = stored.articles_of(store, article_ids) if article_ids else _unsent_or_error(ctx)
        day = (today or Date.today()).isoformat()
        eid = stored.create_draft(
            store,
            day,
            title or f"{ctx.settings.newsletter_name} du {day}",
            [a.id for a in articles],
            edition_id=edition_id,
            introduction=introduction,
        )
    stored.compose(store, eid, templates(ctx), again=True, cached=cached)
    return stored.load(store, eid, templates(ctx))


def _unsent_or_error(ctx: Context) -> list[Article]:
    articles = ctx.store.unsent_articles()
    if not articles:
        raise UsageError("no articles to put in an edition; add some with `composer add SOURCE`")
    return articles


def load_edition(ctx: Context, edition_id: str | None = None) -> Edition:
    """The stored edition (the latest by default) as readers get it: stored entries, edits applied."""
    return stored.load(ctx.store, edition_id, templates(ctx))


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


def sendable(ctx: Context, edition_id: str | None = None) -> str:
    """The edition a send delivers: the one named, else an unfinished send, else the latest ready.

    With none of those, the latest sent edition: sending it again delivers nothing.
    """
    if edition_id:
        return str(stored.row_or_error(ctx.store, edition_id)["id"])
    for statuses in (("sending", "failed"), ("ready",)):
        row = ctx.store.latest_edition(statuses)
        if row is not None:
            return str(row["id"])
    sent = ctx.store.latest_edition(("sent",))
    if sent is not None:
        return str(sent["id"])  # sending it again delivers nothing: the ledger has everyone
    raise UsageError(
        "no edition is ready to send; mark one ready with `composer edition ready ID` "
        "(see `composer edition list`)"
    )


@dataclass
class SendResult:
    """What a send did: the edition, the preflight problems it warned about, the delivery."""

    edition: Edition
    report: DeliveryReport
    warnings: list[str] = field(default_factory=list)
    html_path: Path | None = None


def deliver(
    ctx: Context,
    edition_id: str | None = None,
    *,
    transport: Transport | None = None,
    force: bool = False,
    rate: float | None = None,
    progress: Callable[[Progress], None] | None = None,
    lock_wait: float = 3600.0,
    locked: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> SendResult:
    """Deliver a ready edition to every active subscriber, exactly as stored; safe to run again.

    One send at a time per workspace (:func:`~composer.deliver.lock.send_lock`); the edition
    goes ``ready → sending → sent`` (``failed`` while recipients are deferred, resumed by the
    next send).  The preflight runs first: its errors refuse an SMTP send (``PreflightError``,
    one problem per line) unless ``force``; with the local outbox they come back as warnings.
    """
    from composer.deliver.lock import send_lock

    if not locked:
        with send_lock(ctx.workspace.root, wait=lock_wait):
            return deliver(
                ctx,
                edition_id,
                transport=transport,
                force=force,
                rate=rate,
                progress=progress,
                locked=True,
                on_warning=on_warning,
            )
    from composer.deliver.send import send_edition
    from composer.preflight import blocking, run_preflight

    eid = sendable(ctx, edition_id)
    row = ctx.store.edition_row(eid)
    assert row is not None
    chosen = transport or make_transport(ctx)
    if row["status"] == "sent":
        edition = stored.load(ctx.store, eid, templates(ctx))
        readers = subscribers.listing(ctx.store)
        return SendResult(edition, DeliveryReport(chosen.name, skipped=len(readers)))
    stored.require_status(ctx.store, eid, stored.SENDABLE, "send")
    edition = stored.load(ctx.store, eid, templates(ctx))
    rendered, html_path, _ = render(ctx, edition)
    problems = [c.problem(ctx.settings) for c in blocking(run_preflight(edition, rendered, ctx.settings))]
    if problems and not force and chosen.name != "outbox":
        raise PreflightError(
            f"edition {eid} was not sent: {len(problems)} preflight problem(s); fix them "
            "(`composer preflight` lists them) or send with --force",
            problems,
        )
    readers = subscribers.listing(ctx.store)
    if not readers:
        raise UsageError("no active subscribers; add some with `composer subscribers import FILE.csv`")
    warnings = [] if force else problems
    for warning in warnings if on_warning else ():
        on_warning(warning)  # type: ignore[misc]
    ctx.store.set_edition_status(eid, "sending", expect=stored.SENDABLE)
    try:
        report = send_edition(
            ctx.store,
            rendered,
            readers,
            chosen,
            ctx.settings,
            secret=unsubscribe_secret(ctx),
            rate=ctx.settings.rate if rate is None else rate,
            progress=progress,
        )
    except BaseException:
        ctx.store.set_edition_status(eid, "failed", expect=("sending",))
        raise
    ctx.store.set_edition_status(eid, "failed" if report.deferred else "sent", expect=("sending",))
    return SendResult(edition, report, warnings, html_path)


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
    warnings: list[str] = field(default_factory=list)


def demo(ctx: Context) -> DemoReport:
    """The embedded default: sample articles → edition → HTML + text → Maildir outbox."""
    seeds = seeds_dir()
    add = add_sources(ctx, [str(p) for p in sorted(seeds.glob("*.txt"))])
    subscribers.import_csv(ctx.store, seeds / "subscribers.csv")
    sample_ids = [a.id for a in add.added] + [a.id for a, _ in add.duplicates]
    # One demo edition a day: running the demo again resumes it and sends nothing twice.
    edition_id = f"demo-{Date.today().isoformat()}"
    row = ctx.store.edition_row(edition_id)
    if row is None or row["status"] == "draft":
        build_edition(
            ctx,
            sample_ids,
            edition_id=edition_id,
            new=row is None,
            title="La Lettre composer — édition de démonstration",
            introduction="Cinq articles sur l'IA, lus sous tous les angles : "
            "les faits, puis les points de vue, chacun tiré du texte source.",
        )
        stored.mark_ready(ctx.store, edition_id, templates(ctx))
    from composer.deliver.outbox import OutboxTransport

    # The demo never needs a server: it always delivers to the local outbox.
    result = deliver(ctx, edition_id, transport=OutboxTransport(ctx.workspace.outbox))
    html_path = ctx.workspace.editions / f"{edition_id}.html"
    text_path = ctx.workspace.editions / f"{edition_id}.txt"
    if not html_path.exists():
        render(ctx, result.edition)
    return DemoReport(
        add, result.edition, html_path, text_path, ctx.workspace.outbox, result.report, result.warnings
    )
