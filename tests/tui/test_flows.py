"""The editor's flows, driven with Textual's Pilot on a real workspace."""

from __future__ import annotations

import email
import email.policy
import mailbox

from textual.widgets import DataTable, Input, OptionList, TextArea

from composer import subscribers
from composer.edition.edits import edits_for
from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.modals import ConfirmScreen, EditScreen, HelpScreen, SendScreen
from tests.tui.conftest import SEED_004, TODAY, screen_text, sync, wait_for


@sync
async def test_library_lists_filters_and_picks_two(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one("#library-table", DataTable)
        assert table.row_count == 5
        assert "OpenAI promet des profit" in screen_text(app)
        await pilot.press("space", "space")
        assert len(app.draft.picks) == 2
        assert seeded.store.edition_article_ids(app.draft.edition_id) == app.draft.picks
        assert "2 choisis" in screen_text(app)
        await pilot.press("slash", *"défense")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert app.library.shown[0].title == SEED_004
        await pilot.press("escape")  # clears the filter
        await wait_for(pilot, lambda: table.row_count == 5)


@sync
async def test_reorder_in_the_edition_tab(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "3")
        first, second = app.draft.picks
        assert app.focused is app.query_one("#picked")
        await pilot.press("shift+down")
        assert app.draft.picks == [second, first]
        assert seeded.store.edition_article_ids(app.draft.edition_id) == [second, first]
        await pilot.press("K")
        assert app.draft.picks == [first, second]


@sync
async def test_review_jumps_to_the_source_and_switches_method(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        options = app.query_one("#sections", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert "optimistic:h" in ids and "chapo:h" in ids
        source = next(i for i in ids if i and i.startswith("recap:") and i[-1].isdigit())
        options.highlighted = ids.index(source)
        await pilot.press("enter")
        item = app.current_item()
        assert item is not None
        part = next(p for s in item.sections if s.kind == "recap" for p in s.parts if p.kind == "source")
        assert app.review._target == (part.start, part.end)
        await pilot.press("m")
        await wait_for(pilot, lambda: (app.current_item() or item).digest.method == "lead")
        assert app.choices[item.article.id].method == "lead"
        await pilot.press("plus", "plus")
        await wait_for(
            pilot, lambda: app.current_item() is not None and app.choice(item.article.id).sentences == 2
        )


@sync
async def test_edit_a_section_keeps_the_original_and_undo_works(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "up", "2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        options = app.query_one("#sections", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("pessimistic:h")
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        area = app.screen.query_one(TextArea)
        area.text = "Rien d'inquiétant selon la rédaction."
        await pilot.press("ctrl+s")
        aid = app.current_id
        stored = edits_for(seeded.store, app.draft.edition_id)[(aid, "pessimistic")]
        assert stored.edited == "Rien d'inquiétant selon la rédaction."
        assert stored.original and stored.original != stored.edited
        assert "modifié" in screen_text(app)
        await pilot.press("ctrl+z")
        assert edits_for(seeded.store, app.draft.edition_id) == {}
        await pilot.press("ctrl+z")  # nothing left: a notification, no error
        options.highlighted = ids.index("pessimistic:h")
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "Rien d'inquiétant selon la rédaction."
        await pilot.press("ctrl+s", "ctrl+b")
        await wait_for(pilot, lambda: app.built is not None)
        assert "Rien d'inquiétant selon la rédaction. (modifié par la rédaction)" in " ".join(
            app.built.rendered.text.split()
        )


@sync
async def test_build_preview_and_send_to_the_outbox(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "3")
        title = app.query_one("#field-title", Input)
        title.focus()
        title.value = ""
        await pilot.press(*"Édition de test", "escape")
        assert app.focused is app.query_one("#picked")  # escape leaves the field: keys are commands again
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: app.built is not None)
        assert "Vérifications" in screen_text(app) and "Partie texte brut" in screen_text(app)
        await pilot.press("4")
        assert "ÉDITION DE TEST" in app.query_one("#preview-text", TextArea).text.upper()
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "3 abonné(s)" in screen_text(app) and "outbox" in screen_text(app)
        edition_id = app.draft.edition_id
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SendScreen) and app.screen.done)
        assert "3 envoyé(s)" in screen_text(app)
        await pilot.press("escape")
        assert app.draft.edition_id != edition_id and app.draft.picks == []
        assert app.query_one("#field-title", Input).value == app.draft.title != "Édition de test"
    box = mailbox.Maildir(seeded.workspace.outbox, create=False)
    policy = email.policy.default
    messages = [email.message_from_bytes(box.get_bytes(k), policy=policy) for k in box.iterkeys()]
    assert len(messages) == 3
    assert {m["To"].addresses[0].addr_spec for m in messages} == {
        s.email for s in subscribers.listing(seeded.store)
    }
    assert all(m["Subject"] == "Édition de test" for m in messages)
    assert seeded.store.edition_row(edition_id)["status"] == "sent"


@sync
async def test_send_a_test_copy(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "4", "t", *"proof@example.org", "enter")
        box = mailbox.Maildir(seeded.workspace.outbox, create=True)
        await wait_for(pilot, lambda: len(box) == 1)
        message = email.message_from_bytes(box.get_bytes(next(box.iterkeys())), policy=email.policy.default)
        assert message["To"] == "proof@example.org" and message["Subject"].startswith("[TEST] ")
        app.query_one("#test-address", Input).value = ""
        await pilot.press(*"pas une adresse", "enter")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))


@sync
async def test_errors_are_notifications_not_tracebacks(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"/nonexistent/article.txt", "enter")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        message = next(n.message for n in app._notifications if n.severity == "error")
        assert "/nonexistent/article.txt" in message
        await pilot.press("ctrl+e")  # nothing picked: told so
        assert any("Choisissez" in n.message for n in app._notifications)
        assert app.is_running


@sync
async def test_archive_and_remove(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "up", "x")
        assert app.library.shown and len(app.library.rows) == 4 and app.draft.picks == []
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        assert len(app.library.rows) == 3
        assert len(seeded.store.articles(include_archived=True)) == 4


@sync
async def test_empty_workspace_offers_the_samples(context: Context) -> None:
    app = ComposerApp(context, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(app.library.rows) == 5)
        assert len(subscribers.listing(context.store)) == 3


@sync
async def test_help_theme_and_english(seeded: Context) -> None:
    seeded.settings = type(seeded.settings)(language="en")
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "1 Library" in text and "Pick" in text and "Quit" in text
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "Quit" in screen_text(app) and "Pick" in screen_text(app)
        await pilot.press("escape")
        dark = app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark is not dark


@sync
async def test_draft_survives_a_restart(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space")
        picks = list(app.draft.picks)
    again = ComposerApp(seeded, today=TODAY, background=False)
    async with again.run_test(size=(80, 24)):
        assert again.draft.picks == picks


@sync
async def test_mark_ready_hands_the_edition_to_the_weekly_send(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "space", "ctrl+r")
        await wait_for(pilot, lambda: app.built is not None)
        await wait_for(pilot, lambda: seeded.store.edition_row(app.built.edition.id)["status"] == "ready")
    from composer.weekly import _choose_edition, weekly_logger

    assert _choose_edition(seeded, weekly_logger(seeded), TODAY) == app.built.edition.id
