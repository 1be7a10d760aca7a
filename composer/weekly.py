"""The weekly send that cron runs: exactly once per ISO week, resumable, and loud when it fails.

``run_weekly`` takes a file lock in the workspace (so two runs at the same moment never both
send: the second waits, then finds the week done), records the week in ``weekly_runs`` before
sending (so a crash is resumed from the send ledger by the next run, not started again), and
logs to ``<workspace>/logs/weekly.log`` as well as to stderr.  It never prompts and assumes
nothing about HOME or a terminal.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from composer.errors import ComposerError, UsageError, WorkspaceError
from composer.models import DeliveryReport
from composer.pipeline import Context, add_sources, build_edition, load_edition, render, send
from composer.store import now

WEEKLY_SCHEMA = """
CREATE TABLE IF NOT EXISTS weekly_runs (
    week TEXT NOT NULL,
    edition_id TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (week, edition_id)
);
"""


def iso_week(day: Date) -> str:
    """``2026-W48``: the key that makes the send happen once a week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeeklyResult:
    """What the weekly run did, for the exit code and the log."""

    outcome: str  # sent | nothing | already-sent | failed
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


@contextmanager
def workspace_lock(root: Path, *, wait: float, log: logging.Logger) -> Iterator[None]:
    """Hold ``<workspace>/weekly.lock``; wait up to ``wait`` seconds for another run to finish."""
    path = root / "weekly.lock"
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another weekly send is running in this workspace; waiting for it to finish")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WorkspaceError(
                            f"another weekly send still holds {path} after {wait:.0f} s; "
                            "check that it is not stuck (see logs/weekly.log)"
                        ) from None
                    time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _runs(ctx: Context, week: str) -> list[tuple[str, str, str]]:
    """(week, edition, status) of this week's runs and of any run, of any week, left unfinished."""
    ctx.store.conn.executescript(WEEKLY_SCHEMA)
    rows = ctx.store.conn.execute(
        "SELECT week, edition_id, status FROM weekly_runs WHERE week = ? OR status = 'sending'"
        " ORDER BY started_at",
        (week,),
    )
    return [(r[0], r[1], r[2]) for r in rows]


def _mark(ctx: Context, week: str, edition_id: str, status: str) -> None:
    with ctx.store.transaction() as conn:
        conn.execute(
            "INSERT INTO weekly_runs (week, edition_id, status, started_at) VALUES (?,?,?,?)"
            " ON CONFLICT(week, edition_id) DO UPDATE SET status = excluded.status,"
            " finished_at = CASE WHEN excluded.status = 'sending' THEN NULL ELSE ? END",
            (week, edition_id, status, now(), now()),
        )


def _choose_edition(ctx: Context, log: logging.Logger, today: Date) -> str | None:
    ready = ctx.store.conn.execute(
        "SELECT id FROM editions WHERE status = 'ready' ORDER BY created_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    if ready:
        log.info("sending the edition the editor marked ready: %s", ready[0])
        return str(ready[0])
    if not ctx.settings.auto_edition:
        log.info("no edition is marked ready and automatic editions are off")
        return None
    if not ctx.store.unsent_articles():
        return None
    edition = build_edition(
        ctx, today=today, title=f"{ctx.settings.newsletter_name} — semaine {iso_week(today)}"
    )
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
    with workspace_lock(ctx.workspace.root, wait=lock_wait, log=log):
        active = ctx.store.conn.execute(
            "SELECT COUNT(*) FROM subscribers WHERE status = 'active'"
        ).fetchone()[0]
        no_readers = UsageError("no active subscribers; add some with `composer subscribers import FILE.csv`")
        runs = _runs(ctx, week)
        # An unfinished run is finished first, whatever its week: its articles must not go out
        # again in a new automatic edition, and its deferred readers are still owed a copy.
        unfinished = [(w, e) for w, e, status in runs if status == "sending"]
        if unfinished:
            if not active:
                raise no_readers
            run_week, edition_id = unfinished[0]
            week = run_week
            log.info("resuming the interrupted send of %s for %s", edition_id, week)
        elif any(status in ("sent", "partial") for _, _, status in runs) and not force:
            done = next(e for _, e, s in runs if s in ("sent", "partial"))
            return WeeklyResult("already-sent", f"{week}: edition {done} was already sent this week", done)
        else:
            (refresh or refresh_feeds)(ctx, log)
            if not active and ctx.store.unsent_articles():
                raise no_readers
            chosen = _choose_edition(ctx, log, day)
            if chosen is None:
                return WeeklyResult("nothing", f"{week}: nothing to send (no new articles)")
            edition_id = chosen
        _mark(ctx, week, edition_id, "sending")
        rendered, _, _ = render(ctx, load_edition(ctx, edition_id))
        report = send(ctx, rendered)
        summary = (
            f"{week}: edition {edition_id} via {report.transport}: sent {report.sent}, "
            f"already sent {report.skipped}, rejected {len(report.failed)}, deferred {len(report.deferred)}"
        )
        if report.deferred:
            # Stays "sending": the next run resumes and retries only the deferred recipients.
            return WeeklyResult("failed", summary, edition_id, report)
        _mark(ctx, week, edition_id, "partial" if report.failed else "sent")
        return WeeklyResult("failed" if report.failed else "sent", summary, edition_id, report)


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

    try:
        send_alert(ctx, address, f"[composer] weekly send failed in {ctx.workspace.root}", str(result))
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
        if not s.smtp_host:
            problems.append("COMPOSER_SMTP_HOST is not set")
        if s.smtp_user and not s.smtp_password:
            problems.append("COMPOSER_SMTP_USER is set but COMPOSER_SMTP_PASSWORD is not in this environment")
    subscribers = ctx.store.conn.execute(
        "SELECT COUNT(*) FROM subscribers WHERE status = 'active'"
    ).fetchone()[0]
    if not subscribers:
        problems.append("no active subscribers; add some with `composer subscribers import FILE.csv`")
    return problems
