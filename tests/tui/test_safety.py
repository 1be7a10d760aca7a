"""Safe by default: where keys go is visible, nothing destructive happens on a reflex.

Every pane that takes keys is framed and named, and its frame lights up when it has the focus;
archiving and unpicking are undone with u or ctrl+z (and say so); removing and sending ask, with
"no" as the answer Enter gives; typing in a list changes nothing unless the key is bound; quitting
with an open edit or fields typed a moment ago asks first, staying being the default.
"""

from __future__ import annotations

import string

from textual.widgets import Button, DataTable, Input, TextArea

from composer import library
from composer.edition.edits import edits_for
from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.modals import ConfirmScreen, EditScreen, QuitScreen
from tests.tui.conftest import TODAY, screen_text, sync, wait_for
from tests.tui.test_flows import highlight, messages

MAIN = ("#library-table", "#sections", "#picked", "#preview-text")


@sync
async def test_the_focused_pane_is_framed_named_and_lit(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        lit = app.query_one("#library-table").styles.border_title_background
        assert "─ Articles ─" in screen_text(app)
        for n, selector in enumerate(MAIN, 1):
            await pilot.press(str(n))
            focused = app.query_one(selector)
            assert app.focused is focused
            assert focused.border_title, selector  # the pane says what it is
            assert focused.styles.border_title_background == lit, selector
            for other in ("#source-text", "#field-title", "#preflight-scroll"):
                if app.query_one(other) is not focused:
                    assert app.query_one(other).styles.border_title_background != lit, other
        await pilot.press("3")
        app.query_one("#field-subject", Input).focus()
        await pilot.pause()
        assert app.query_one("#field-subject").styles.border_title_background == lit
        assert app.query_one("#picked").styles.border_title_background != lit


@sync
async def test_archive_is_undone_with_a_notice_and_the_archived_view_restores(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        said = messages(app)
        await pilot.press("space", "space", "up")  # two picks; the cursor on the second
        first, second = app.draft.picks
        await pilot.press("x")  # archived at once, no question...
        assert len(app.library.rows) == 4 and app.draft.picks == [first]
        assert any("archivé" in m and "u annule" in m for m in said)
        await pilot.press("u")  # ...and u brings it back, picked where it was
        assert len(app.library.rows) == 5 and app.draft.picks == [first, second]
        assert any(m.startswith("Annulé : l'archivage") for m in said)
        assert app.library.current_id() == second
        await pilot.press("x", "ctrl+z")  # ctrl+z too
        assert app.draft.picks == [first, second]
        await pilot.press("x", "down", "x")
        assert len(app.library.rows) == 3
        await pilot.press("X")  # the archived articles
        assert app.library.archived_view and len(app.library.shown) == 2
        assert "Articles archivés" in screen_text(app) and "x Restaurer" in screen_text(app)
        await pilot.press("space")  # no picking there: it says to restore first
        assert any("restaure" in m for m in said) and app.draft.picks == [first]
        await pilot.press("x")  # restore
        assert len(app.library.shown) == 1
        assert len(library.article_rows(seeded.store)) == 4
        await pilot.press("u")  # undo the restore: archived again
        assert len(app.library.shown) == 2
        await pilot.press("X")
        assert not app.library.archived_view and len(app.library.shown) == 3


@sync
async def test_unpick_clear_and_pick_all_are_undone(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "space", "3", "down", "space")  # unpick the second
        assert len(app.draft.picks) == 2
        await pilot.press("u")
        assert len(app.draft.picks) == 3
        order = list(app.draft.picks)
        app.clear_picks()
        assert app.draft.picks == []
        await pilot.press("u")
        assert app.draft.picks == order
        assert seeded.store.edition_article_ids(app.draft.edition_id) == order


@sync
async def test_remove_and_send_ask_and_enter_keeps_the_safe_answer(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        assert not isinstance(app.screen, ConfirmScreen) and len(app.library.rows) == 5
        await pilot.press("space", "ctrl+e")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.focused is not None
        )
        assert app.screen.focused is app.screen.query_one("#no", Button)
        await pilot.press("enter")
        assert not isinstance(app.screen, ConfirmScreen)
        assert seeded.store.edition_row(app.draft.edition_id)["status"] == "draft"


@sync
async def test_the_sample_offer_defaults_to_yes(context: Context) -> None:
    app = ComposerApp(context, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.focused is not None
        )
        assert app.screen.focused is app.screen.query_one("#yes", Button)  # nothing to lose


def unbound(app: ComposerApp) -> str:
    """Printable letters and digits no active binding claims."""
    bound = set(app.screen.active_bindings)
    return "".join(c for c in string.ascii_letters + string.digits + ",;:!%*" if c not in bound)


@sync
async def test_typing_in_a_list_changes_nothing_but_what_is_bound(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for aid in [row.id for row in app.library.shown]:
            app.digest_now(aid)
        await pilot.press("space", "space")
        picks, rows = list(app.draft.picks), len(app.library.rows)
        for tab in ("1", "2", "3"):
            await pilot.press(tab)
            focused = app.focused
            letters = unbound(app)
            assert "q" in letters or tab != "1"
            await pilot.press(*letters)
            assert app.draft.picks == picks, tab
            assert len(app.library.rows) == rows and app.focused is focused and app.screen is app._base
            assert edits_for(seeded.store, app.draft.edition_id) == {}


@sync
async def test_quitting_with_an_open_edit_asks_and_stays_by_default(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "up", "2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        highlight(app, "neutral:h")
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+q")  # nothing typed yet: nothing to lose, but the dialog is open
        assert not app.is_running
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        highlight(app, "neutral:h")
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "Le texte de la rédaction."
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        assert "Point de vue neutre" in screen_text(app) and "n'est pas enregistré" in screen_text(app)
        await pilot.press("enter")  # the focused answer: stay
        assert isinstance(app.screen, EditScreen) and app.is_running
        await pilot.press("ctrl+q", "s")  # save and quit
        await wait_for(pilot, lambda: not app.is_running)
    aid = app.current_id
    assert (
        edits_for(seeded.store, app.draft.edition_id)[(aid, "neutral")].edited == "Le texte de la rédaction."
    )


@sync
async def test_quitting_right_after_typing_a_field_asks_and_discard_keeps_the_stored_value(
    seeded: Context,
) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    # Quitting must come before the typing pause stores the field; on a loaded machine five
    # keys can take longer than the real half second, so the pause is made long here.
    app.FIELD_SAVE_DELAY = 60.0
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3")
        app.query_one("#field-subject", Input).focus()
        await pilot.press(*"Objet", "ctrl+q")  # before the typing pause stores the field
        assert isinstance(app.screen, QuitScreen)
        assert "pas encore enregistrés" in screen_text(app)
        await pilot.press("escape")  # stay
        assert app.is_running and not isinstance(app.screen, QuitScreen)
        await pilot.press(*" neuf", "ctrl+q", "d")  # quit without saving
        await wait_for(pilot, lambda: not app.is_running)
    row = seeded.store.edition_row(app.draft.edition_id)
    assert row["subject"] in ("", "Objet")  # what was stored before, never the unsaved words
    assert row["subject"] != "Objet neuf"


@sync
async def test_remove_is_confirmed_then_gone_for_good(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#library-table", DataTable)
        await pilot.press("delete", "y")
        assert table.row_count == 4 and len(seeded.store.articles(include_archived=True)) == 4
