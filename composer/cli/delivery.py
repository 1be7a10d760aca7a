"""Commands that deliver and manage readers: send and the subscribers group."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from composer.cli import _context, _err, _report_errors, _workspace_option, cli


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
