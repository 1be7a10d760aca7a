"""Finding and changing the keys: the user's key map on every widget, keys named in the editor's
language, the help of the current tab and the command palette, as a mixin of the app.

Everything the footer, the help and the palette say comes from one place, the key map
(:mod:`composer.tui.keymap`), read through the labels of the workspace's language; Textual's own
English entries (its system commands, its palette placeholder, "Press ctrl+q to quit") are
replaced here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import TabbedContent

from composer.tui import keymap
from composer.tui.edition_pane import PickedList
from composer.tui.modals import HelpScreen, Palette

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

    _Base = ComposerApp
else:
    _Base = object

KEY_NAMES = {
    "space",
    "delete",
    "escape",
    "enter",
    "home",
    "end",
    "pageup",
    "pagedown",
    "insert",
    "backspace",
    "tab",
}
MODIFIER_MARKS = {"ctrl": "^", "shift": "⇧"}


class KeyActions(_Base):
    """Keys, help and palette of :class:`~composer.tui.app.ComposerApp`."""

    def _localize_header(self) -> None:
        # The header's icon opens the palette; Textual's tooltip for it is in English.
        from textual.widgets._header import HeaderIcon

        for icon in self.query(HeaderIcon):
            icon.tooltip = self.t("h:app.palette")

    def _short_path(self, path: object) -> str:
        # The header centres "composer — <workspace>": a long path must not push it off screen.
        text = str(path)
        home = str(Path.home())
        if text.startswith(home + "/"):
            text = "~" + text[len(home) :]
        room = max(12, self.size.width - 24)
        return text if len(text) <= room else "…" + text[-(room - 1) :]

    def prepare_keys(self, root: DOMNode) -> None:
        """Give ``root`` and every widget under it the user's keys and labels in the editor's language.

        Called for the main screen at mount and by each dialog when it opens; each widget once.
        """
        for node in (root, *root.query("*")) if root is not self else (root,):
            if getattr(node, "_composer_keys", False) or not node._bindings.key_to_bindings:
                continue
            node._composer_keys = True  # type: ignore[attr-defined]
            keymap.rebind(node, self.keys, self.t.describe)
        self.refresh_bindings()

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the footer shows them, named in the editor's language (espace, suppr, échap…)."""
        return self.key_display(binding.key)

    def key_display(self, key: str) -> str:
        """One key for people: ``ctrl+e`` → ``^e``, ``shift+up`` → ``⇧↑``, ``space`` → ``espace``."""
        from textual.keys import format_key

        *mods, base = key.split("+")
        name = self.t(f"key_{base}") if base in KEY_NAMES else format_key(base)
        name = {"question_mark": "?"}.get(base, name)
        return "".join(MODIFIER_MARKS.get(m, f"{m}+") for m in mods) + name

    def key_label(self, action_id: str, every: bool = False) -> str:
        """The key of an action as the user has bound it (all of them, with ``every``)."""
        keys = self.keys[action_id].split(",")
        return " / ".join(self.key_display(k) for k in keys) if every else self.key_display(keys[0])

    def action_help_quit(self) -> None:
        """ctrl+c does not quit a Textual app: say which key does, in the editor's language."""
        self.notify(self.t("help_quit", key=self.key_label("app.quit")), timeout=4)

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        dark = not self.current_theme.dark
        self.theme = "textual-dark" if dark else "textual-light"
        self.notify(self.t("theme_set", name=self.t("theme_dark" if dark else "theme_light")), timeout=2)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's entries: the editor's own, in its language (Textual's English ones are left out)."""
        yield from self.editor_commands(screen)

    def action_command_palette(self) -> None:
        """Open the command palette, in the editor's language."""
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(self.t, id="--command-palette"))

    # -- help and palette ---------------------------------------------------------------

    def active_tab(self) -> str:
        """The tab on screen (library, review, edition, preview)."""
        return self._base.query_one(TabbedContent).active or "library"

    def action_help(self) -> None:
        """Show the keys of the current tab first, then the others."""
        from composer.tui.help import help_text

        tab = self.active_tab()
        title = self.t("help_title", tab=self.t(f"tab_{tab}"))
        self.push_screen(HelpScreen(help_text(self, tab), title))

    def editor_commands(self, screen: Screen[object] | None = None) -> Iterable[SystemCommand]:
        """The command palette's entries: every action that can run from where the palette was opened.

        On the editor: every tab's actions (a tab's own run after switching to it) and the editor's
        commands without a key; in a dialog, the dialog's actions and quitting.
        """
        t = self.t
        base = screen is None or screen is self._base
        if base:
            scopes = {"app", "list", *keymap.TABS}
        else:
            scopes = {
                getattr(screen, "SCOPE", ""),
                *(("list",) if getattr(screen, "HAS_LIST", False) else ()),
            }
        for action in keymap.ACTIONS:
            if action.id == "app.palette":
                continue
            if action.scope not in scopes and not (action.scope == "app" and action.priority):
                continue
            where = t(f"tab_{action.scope}") if action.scope in keymap.TABS else t(f"a:{action.id}")
            help_line = t("palette_where", key=self.key_label(action.id), where=where)
            yield SystemCommand(t(f"h:{action.id}"), help_line, self._palette_runner(action, screen))
        if base:
            yield SystemCommand(t("new_draft"), t("h:app.editions"), self.new_draft)
            yield SystemCommand(t("pick_all"), t("tab_library"), self.pick_all_shown)
            yield SystemCommand(t("clear_picks"), t("tab_edition"), self.clear_picks)

    def _palette_runner(self, action: keymap.KeyAction, screen: Screen[object] | None) -> object:
        """A palette entry's callback: switch to the action's tab if needed, then run it there."""

        async def run() -> None:
            scope = action.scope
            if scope in keymap.TABS:
                self.action_show_tab(scope)
            target: object = self
            if screen is not None and screen is not self._base and action.scope != "app":
                target = screen.focused if action.scope == "list" and screen.focused else screen
            elif scope == "list":
                target = self.focused or self
            elif scope == "edition":
                target = self._base.query_one(PickedList)
            elif scope in keymap.TABS:
                target = self._base.query_one(f"#{scope}-pane")
            await self.run_action(action.action, target)  # type: ignore[arg-type]

        return run
