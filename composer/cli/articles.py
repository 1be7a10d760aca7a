"""Commands over the workspace's articles: tui, demo, add, ingest, list."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from composer.cli import _context, _err, _report_errors, _workspace_option, cli
from composer.errors import ComposerError


@cli.command()
@_workspace_option
@click.pass_context
def tui(ctx: click.Context, workspace: Path | None) -> None:
    """Open the editor's terminal UI on the workspace."""
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise ComposerError("the editor needs a terminal; run a command instead (see `composer --help`)")
    from composer.tui.app import run_app

    run_app(_context(workspace or ctx.obj.get("workspace")))


@cli.command()
@_workspace_option
def demo(workspace: Path | None) -> None:
    """Compose, render and deliver an edition of the sample articles to the local outbox."""
    from composer.pipeline import demo as run_demo

    context = _context(workspace, create=True)
    try:
        report = run_demo(context)
    finally:
        context.close()
    _report_errors(report.add.errors)
    for warning in report.warnings:
        _err(f"warning: {warning}")
    for item in report.edition.items:
        _err(f"  {item.article.title[:70]}")
    _err(
        f"edition {report.edition.id}: {len(report.edition.items)} articles; "
        f"{report.delivery.sent} messages delivered, {report.delivery.skipped} already delivered"
    )
    click.echo(f"html: {report.html_path}")
    click.echo(f"text: {report.text_path}")
    click.echo(f"outbox: {report.outbox}  (open it with: mutt -f {report.outbox})")
    if not report.delivery.ok:
        raise ComposerError(f"{len(report.delivery.failed)} messages could not be delivered")


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@_workspace_option
def add(sources: tuple[str, ...], workspace: Path | None) -> None:
    """Add articles from files, folders, URLs, RSS/Atom feeds and JSONL.

    Text, Markdown and HTML files, web pages (http/https), feeds (a feed entry that is only a
    teaser brings in its linked page) and benchmark JSONL.  Each download has one deadline for
    the whole request, fetch_timeout (COMPOSER_FETCH_TIMEOUT, default 20 s); the pages one feed's
    teasers link to share feed_timeout (default 60 s); links found in feeds never reach loopback
    or private addresses unless fetch_private is set.  A failing source costs one line.
    """
    from composer.pipeline import add_sources

    context = _context(workspace)
    try:
        report = add_sources(context, sources)
    finally:
        context.close()
    for article in report.added:
        click.echo(f"added\t{article.id}\t{article.title}")
    for article, source in report.duplicates:
        click.echo(f"duplicate\t{article.id}\t{source} is already stored as {article.title!r}")
    for warning in report.warnings:
        _err(f"warning: {warning}")
    _report_errors(report.errors)
    if report.errors:
        sys.exit(3)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="JSONL out (- for stdout).",
)
def ingest(sources: tuple[str, ...], out_path: Path) -> None:
    """Clean articles from SOURCES (as for `add`) into JSONL, without touching any workspace.

    One line per article: id, title, subtitle, author, date, url, language, source, text
    (paragraphs separated by blank lines) and paragraphs (kind, start, end).
    """
    from composer.ingest.export import write_articles
    from composer.ingest.sources import read_sources

    report = write_articles(read_sources(list(sources)), out_path)
    for article, source in report.duplicates:
        _err(f"duplicate: {source} is the same article as {article.source} ({article.title[:60]!r}); skipped")
    for warning in report.warnings:
        _err(f"warning: {warning}")
    _report_errors(report.errors)
    _err(f"{len(report.written)} articles written to {out_path}, {len(report.errors)} sources failed")
    if report.errors:
        sys.exit(3)


@cli.command(name="list")
@_workspace_option
def list_articles(workspace: Path | None) -> None:
    """List the workspace's articles (id, language, words, title)."""
    context = _context(workspace)
    try:
        for article in context.store.articles():
            click.echo(f"{article.id}\t{article.language}\t{article.word_count}\t{article.title}")
    finally:
        context.close()


@cli.command()
@click.argument("target", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_workspace_option
def backup(target: Path | None, workspace: Path | None) -> None:
    """Write a consistent copy of the workspace database (safe while composer runs).

    Default: <workspace>/backups/composer-<date-time>.db.  Restore by copying it over composer.db.
    """
    from datetime import UTC, datetime

    context = _context(workspace)
    try:
        if target is None:
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            folder = context.workspace.root / "backups"
            folder.mkdir(exist_ok=True)
            target = folder / f"composer-{stamp}.db"
        context.store.backup(target)
    finally:
        context.close()
    click.echo(str(target))


SETTINGS_TEMPLATE = """\
# composer — settings of this workspace.  Every line is optional: remove the "#" to set one.
# COMPOSER_* environment variables override this file (handy for cron and CI).
# Never put the SMTP password here: it comes from COMPOSER_SMTP_PASSWORD or a keyring.

# Who the letter is from, and where readers write back.
# sender = "La Lettre <lettre@mondomaine.fr>"        # COMPOSER_FROM
# reply_to = ""                                        # COMPOSER_REPLY_TO
# newsletter_name = "La Lettre composer"               # COMPOSER_NEWSLETTER_NAME
# postal_address = "La Lettre, 1 rue de la Paix, 75002 Paris"   # bulk mail must carry one
# language = "fr"                                      # fr or en: the letter's and the editor's words

# The web side (`composer serve`): where it answers publicly; unsubscribe links point there.
# base_url = "https://lettre.mondomaine.fr"            # COMPOSER_BASE_URL
# trusted_proxies = "127.0.0.1"                        # believe X-Forwarded-* from these proxies
# unsubscribe_mailto = ""                              # the mailto: of List-Unsubscribe (default: sender)

# Delivery: the local outbox (a Maildir, no server) or SMTP.
# transport = "outbox"                                 # or "smtp"
# smtp_host = "smtp.mondomaine.fr"
# smtp_port = 587
# smtp_security = "starttls"                           # or "ssl", "none"
# smtp_user = "lettre@mondomaine.fr"
# smtp_timeout = 30                                    # seconds for each SMTP operation
# smtp_backoff = 1.0                                   # seconds before retrying a deferred message
# rate = 0                                             # messages per second, 0 = no limit
# max_per_day = 0                                      # spread a large list over days, 0 = no limit

# The weekly send (cron runs `composer weekly`).
# auto_edition = true                                  # build an edition when none is ready
# editor_email = ""                                    # who hears about a failed weekly send
# feeds = ["https://example.org/feed.xml"]             # refreshed before each weekly send

# Fetching articles.
# fetch_timeout = 20                                   # seconds for one whole download
# feed_timeout = 60                                    # seconds for the pages one feed links to
# fetch_private = false                                # let links found in feeds reach private addresses
"""


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path | None) -> None:
    """Create a workspace (default: ./composer-workspace) with a commented settings.toml."""
    from composer.paths import Workspace, default_workspace

    if directory is None:
        directory, warning = default_workspace()
        if warning:
            _err(f"warning: {warning}")
    workspace = Workspace(directory)
    existed = (workspace.root / "composer.db").exists()
    context = _context(workspace.root, create=True)
    context.close()
    if not workspace.settings_file.exists():
        workspace.settings_file.write_text(SETTINGS_TEMPLATE, encoding="utf-8")
    _err(
        f"{'already a workspace' if existed else 'created the workspace'} {workspace.root}; "
        f"settings in {workspace.settings_file}; next: composer add SOURCE --workspace {workspace.root}"
    )
    click.echo(str(workspace.root))
