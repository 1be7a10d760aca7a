"""The few orchestration functions both shells (CLI and TUI) and cron call.

A :class:`Context` bundles the workspace, settings, store and template search path, built once
by :func:`open_context` so every caller gets the same objects.
"""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from composer.config import Settings, load_settings
from composer.errors import ComposerError, InputError, UsageError
from composer.models import Article, DeliveryReport, Edition, RenderedEdition
from composer.paths import Workspace, seeds_dir, templates_dir
from composer.store import Store, open_store


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


def import_subscribers_csv(ctx: Context, path: Path) -> tuple[int, list[InputError]]:
    """Add the addresses of a CSV file (``email`` column, optional ``name``); report bad rows."""
    from email_validator import EmailNotValidError, validate_email

    errors: list[InputError] = []
    added = 0
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("latin-1")
    rows = list(csv.reader(content.splitlines()))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    has_header = "email" in header
    email_col = header.index("email") if has_header else 0
    name_col = header.index("name") if has_header and "name" in header else (1 if not has_header else None)
    for number, row in enumerate(rows[1:] if has_header else rows, 2 if has_header else 1):
        if not row or not any(c.strip() for c in row):
            continue
        address = row[email_col].strip() if len(row) > email_col else ""
        name = row[name_col].strip() if name_col is not None and len(row) > name_col else ""
        try:
            valid = validate_email(address, check_deliverability=False)
        except EmailNotValidError as exc:
            errors.append(InputError(f"{path}:{number}: {address!r} is not a valid address ({exc})"))
            continue
        _, new = ctx.store.add_subscriber(valid.normalized, name)
        added += new
    return added, errors


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
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def send(
    ctx: Context,
    rendered: RenderedEdition,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> DeliveryReport:
    """Deliver ``rendered`` to every active subscriber through the outbox transport."""
    from composer.deliver.outbox import OutboxTransport
    from composer.deliver.send import send_edition

    transport = OutboxTransport(ctx.workspace.outbox)
    report = send_edition(
        ctx.store,
        rendered,
        ctx.store.subscribers(),
        transport,
        ctx.settings,
        secret=unsubscribe_secret(ctx),
        progress=progress,
    )
    if report.ok:
        ctx.store.set_edition_status(rendered.edition_id, "sent")
    return report


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
    import_subscribers_csv(ctx, seeds / "subscribers.csv")
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
    delivery = send(ctx, rendered)
    return DemoReport(add, edition, html_path, text_path, ctx.workspace.outbox, delivery)
