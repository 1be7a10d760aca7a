"""The command line: a thin shell over :mod:`composer.pipeline` that cron and scripts rely on.

stdout carries data (paths, ids, tables); stderr carries progress and errors, one line each.
Expected failures are ``ComposerError``s: one line on stderr and their exit code, never a
traceback.  Nothing here prompts, so cron can run every command.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from composer.errors import ComposerError
from composer.store import DATABASE_ERRORS, database_problem


def _workspace_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--workspace",
        "-w",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="COMPOSER_WORKSPACE",
        show_envvar=True,
        help="Workspace folder (default: ./composer-workspace; create one with `composer init`).",
    )(fn)


def _context(workspace: Path | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    """Open the workspace; one that does not exist is an error (a typo must not start an empty
    one) unless ``create`` (``init`` and ``demo``)."""
    from composer.errors import UsageError
    from composer.paths import default_workspace
    from composer.pipeline import open_context

    if workspace is None:  # `composer --workspace DIR add …` puts it on the group, not the command
        current = click.get_current_context(silent=True)
        root = current.find_root() if current else None
        workspace = (root.obj or {}).get("workspace") if root else None
    if workspace is None:
        workspace, warning = default_workspace()
        if warning:
            _err(f"warning: {warning}")
    path = Path(workspace).expanduser()
    if not create and not path.is_dir():
        what = "is a file, not a workspace folder" if path.exists() else "does not exist"
        raise UsageError(f"no workspace at {path} ({what}); create one with `composer init {path}`")
    return open_context(path)


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
        ctx.invoke(articles.tui, workspace=workspace)


def main() -> None:
    """Entry point: run the CLI, turning expected failures into one line and an exit code."""
    # composer's matrices are tiny: a BLAS thread pool only costs start-up time on every command.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Everything composer writes (database, outbox, logs, secrets) holds addresses: owner only.
    os.umask(0o077)
    try:
        cli.main(standalone_mode=False)
    except ComposerError as exc:
        _err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except DATABASE_ERRORS as exc:  # damaged database, full disk, read-only workspace
        _err(f"error: {database_problem(exc)}")
        sys.exit(4)
    except OSError as exc:  # a file composer writes: full disk, permissions
        name = f"{exc.filename}: " if exc.filename else ""
        _err(f"error: {name}{exc.strerror or exc}; check free space and the workspace's permissions")
        sys.exit(4)
    except click.exceptions.Abort:
        _err("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


# Importing the command modules registers their commands on ``cli``.
from composer.cli import articles, batch, config_cmd, delivery, editions, web, weekly  # noqa: E402, F401
