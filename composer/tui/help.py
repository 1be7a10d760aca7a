"""The help screen's content, built from the key map itself so it cannot drift from the keys.

The current tab comes first (what ``?`` was pressed for), then the keys that work everywhere, the
list movements, the keys no one can rebind (arrows, Enter, Tab, Escape), and the other tabs.
Every key is shown as the user bound it; every sentence comes from the catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from composer.tui.keymap import ACTIONS, TABS

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

FIXED = (
    ("↑ ↓ ← →", "fixed_arrows"),
    ("enter", "fixed_enter"),
    ("tab", "fixed_tab"),
    ("escape", "fixed_escape"),
    ("→", "fixed_right"),
    ("mouse", "fixed_mouse"),
)


def _section(title: str, rows: list[tuple[str, str]]) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(width=16, no_wrap=True, overflow="ellipsis", style="bold")
    grid.add_column(ratio=1)
    for key, what in rows:
        grid.add_row(key, what)
    return Group(Text(title, style="bold underline"), grid, Text(""))


def _actions(app: ComposerApp, scope: str) -> list[tuple[str, str]]:
    return [(app.key_label(a.id, every=True), app.t(f"h:{a.id}")) for a in ACTIONS if a.scope == scope]


def help_text(app: ComposerApp, tab: str) -> RenderableType:
    """The help for ``tab`` (library, review, edition, preview), then everything else."""
    t = app.t
    parts = [
        _section(t(f"tab_{tab}"), _actions(app, tab)),
        _section(t("help_everywhere"), _actions(app, "app")),
        _section(t("help_lists"), _actions(app, "list")),
    ]
    fixed = []
    for key, what in FIXED:
        name = (
            t("mouse")
            if key == "mouse"
            else app.key_display(key)
            if key in ("enter", "tab", "escape")
            else key
        )
        fixed.append((name, t(what)))
    parts.append(_section(t("help_fixed"), fixed))
    parts.append(Text(t("help_other_tabs"), style="bold reverse"))
    parts.append(Text(""))
    for other in TABS:
        if other != tab:
            parts.append(_section(t(f"tab_{other}"), _actions(app, other)))
    parts.append(
        _section(f"{t('a:app.editions')} ({app.key_label('app.editions')})", _actions(app, "editions"))
    )
    dialogs = [row for scope in ("confirm", "quit", "edit", "send", "help") for row in _actions(app, scope)]
    parts.append(_section(t("help_dialogs"), dialogs))
    path = str(app.keys.path or "~/.config/composer/config.toml").replace(str(Path.home()), "~", 1)
    parts.append(Text(t("help_config", path=path), style="dim"))
    return Group(*parts)
