"""The context every command runs in: the workspace, its settings and its database, opened once.

:func:`open_context` builds it so the CLI, the editor and cron get the same objects; the
template search path and the unsubscribe secret belong to the workspace too.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from composer.config import Settings, load_settings
from composer.edition.stored import Templates
from composer.paths import Workspace, templates_dir
from composer.store import Store, open_store


@dataclass
class Context:
    """Everything a command needs: where the workspace is, its settings and database."""

    workspace: Workspace
    settings: Settings
    store: Store

    @property
    def template_path(self) -> list[Path]:
        """User overrides first, then the shipped templates."""
        return [self.workspace.templates, templates_dir()]

    def close(self) -> None:
        """Release the database."""
        self.store.close()


def open_context(root: Path, environ: dict[str, str] | None = None) -> Context:
    """Open (creating if needed) the workspace at ``root``."""
    workspace = Workspace(root).ensure()
    settings = load_settings(workspace.settings_file, environ)
    return Context(workspace, settings, open_store(workspace.database))


def templates(ctx: Context) -> Templates:
    """The perspective templates of this workspace (user overrides first)."""
    return Templates(tuple(ctx.template_path), ctx.settings.language)


def unsubscribe_secret(ctx: Context) -> str:
    """The HMAC key for unsubscribe links: from settings, else one kept in the workspace."""
    if ctx.settings.unsubscribe_secret:
        return ctx.settings.unsubscribe_secret
    path = ctx.workspace.root / ".unsubscribe-secret"
    try:  # created private and exclusively: two first runs at once agree on one secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()
