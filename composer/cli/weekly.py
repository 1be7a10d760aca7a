"""Commands for cron: ``weekly`` (the once-a-week send) and ``schedule`` (how to install it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click

from composer.cli import _context, _err, _workspace_option, cli
from composer.errors import ComposerError


@cli.command()
@click.option("--force", is_flag=True, help="Send even if this ISO week's edition already went out.")
@click.option(
    "--check", is_flag=True, help="Only check that a weekly send could run from here; send nothing."
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=3600,
    show_default=True,
    help="Seconds to wait for another weekly run holding the workspace lock.",
)
@_workspace_option
def weekly(force: bool, check: bool, wait: float, workspace: Path | None) -> None:
    """Send this week's edition exactly once (what cron runs).

    Sends the edition marked ready in the editor, else an automatic edition of the articles
    added since the last send.  A second run in the same ISO week sends nothing; a run that
    crashed is resumed; two runs at once never both send.  Logs to <workspace>/logs/weekly.log.
    """
    from composer.weekly import check_ready, notify_editor, run_weekly, weekly_logger

    context = _context(workspace)
    try:
        if check:
            problems = check_ready(context)
            for problem in problems:
                _err(f"problem: {problem}")
            if problems:
                raise ComposerError(f"{len(problems)} problem(s) would stop the weekly send")
            click.echo(
                f"ready: {context.workspace.root} can send with transport {context.settings.transport}"
            )
            return
        log = weekly_logger(context, sys.stderr)
        try:
            result = run_weekly(context, force=force, lock_wait=wait, log=log)
        except ComposerError as exc:
            log.error("weekly send failed: %s", exc)
            notify_editor(context, exc, log)
            raise
        except Exception as exc:  # a bug: still logged and reported, since nobody watches cron
            log.exception("weekly send crashed")
            notify_editor(context, ComposerError(f"unexpected {type(exc).__name__}: {exc}"), log)
            raise
        (log.error if result.exit_code else log.info)(result.message)
        if result.exit_code:
            notify_editor(context, result, log)
    finally:
        context.close()
    click.echo(f"{result.outcome}\t{result.edition_id}")
    if result.exit_code:
        sys.exit(result.exit_code)


@cli.command()
@click.option("--at", "when", default="0 7 * * MON", show_default=True, help="Cron schedule.")
@_workspace_option
def schedule(when: str, workspace: Path | None) -> None:
    """Print a crontab line and a systemd timer for the weekly send, and check it can run there.

    The check runs `composer weekly --check` in a bare environment (only PATH and the
    COMPOSER_* variables, as cron provides), so a missing setting shows up now, not on Monday.
    """
    context = _context(workspace)
    root = context.workspace.root
    context.close()
    exe = shutil.which("composer") or str(Path(sys.executable).parent / "composer")
    composer_vars = {
        k: v
        for k, v in os.environ.items()
        if k.startswith("COMPOSER_") and k not in ("COMPOSER_HOME", "COMPOSER_WORKSPACE")
    }
    names = " ".join(sorted(composer_vars)) or "(none set)"
    click.echo(f"# crontab -e   (put COMPOSER_* settings above the line, or in {root}/settings.toml)")
    click.echo("#   the SMTP password belongs in the crontab's environment, never in the workspace")
    click.echo(f"{when} {exe} weekly --workspace {root}")
    click.echo("")
    click.echo("# /etc/systemd/system/composer-weekly.service")
    click.echo("[Unit]\nDescription=composer weekly newsletter send\n")
    click.echo("[Service]\nType=oneshot")
    click.echo(f"EnvironmentFile=-{root}/composer.env   # COMPOSER_SMTP_PASSWORD=… (chmod 600)")
    click.echo(f"ExecStart={exe} weekly --workspace {root}\n")
    click.echo("# /etc/systemd/system/composer-weekly.timer")
    click.echo("[Unit]\nDescription=Run the composer weekly send\n")
    click.echo("[Timer]\nOnCalendar=Mon *-*-* 07:00:00\nPersistent=true\n")
    click.echo("[Install]\nWantedBy=timers.target")
    bare = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **composer_vars}
    check = subprocess.run(
        [exe, "weekly", "--check", "--workspace", str(root)],
        env=bare,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    _err(f"checked in a bare environment with {names}:")
    for line in (check.stdout + check.stderr).strip().splitlines():
        _err(f"  {line}")
    if check.returncode:
        raise ComposerError("the weekly send would fail from cron; fix the problems above")
