"""The command line: a thin shell over :mod:`composer.pipeline` that cron and scripts rely on.

stdout carries data (paths, ids, tables); stderr carries progress and errors, one line each.
Expected failures are ``ComposerError``s: one line on stderr and their exit code, never a
traceback.  Nothing here prompts, so cron can run every command.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from composer.errors import ComposerError


def _workspace_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--workspace",
        "-w",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="COMPOSER_HOME",
        show_envvar=True,
        help="Workspace folder (default: ./composer-workspace).",
    )(fn)


def _context(workspace: Path | None):  # type: ignore[no-untyped-def]
    from composer.paths import default_workspace
    from composer.pipeline import open_context

    return open_context(workspace or default_workspace())


def _err(message: str) -> None:
    click.echo(message, err=True)


def _report_errors(errors: list[ComposerError]) -> None:
    for error in errors:
        _err(f"error: {error}")


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@_workspace_option
@click.version_option(package_name="composer-newsletter")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None) -> None:
    """composer: multi-perspective summaries and newsletters from your articles.

    With no command, opens the editor (the terminal UI) on the workspace.
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui, workspace=workspace)


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

    context = _context(workspace)
    try:
        report = run_demo(context)
    finally:
        context.close()
    _report_errors(report.add.errors)
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
    teaser brings in its linked page) and benchmark JSONL.  Network waits are bounded by
    COMPOSER_FETCH_TIMEOUT seconds (default 15).
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
@click.option("--article", "article_ids", multiple=True, help="Article id to include (repeatable).")
@click.option("--title", default="", help="Edition title.")
@click.option("--intro", default="", help="The editor's introduction.")
@_workspace_option
def build(article_ids: tuple[str, ...], title: str, intro: str, workspace: Path | None) -> None:
    """Make an edition from the articles not yet sent (or the given ones) and print its id."""
    from composer.pipeline import build_edition, render

    context = _context(workspace)
    try:
        edition = build_edition(context, list(article_ids) or None, title=title, introduction=intro)
        _, html_path, text_path = render(context, edition)
    finally:
        context.close()
    _err(f"html: {html_path}\ntext: {text_path}")
    click.echo(edition.id)


@cli.command()
@click.option("--edition", "edition_id", default=None, help="Edition id (default: the latest).")
@click.option(
    "--transport",
    type=click.Choice(["outbox", "smtp"]),
    default=None,
    help="Override the configured transport (COMPOSER_TRANSPORT).",
)
@click.option("--dry-run", is_flag=True, help="Render and count recipients, send nothing.")
@click.option("--to", "to_address", default=None, help="Send one test copy to this address only.")
@click.option("--rate", type=click.FloatRange(min=0), default=None, help="At most N messages per second.")
@_workspace_option
def send(
    edition_id: str | None,
    transport: str | None,
    dry_run: bool,
    to_address: str | None,
    rate: float | None,
    workspace: Path | None,
) -> None:
    """Send an edition to every active subscriber; re-running after a crash sends only what is left."""
    from composer.pipeline import load_edition, make_transport, render, send_test
    from composer.pipeline import send as run_send

    context = _context(workspace)
    try:
        edition = load_edition(context, edition_id)
        rendered, _, _ = render(context, edition)
        chosen = make_transport(context, transport)
        if dry_run:
            recipients = context.store.conn.execute(
                "SELECT COUNT(*) FROM subscribers WHERE status = 'active'"
            ).fetchone()[0]
            click.echo(f"{edition.id}: would send to {recipients} subscribers via {chosen.name}")
            return
        if to_address:
            message_id = send_test(context, rendered, to_address, chosen)
            click.echo(f"test copy of {edition.id} sent to {to_address} via {chosen.name} {message_id}")
            return
        report = run_send(context, rendered, transport=chosen, rate=rate, progress=_progress_printer())
    finally:
        context.close()
    _err(
        f"{edition.id} via {report.transport}: sent {report.sent}, already done {report.skipped}, "
        f"rejected {len(report.failed)}, deferred {len(report.deferred)}"
    )
    for address, reason in report.failed:
        _err(f"rejected: {address}: {reason}")
    for address, reason in report.deferred:
        _err(f"deferred (will retry on the next send): {address}: {reason}")
    click.echo(
        f"{edition.id}\tsent={report.sent}\tskipped={report.skipped}\t"
        f"rejected={len(report.failed)}\tdeferred={len(report.deferred)}"
    )
    if not report.ok:
        sys.exit(6)


def _progress_printer() -> Callable[[Any], None]:
    import time

    last = [0.0]

    def show(p: Any) -> None:
        moment = time.monotonic()
        if p.done == p.total or moment - last[0] >= 1.0:
            last[0] = moment
            _err(
                f"… {p.done}/{p.total} sent={p.sent} failed={p.failed} "
                f"{p.rate:.0f}/s, {p.seconds_left:.0f}s left"
            )

    return show


@cli.group()
def subscribers() -> None:
    """Manage subscribers: import, add, remove, list, export, unsubscribe."""


