"""Delivering a ready edition: one sender at a time, the preflight first, exactly what was stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from composer import subscribers
from composer.edition import stored
from composer.errors import PreflightError, UsageError
from composer.models import DeliveryReport, Edition, RenderedEdition, Subscriber
from composer.pipeline.context import Context, templates, unsubscribe_secret
from composer.pipeline.publish import render

if TYPE_CHECKING:
    from composer.deliver.send import Progress, Transport


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
    retry_failed: bool = False,
    say: Callable[[str], None] | None = None,
) -> SendResult:
    """Deliver a ready edition to every active subscriber, exactly as stored; safe to run again.

    One send at a time per workspace (:func:`~composer.deliver.lock.send_lock`); the edition
    goes ``ready → sending → sent`` (``failed`` while recipients are deferred, resumed by the
    next send).  The preflight runs first: its errors refuse an SMTP send (``PreflightError``,
    one problem per line) unless ``force``; with the local outbox they come back as warnings.
    """
    from composer.deliver.lock import send_lock

    if not locked:
        with send_lock(ctx.workspace.database, wait=lock_wait, say=say):
            return deliver(
                ctx,
                edition_id,
                transport=transport,
                force=force,
                rate=rate,
                progress=progress,
                locked=True,
                on_warning=on_warning,
                retry_failed=retry_failed,
            )
    from composer.deliver.send import send_edition
    from composer.preflight import blocking, run_preflight

    eid = sendable(ctx, edition_id)
    row = ctx.store.edition_row(eid)
    assert row is not None
    if retry_failed and row["status"] in ("sent", "failed") and ctx.store.reset_failed(eid):
        # The rejected readers become due again (bounced addresses stay skipped: not active).
        ctx.store.set_edition_status(eid, "failed", expect=("sent", "failed"))
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
    if not ctx.store.set_edition_status(eid, "sending", expect=stored.SENDABLE):
        raise UsageError(f"edition {eid} changed status while it was being prepared; send again")
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
            quota=_quota_left(ctx),
        )
    except BaseException:
        ctx.store.set_edition_status(eid, "failed", expect=("sending",))
        raise
    # Deferred readers make it "failed" (the next send retries them); readers held by the daily
    # quota leave it "sending" (the next run goes on); otherwise it is sent.
    status = "failed" if report.deferred else "sending" if report.held else "sent"
    ctx.store.set_edition_status(eid, status, expect=("sending",))
    return SendResult(edition, report, warnings, html_path)


def send_test(
    ctx: Context, rendered: RenderedEdition, address: str, transport: Transport | None = None
) -> str:
    """Send one copy to ``address`` (a proof for the editor), outside the ledger; return its Message-ID."""
    from composer.deliver.message import MessageTemplate

    email = subscribers.normalize_address(address, "--to")
    template = MessageTemplate(rendered, ctx.settings, secret=unsubscribe_secret(ctx))
    # A subscriber gets their own working unsubscribe link in the proof; anyone else a dead one.
    reader = subscribers.find(ctx.store, email) or Subscriber(email=email)
    message = template.render(reader, subject_prefix="[TEST] ")
    chosen = transport or make_transport(ctx)
    chosen.open()
    try:
        chosen.send(message)
    finally:
        chosen.close()
    return message.message_id


def _quota_left(ctx: Context) -> int | None:
    """How many more messages today's ``max_per_day`` allows (None: no quota)."""
    if not ctx.settings.max_per_day:
        return None
    from datetime import UTC, datetime

    midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(0, ctx.settings.max_per_day - ctx.store.sent_today(midnight.isoformat(timespec="seconds")))
