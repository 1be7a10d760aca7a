"""The weekly send that cron runs: at most one edition per ISO week, resumable, loud when it fails.

``run_weekly`` holds the workspace's send lock (the same one ``composer send`` and the editor
take, so two sends at the same moment never both deliver: the second waits, then finds the
week done).  It finishes an interrupted send first; otherwise it sends nothing if an edition
already went out this ISO week, by cron or by hand; otherwise it sends the edition marked
ready, or builds one when automatic editions are on.  Every path runs the preflight.  It logs
to ``<workspace>/logs/weekly.log`` as well as to stderr, never prompts and assumes nothing
about HOME or a terminal.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import date as Date

from composer.deliver.lock import send_lock
from composer.edition import stored
from composer.errors import ComposerError
from composer.models import DeliveryReport
from composer.pipeline import Context, add_sources, build_edition, deliver, templates


def iso_week(day: Date) -> str:
    """``2026-W48``: the key that makes the send happen once a week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeeklyResult:
    """What the weekly run did, for the exit code and the log."""

    outcome: str  # sent | held | nothing | already-sent | failed
    message: str
    edition_id: str = ""
    report: DeliveryReport | None = None

    @property
    def exit_code(self) -> int:
        """0 when sent or nothing to do; 6 when a recipient failed."""
        return 6 if self.outcome == "failed" else 0


def weekly_logger(ctx: Context, stream: object | None = None) -> logging.Logger:
    """A logger writing to the workspace's weekly.log and to stderr (or ``stream``)."""
    logger = logging.getLogger(f"composer.weekly.{ctx.workspace.root}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if not logger.handlers:
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
        ctx.workspace.logs.mkdir(parents=True, exist_ok=True)
        to_file = logging.FileHandler(ctx.workspace.logs / "weekly.log", encoding="utf-8")
        to_file.setFormatter(formatter)
        to_err = logging.StreamHandler(stream)  # type: ignore[arg-type]
        to_err.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(to_file)
        logger.addHandler(to_err)
    return logger


def week_bounds(day: Date) -> tuple[str, str]:
    """The ISO week of ``day`` as [Monday 00:00, next Monday 00:00) in UTC, as stored timestamps."""
    monday = day - timedelta(days=day.isoweekday() - 1)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start.isoformat(timespec="seconds"), (start + timedelta(days=7)).isoformat(timespec="seconds")


def _choose_edition(ctx: Context, log: logging.Logger, today: Date) -> str | None:
    ready = ctx.store.latest_edition(("ready",))
    if ready:
        log.info("sending the edition the editor marked ready: %s", ready["id"])
        return str(ready["id"])
    if not ctx.settings.auto_edition:
        log.info("no edition is marked ready and automatic editions are off")
        return None
    if not ctx.store.unsent_articles():
        return None
    edition = build_edition(
        ctx, today=today, new=True, title=f"{ctx.settings.newsletter_name} — semaine {iso_week(today)}"
    )
    stored.mark_ready(ctx.store, edition.id, templates(ctx))
    log.info("built automatic edition %s with %d articles", edition.id, len(edition.items))
    return edition.id


def run_weekly(
    ctx: Context,
    *,
    force: bool = False,
    today: Date | None = None,
    lock_wait: float = 3600.0,
    log: logging.Logger | None = None,
    refresh: Callable[[Context, logging.Logger], None] | None = None,
) -> WeeklyResult:
    """Send this week's edition once; see the module docstring for the guarantees."""
    log = log or weekly_logger(ctx)
    day = today or Date.today()
    week = iso_week(day)
    with send_lock(ctx.workspace.database, wait=lock_wait, say=log.info):
        # An unfinished send is finished first, whatever its week: its readers are owed a copy.
        unfinished = ctx.store.latest_edition(("sending", "failed"))
        if unfinished is not None:
            edition_id = str(unfinished["id"])
            log.info("resuming the interrupted send of %s", edition_id)
        else:
            done = ctx.store.editions_sent_between(*week_bounds(day))
            if done and not force:
                sent = done[-1]
                return WeeklyResult(
                    "already-sent",
                    f"{week}: edition {sent['id']} was already sent this week",
                    str(sent["id"]),
                )
            (refresh or refresh_feeds)(ctx, log)
            if not ctx.store.count_subscribers() and (
                ctx.store.latest_edition(("ready",)) or ctx.store.unsent_articles()
            ):
                raise ComposerError(
                    "no active subscribers; add some with `composer subscribers import FILE.csv`"
                )
            chosen = _choose_edition(ctx, log, day)
            if chosen is None:
                return WeeklyResult("nothing", f"{week}: nothing to send (no edition ready, no new articles)")
            edition_id = chosen
        result = deliver(ctx, edition_id, locked=True, on_warning=lambda w: log.warning("preflight: %s", w))
        report = result.report
        summary = (
            f"{week}: edition {edition_id} via {report.transport}: sent {report.sent}, "
            f"already sent {report.skipped}, rejected {len(report.failed)}, deferred {len(report.deferred)}"
        )
        if report.deferred or report.failed:
            return WeeklyResult("failed", summary, edition_id, report)
        if report.held:
            summary += f", held {report.held} for the next run (max_per_day)"
            return WeeklyResult("held", summary, edition_id, report)
        return WeeklyResult("sent", summary, edition_id, report)


def refresh_feeds(ctx: Context, log: logging.Logger) -> None:
    """Fetch the configured feeds first; a failing feed is logged and the send goes on."""
    if not ctx.settings.feeds:
        return
    report = add_sources(ctx, list(ctx.settings.feeds))
    log.info("feeds refreshed: %d new articles", len(report.added))
    for error in report.errors:
        log.warning("feed error: %s", error)


def notify_editor(ctx: Context, result: WeeklyResult | ComposerError, log: logging.Logger) -> None:
    """Email the editor (settings ``editor_email``) that the weekly send failed; never raises."""
    address = ctx.settings.editor_email
    if not address:
        return
    from composer.deliver.alert import send_alert
    from composer.pipeline import make_transport

    try:
        subject = f"[composer] weekly send failed in {ctx.workspace.root}"
        send_alert(ctx.settings, make_transport(ctx), address, subject, str(result))
        log.info("failure reported to %s", address)
    except Exception as exc:  # the alert must never hide the failure it reports
        log.error("could not report the failure to %s: %s", address, exc)


def check_ready(ctx: Context) -> list[str]:
    """Problems that would stop a weekly send from this environment (empty list: ready)."""
    from composer.paths import templates_dir

    problems: list[str] = []
    if not os.access(ctx.workspace.root, os.W_OK):
        problems.append(f"the workspace {ctx.workspace.root} is not writable")
    try:
        templates_dir()
    except ComposerError as exc:
        problems.append(str(exc))
    s = ctx.settings
    if s.transport == "smtp":
        from composer.preflight import blocking, settings_checks

        problems += [c.problem(s) for c in blocking(settings_checks(s))]
        if not s.smtp_host:
            problems.append("COMPOSER_SMTP_HOST is not set")
        if s.smtp_user and not s.smtp_password:
            problems.append("COMPOSER_SMTP_USER is set but COMPOSER_SMTP_PASSWORD is not in this environment")
    if not ctx.store.count_subscribers():
        problems.append("no active subscribers; add some with `composer subscribers import FILE.csv`")
    return problems
