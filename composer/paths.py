"""Where things live: the shipped templates and seeds, and the user's workspace.

Templates and seeds sit at the top of the source tree (so editors can read them) and are copied
into ``composer/_data/`` in a wheel; both layouts are searched so an editable install and a
plain ``pip install .`` behave the same.
"""

from __future__ import annotations

import os
from pathlib import Path

from composer.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"composer's {name}/ folder is missing from the installation; reinstall composer")


def templates_dir() -> Path:
    """The shipped Jinja2 templates (email/, perspectives/fr/, perspectives/en/)."""
    return _shipped("templates")


def seeds_dir() -> Path:
    """The sample articles used by ``composer demo`` and the tests."""
    return _shipped("seeds")


def default_workspace() -> tuple[Path, str]:
    """The workspace when none is given, and a warning to show ('' if none).

    ``$COMPOSER_WORKSPACE``, else ``./composer-workspace``.  ``$COMPOSER_HOME`` (the first
    releases' name) is still honoured, with a warning, but only when it points at a composer
    workspace: PHP's Composer uses the same variable for its own home.
    """
    chosen = os.environ.get("COMPOSER_WORKSPACE")
    if chosen:
        return Path(chosen), ""
    legacy = os.environ.get("COMPOSER_HOME")
    if legacy:
        folder = Path(legacy).expanduser()
        if (folder / "composer.db").is_file() or (folder / "settings.toml").is_file():
            return folder, "COMPOSER_HOME is deprecated (PHP's Composer uses it too); set COMPOSER_WORKSPACE"
        here = Path.cwd() / "composer-workspace"
        return here, f"ignoring COMPOSER_HOME={legacy} (not a composer workspace); set COMPOSER_WORKSPACE"
    return Path.cwd() / "composer-workspace", ""


class Workspace:
    """The folder holding one newsletter's database, outbox, editions and settings."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).expanduser().resolve()

    @property
    def database(self) -> Path:
        """The SQLite file with articles, editions, subscribers and the send ledger."""
        return self.root / "composer.db"

    @property
    def outbox(self) -> Path:
        """The Maildir where the outbox transport delivers (mutt -f opens it)."""
        return self.root / "outbox"

    @property
    def editions(self) -> Path:
        """Rendered editions: HTML, plain text and the web archive page."""
        return self.root / "editions"

    @property
    def settings_file(self) -> Path:
        """Optional TOML settings (never holds the SMTP password)."""
        return self.root / "settings.toml"

    @property
    def templates(self) -> Path:
        """The user's template overrides; files here win over the shipped ones."""
        return self.root / "templates"

    @property
    def logs(self) -> Path:
        """Log files (the weekly send writes here)."""
        return self.root / "logs"

    def ensure(self) -> Workspace:
        """Create the folders if needed (the workspace itself private: 0700, it holds addresses);
        a clear error if the place is not writable."""
        try:
            if not self.root.exists():
                self.root.mkdir(parents=True, mode=0o700)
            for path in (self.editions, self.logs):
                path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the workspace at {self.root}: {exc.strerror}; "
                "choose another place with --workspace DIR or COMPOSER_WORKSPACE"
            ) from None
        return self
