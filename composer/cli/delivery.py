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
@click.option("--retry-failed", is_flag=True, help="Try again the recipients the server rejected.")
@_workspace_option
def send(
    edition_id: str | None,
    transport: str | None,
    dry_run: bool,
    to_address: str | None,
    rate: float | None,
    force: bool,
    retry_failed: bool,
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
    from composer.subscribers import listing as subscribers_listing

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
        if row is not None and row["status"] == "sent" and not retry_failed:
            _err(f"{eid} was already sent ({row['sent_at']}); nobody gets it twice")
            if context.store.latest_edition(("draft",)):
                _err("to send your draft, mark it ready: `composer edition ready`")
        if dry_run:
            stored.require_status(context.store, eid, (*stored.SENDABLE, "sent"), "send")
            edition = load_edition(context, eid)
            rendered, _, _ = render(context, edition)
            for check in blocking(run_preflight(edition, rendered, context.settings)):
                _err(f"problem: {check.problem(context.settings)}")
            done = context.store.ledger(eid)
            final = ("sent",) if retry_failed else ("sent", "failed")
            readers = subscribers_listing(context.store)
            left = [r for r in readers if done.get(r.id or -1) not in final]
            click.echo(f"{eid}: would send to {len(left)} of {len(readers)} subscribers via {chosen.name}")
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
                retry_failed=retry_failed,
                say=_err,
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
    if report.held:
        _err(f"{report.held} held for the next run by max_per_day; run `composer send` again tomorrow")
    click.echo(
        f"{eid}\tsent={report.sent}\tskipped={report.skipped}\t"
        f"rejected={len(report.failed)}\tdeferred={len(report.deferred)}"
    )
    if not report.ok:
        sys.exit(6)


@cli.command()
@click.option(
    "--maildir", "maildir", type=click.Path(file_okay=False, path_type=Path), help="Maildir to read."
)
@click.option(
    "--imap", "imap_host", default=None, help="IMAP server (TLS); password in COMPOSER_IMAP_PASSWORD."
)
@click.option("--imap-user", default=None, help="IMAP login (default: the sender's address).")
@click.option("--imap-folder", default="INBOX", show_default=True)
@click.option("--imap-port", default=993, show_default=True, type=int)
@click.option("--soft-limit", default=3, show_default=True, type=click.IntRange(min=1), help="Soft bounces …")
@click.option("--soft-days", default=30, show_default=True, type=click.IntRange(min=1), help="… within days.")
@click.option("--dry-run", is_flag=True, help="Report what would change; change and move nothing.")
@_workspace_option
def bounces(
    maildir: Path | None,
    imap_host: str | None,
    imap_user: str | None,
    imap_folder: str,
    imap_port: int,
    soft_limit: int,
    soft_days: int,
    dry_run: bool,
    workspace: Path | None,
) -> None:
    """Read bounces (and List-Unsubscribe mails) and update subscribers.

    A hard bounce (5.x.x) marks the subscriber bounced at once; SOFT_LIMIT soft bounces (4.x.x)
    within SOFT_DAYS do too.  Each processed mail is moved (Maildir: to its .processed folder;
    IMAP: to composer-processed) so it is never read twice; other mail is left alone.
    """
    import os
    from email.utils import parseaddr

    from composer.deliver import bounces as reader
    from composer.errors import UsageError
    from composer.pipeline import unsubscribe_secret

    if bool(maildir) == bool(imap_host):
        raise UsageError("give one mailbox: --maildir DIR or --imap HOST")
    context = _context(workspace)
    try:
        policy = reader.Policy(soft_limit, soft_days)
        secret = unsubscribe_secret(context)
        if maildir:
            report = reader.process_maildir(
                context.store, str(maildir), secret=secret, policy=policy, dry_run=dry_run
            )
        else:
            password = os.environ.get("COMPOSER_IMAP_PASSWORD", "")
            if not password:
                raise UsageError("set COMPOSER_IMAP_PASSWORD in the environment (never in a file)")
            user = imap_user or parseaddr(context.settings.sender)[1]
            report = reader.process_imap(
                context.store,
                str(imap_host),
                user,
                password,
                secret=secret,
                folder=imap_folder,
                port=imap_port,
                policy=policy,
                dry_run=dry_run,
            )
    finally:
        context.close()
    verb = "would mark" if dry_run else "marked"
    for address in report.marked_bounced:
        click.echo(f"bounced\t{address}")
    for address in report.unsubscribed:
        click.echo(f"unsubscribed\t{address}")
    for address in report.unmatched:
        _err(f"no subscriber for {address}")
    for problem in report.unreadable:
        _err(f"unreadable message left in place: {problem}")
    _err(
        f"{report.processed} processed ({report.hard} hard, {report.soft} soft bounces); "
        f"{verb} {len(report.marked_bounced)} bounced, {len(report.unsubscribed)} unsubscribed; "
        f"{report.left_alone} other messages left alone"
    )


@cli.command()
@click.argument("edition_id", required=False)
@_workspace_option
def report(edition_id: str | None, workspace: Path | None) -> None:
    """Per sent edition: sent, failed, deferred, bounced, and unsubscribes until the next edition."""
    from composer.edition.stored import row_or_error

    context = _context(workspace)
    try:
        rows = [r for r in context.store.edition_listing() if r["sent_at"] or r["status"] != "draft"]
        rows.sort(key=lambda r: r["sent_at"] or r["created_at"])
        if edition_id:
            row_or_error(context.store, edition_id)
        click.echo("edition\tstatus\tsent_at\tsent\tfailed\tdeferred\tbounced\tunsubscribed\ttitle")
        for n, r in enumerate(rows):
            if edition_id and r["id"] != edition_id:
                continue
            counts = context.store.edition_report(r["id"])
            later = next((x["sent_at"] for x in rows[n + 1 :] if x["sent_at"]), None)
            left = context.store.events_between("unsubscribed", r["sent_at"], later) if r["sent_at"] else 0
            click.echo(
                f"{r['id']}\t{r['status']}\t{r['sent_at'] or ''}\t{counts['sent']}\t{counts['failed']}\t"
                f"{counts['deferred'] + counts['sending']}\t{counts['bounced']}\t{left}\t{r['title']}"
            )
    finally:
        context.close()


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
@click.option(
    "--status", type=click.Choice(["active", "pending", "unsubscribed", "bounced", "all"]), default="all"
)
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
