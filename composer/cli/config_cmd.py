"""``composer config``: the editor's key file — where it is, what is wrong in it, the full default.

The file is ``$XDG_CONFIG_HOME/composer/config.toml`` (``~/.config/composer/config.toml`` when
the variable is unset); its ``[keys]`` table maps an action id to a key or a list of keys.  The
editor reads it at start and says in one line what it could not use; this command says the same
without opening the editor, for a script or before a restart.
"""

from __future__ import annotations

import sys

import click

from composer.cli import _err, cli
from composer.errors import ConfigError


@cli.command("config")
@click.option(
    "--print-defaults",
    is_flag=True,
    help="Print the complete default key file (every action id, its key, what it does) on stdout.",
)
@click.option("--path", "show_path", is_flag=True, help="Print where the key file is read from.")
def config(print_defaults: bool, show_path: bool) -> None:
    """The editor's key file: check it (the default), print its path or the full default file.

    Keys live in $XDG_CONFIG_HOME/composer/config.toml (default ~/.config/composer/config.toml),
    a [keys] table of action id = "key" or ["key", "other key"].  Start from the default file:

        composer config --print-defaults > ~/.config/composer/config.toml

    Checking prints the file's path on stdout and each problem as one line on stderr (exit 2);
    the editor itself still opens, with those actions on their default keys.
    """
    from composer.tui import keymap
    from composer.tui.i18n import Labels

    if print_defaults:
        click.echo(keymap.default_file(), nl=False)
        return
    path = keymap.config_path()
    if show_path:
        click.echo(str(path))
        return
    loaded = keymap.load(path)
    click.echo(str(path) if path.exists() else f"{path} (absent: the default keys)")
    if loaded.problems:
        english = Labels("en")
        for problem in loaded.problems:  # one line each, naming the file and the entry
            _err(f"error: {problem.message(english)}")
        sys.exit(ConfigError.exit_code)
