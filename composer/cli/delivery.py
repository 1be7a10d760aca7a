"""Commands that deliver and manage readers: send and the subscribers group."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from composer.cli import _context, _err, _report_errors, _workspace_option, cli


@cli.command()
@click.option("--edition", "edition_id", default=None, help="Edition id (default: the edition marked ready).")
@click.option(
    "--transport",
    type=click.Choice(["outbox", "smtp"]),
    default=None,
    help="Override the configured transport (COMPOSER_TRANSPORT).",
)
@click.option("--dry-run", is_flag=True, help="Render, check and count recipients; send nothing.")
@click.option(
    "--to", "to_address", default=None, help="Send one test copy to this address only (drafts too)."
)
@click.option("--rate", type=click.FloatRange(min=0), default=None, help="At most N messages per second.")
@click.option("--force", is_flag=True, help="Send over SMTP even when the preflight finds problems.")
@_workspace_option
def send(
    edition_id: str | None,
    transport: str | None,
    dry_run: bool,
    to_address: str | None,
    rate: float | None,
    force: bool,
    workspace: Path | None,
) -> None:
    """Deliver the edition marked ready to every active subscriber, exactly as stored.

    Re-running after a crash sends only what is left; an edition already sent sends nothing.
    The preflight runs first: over SMTP its problems refuse the send (one line each, exit 7)
    unless --force; with the local outbox they are printed as warnings.
    """
    from composer.edition import stored
    from composer.errors import PreflightError
    from composer.pipeline import (
        deliver,
        load_edition,
        make_transport,
        render,
        send_test,
        sendable,
    )
    from composer.preflight import blocking, run_preflight

    context = _context(workspace)
    try:
        chosen = make_transport(context, transport)
        if to_address:
            edition = load_edition(context, edition_id)
            rendered, _, _ = render(context, edition)
            message_id = send_test(context, rendered, to_address, chosen)
            click.echo(f"test copy of {edition.id} sent to {to_address} via {chosen.name} {message_id}")
            return
        eid = sendable(context, edition_id)
        row = context.store.edition_row(eid)
        if row is not None and row["status"] == "sent":
            _err(f"{eid} was already sent ({row['sent_at']}); nobody gets it twice")
            if context.store.latest_edition(("draft",)):
                _err("to send your draft, mark it ready: `composer edition ready`")
        if dry_run:
            stored.require_status(context.store, eid, (*stored.SENDABLE, "sent"), "send")
            edition = load_edition(context, eid)
            rendered, _, _ = render(context, edition)
            for check in blocking(run_preflight(edition, rendered, context.settings)):
                _err(f"problem: {check.problem(context.settings)}")
            recipients = context.store.count_subscribers()
            click.echo(f"{eid}: would send to {recipients} subscribers via {chosen.name}")
            return
        try:
            result = deliver(
                context,
                eid,
                transport=chosen,
                rate=rate,
                force=force,
                progress=_progress_printer(),
                on_warning=lambda w: _err(f"warning: {w}"),
            )
        except PreflightError as exc:
            for problem in exc.problems:
                _err(f"problem: {problem}")
            raise
    finally:
        context.close()
    report = result.report
    _err(
        f"{eid} via {report.transport}: sent {report.sent}, already done {report.skipped}, "
        f"rejected {len(report.failed)}, deferred {len(report.deferred)}"
    )
    for address, reason in report.failed:
        _err(f"rejected: {address}: {reason}")
    for address, reason in report.deferred:
        _err(f"deferred (will retry on the next send): {address}: {reason}")
    click.echo(
        f"{eid}\tsent={report.sent}\tskipped={report.skipped}\t"
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