@subscribers.command(name="import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@_workspace_option
def subscribers_import(csv_file: Path, workspace: Path | None) -> None:
    """Import a CSV (an email column, optional name; UTF-8 or Latin-1; header optional)."""
    from composer import subscribers as subs

    context = _context(workspace)
    try:
        report = subs.import_csv(context.store, csv_file)
    finally:
        context.close()
    click.echo(
        f"imported {report.added} new, {report.known} already subscribed, {len(report.errors)} invalid"
    )
    _report_errors(list(report.errors))
    if report.errors:
        sys.exit(3)


@subscribers.command(name="add")
@click.argument("address")
@click.option("--name", default="", help="Display name.")
@_workspace_option
def subscribers_add(address: str, name: str, workspace: Path | None) -> None:
    """Add one subscriber."""
    from composer import subscribers as subs

    context = _context(workspace)
    try:
        sub, new = subs.add(context.store, address, name)
    finally:
        context.close()
    click.echo(f"{'added' if new else 'already subscribed'}\t{sub.email}")


@subscribers.command(name="remove")
@click.argument("address")
@_workspace_option
def subscribers_remove(address: str, workspace: Path | None) -> None:
    """Delete a subscriber and their history (erasure request)."""
    from composer import subscribers as subs

    context = _context(workspace)
    try:
        sub = subs.remove(context.store, address)
    finally:
        context.close()
    click.echo(f"removed\t{sub.email}")


@subscribers.command(name="unsubscribe")
@click.argument("token_or_address")
@_workspace_option
def subscribers_unsubscribe(token_or_address: str, workspace: Path | None) -> None:
    """Unsubscribe by the token of an unsubscribe link, or by address."""
    from composer import subscribers as subs
    from composer.pipeline import unsubscribe_secret

    context = _context(workspace)
    try:
        sub = subs.unsubscribe(context.store, token_or_address, unsubscribe_secret(context))
    finally:
        context.close()
    click.echo(f"unsubscribed\t{sub.email}")


@subscribers.command(name="list")
@click.option("--status", type=click.Choice(["active", "unsubscribed", "bounced", "all"]), default="all")
@_workspace_option
def subscribers_list(status: str, workspace: Path | None) -> None:
    """List subscribers: address, name, status."""
    from composer import subscribers as subs

    context = _context(workspace)
    try:
        for sub in subs.listing(context.store, None if status == "all" else status):
            click.echo(f"{sub.email}\t{sub.name}\t{sub.status}")
    finally:
        context.close()


@subscribers.command(name="export")
@_workspace_option
def subscribers_export(workspace: Path | None) -> None:
    """Write every subscriber as CSV on stdout (email, name, status, dates)."""
    from composer import subscribers as subs

    context = _context(workspace)
    try:
        click.echo(subs.export_csv(context.store), nl=False)
    finally:
        context.close()


def _batch(in_path: Path, out_path: Path, required: tuple[str, ...], transform: Callable[..., Any]) -> None:
    from composer.jsonl import process_jsonl

    def progress(count: int) -> None:
        if count % 500 == 0:
            _err(f"… {count} done")

    count, errors = process_jsonl(in_path, out_path, required, transform, progress=progress)
    _report_errors(errors)
    _err(f"{count} written to {out_path}, {len(errors)} failed")
    if errors:
        sys.exit(3)


_IN = click.option("--input", "in_path", required=True, type=click.Path(path_type=Path), help="JSONL in.")
_OUT = click.option("--output", "out_path", required=True, type=click.Path(path_type=Path), help="JSONL out.")


@cli.command()
@_IN
@_OUT
@click.option("--method", default="default", show_default=True, help="Summary method (lead, lexrank, …).")
@click.option("--sentences", type=click.IntRange(1, 50), default=None, help="Number of sentences.")
def summarize(in_path: Path, out_path: Path, method: str, sentences: int | None) -> None:
    """Summarize JSONL articles: {"id", "title"?, "article"} in, {"id", "summary"} out."""
    from composer.summarize import get_method
    from composer.summarize import summarize as run

    get_method(method)  # fail early on an unknown method

    def transform(record: dict[str, Any]) -> dict[str, Any]:
        chosen = run(record["article"], record.get("title") or "", method=method, sentences=sentences)
        return {"id": record.get("id"), "summary": " ".join(s.text for s in chosen)}

    _batch(in_path, out_path, ("article",), transform)


@cli.command()
@_IN
@_OUT
def perspectives(in_path: Path, out_path: Path) -> None:
    """Per article, the five sections with each source sentence's span (JSON)."""
    from composer.perspectives.export import perspectives_record

    _batch(in_path, out_path, ("article",), perspectives_record)


@cli.command()
@_IN
@_OUT
def polarity(in_path: Path, out_path: Path) -> None:
    """Score sentences: {"id", "text"} in, {"id", "polarity", "label"} out."""
    from composer.perspectives.polarity import label, score

    def transform(record: dict[str, Any]) -> dict[str, Any]:
        value = score(record["text"])
        return {"id": record.get("id"), "polarity": round(value, 4), "label": label(value)}

    _batch(in_path, out_path, ("text",), transform)


def main() -> None:
    """Entry point: run the CLI, turning expected failures into one line and an exit code."""
    try:
        cli.main(standalone_mode=False)
    except ComposerError as exc:
        _err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
