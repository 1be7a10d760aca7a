"""Keys in the running editor: rebinding from the key file, list movement everywhere, help, palette.

Everything here drives the real app with Textual's Pilot on the sample workspace.
"""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList

from composer.pipeline import Context
from composer.tui import keymap
from composer.tui.app import ComposerApp
from composer.tui.modals import EditionsScreen, HelpScreen
from composer.tui.widgets import ScrollText
from tests.tui.conftest import TODAY, screen_text, sync, wait_for


def footer_line(app: ComposerApp) -> str:
    """The last line of the screen: the footer."""
    return screen_text(app).splitlines()[-1]


@sync
async def test_a_rebound_key_works_shows_in_footer_help_and_palette_and_never_fires_in_a_field(
    seeded: Context, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nlibrary.pick = "p"\napp.build = "f6"\n', encoding="utf-8")
    keys = keymap.load(path)
    assert keys.problems == ()
    app = ComposerApp(seeded, today=TODAY, background=False, keys=keys)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")  # no longer the pick key
        assert app.draft.picks == []
        await pilot.press("p")
        assert len(app.draft.picks) == 1
        assert "p Choisir" in footer_line(app) and "espace" not in footer_line(app)
        # Typing a p in the filter types it: Textual's own keymap would have picked here.
        await pilot.press("slash", "p", "p")
        assert app.query_one("#filter", Input).value == "pp" and len(app.draft.picks) == 1
        await pilot.press("escape", "escape", "3")
        assert "f6 Construire" in footer_line(app)
        await pilot.press("f6")
        await wait_for(pilot, lambda: app.built is not None)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "f6" in screen_text(app) or "f6" in str(app.screen.text)
        await pilot.press("escape")
        titles = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert titles["Construire et vérifier l'édition"].startswith("f6 ")


@sync
async def test_a_bad_key_file_is_one_line_in_the_editor_which_opens_with_the_defaults(
    seeded: Context, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\napp.build = "ctrl+b"\n', encoding="utf-8")
    app = ComposerApp(seeded, today=TODAY, background=False, keys=keymap.load(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        (note,) = [n for n in app._notifications if n.severity == "error"]
        assert str(path) in note.message and "keys.app.build" in note.message
        assert "tmux" in note.message and "\n" not in note.message
        await pilot.press("space", "b")  # the default build key still works
        await wait_for(pilot, lambda: app.built is not None)


async def _check_list_keys(pilot: object, app: ComposerApp, widget: object, position: object) -> None:
    """j/k, g/G, Home/End, PgDn/PgUp move the cursor of ``widget``; ``position()`` reads it."""
    press = pilot.press  # type: ignore[attr-defined]
    await press("G")
    last = position()  # type: ignore[operator]
    await press("g")
    assert position() == 0  # type: ignore[operator]
    await press("j")
    assert position() == 1  # type: ignore[operator]
    await press("k")
    assert position() == 0  # type: ignore[operator]
    await press("end")
    assert position() == last and last > 0  # type: ignore[operator]
    await press("home")
    assert position() == 0  # type: ignore[operator]
    await press("pagedown")
    assert position() > 0  # type: ignore[operator]
    await press("pageup")
    assert position() == 0  # type: ignore[operator]


@sync
async def test_vim_keys_home_end_and_pages_in_every_list(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for aid in [row.id for row in app.library.shown]:
            app.digest_now(aid)
        table = app.query_one("#library-table", DataTable)
        await _check_list_keys(pilot, app, table, lambda: table.cursor_row)
        await pilot.press("2")
        sections = app.query_one("#sections", OptionList)
        await _check_list_keys(pilot, app, sections, lambda: sections.highlighted)
        await pilot.press("1", *["space"] * 5, "3")
        picked = app.query_one("#picked", OptionList)
        assert app.focused is picked
        await _check_list_keys(pilot, app, picked, lambda: picked.highlighted)
        await pilot.press("2", "shift+tab")  # the article's text scrolls with the same keys
        text = app.query_one("#source-text", ScrollText)
        assert app.focused is text
        await pilot.press("G")
        assert text.scroll_y == text.max_scroll_y > 0
        await pilot.press("g")
        assert text.scroll_y == 0
        await pilot.press("question_mark")
        help_text = app.screen.query_one(ScrollText)
        await pilot.press("j", "j")
        assert help_text.scroll_y == 2
        await pilot.press("G")
        assert help_text.scroll_y == help_text.max_scroll_y > 0
        await pilot.press("escape", "L", "n", "1", "space", "L")  # a second edition, stored by its pick
        assert isinstance(app.screen, EditionsScreen)
        editions = app.screen.query_one(DataTable)
        await pilot.press("G")
        assert editions.cursor_row == 1
        await pilot.press("g")
        assert editions.cursor_row == 0
        await pilot.press("j")
        assert editions.cursor_row == 1


@sync
async def test_question_mark_and_f1_show_the_help_of_the_current_tab(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for n, (tab, first) in enumerate(
            [
                ("1 Bibliothèque", "Choisir l'article"),
                ("2 Relecture", "Modifier le bloc"),
                ("3 Édition", "Monter l'article"),
                ("4 Aperçu", "Ouvrir le HTML"),
            ],
            1,
        ):
            await pilot.press(str(n), "question_mark" if n % 2 else "f1")
            assert isinstance(app.screen, HelpScreen)
            text = screen_text(app)
            assert f"Aide — {tab}" in text and first in text, text
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)


@sync
async def test_the_help_names_every_action_with_its_key(seeded: Context) -> None:
    from composer.tui.help import help_text
    from tests.tui.conftest import widget_text

    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        text = " ".join(widget_text(app.screen.query_one("#help-text Static"), width=400).split())
        for action in keymap.ACTIONS:
            assert app.t(f"h:{action.id}") in text, action.id
        assert help_text(app, "review") is not None


@sync
async def test_the_palette_holds_every_action_and_runs_one_from_another_tab(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for action in keymap.ACTIONS:
            if action.scope in ("app", "list", *keymap.TABS) and action.id != "app.palette":
                assert app.t(f"h:{action.id}") in titles, action.id
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"modifier le bloc")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.active_tab() == "review")
        await pilot.press("ctrl+p", *"zzzzqqq")
        await pilot.pause(0.8)
        assert "Aucune commande ne correspond" in screen_text(app)
        await pilot.press("escape")


@sync
async def test_ctrl_c_says_how_to_quit_in_the_editor_language(seeded: Context) -> None:
    seeded.settings = type(seeded.settings)(language="en")
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c")
        assert any(n.message == "To quit, press ^q" for n in app._notifications)
        assert app.is_running
