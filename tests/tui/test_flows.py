"""The editor's flows, driven with Textual's Pilot on a real workspace."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re

from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from composer import subscribers
from composer.edition.edits import edits_for
from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.modals import ConfirmScreen, EditionsScreen, EditScreen, HelpScreen, SendScreen
from tests.tui.conftest import SEED_004, TODAY, screen_text, sync, wait_for, widget_text


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
        assert app.draft.picks  # the pick before the edit is the next step back, not undone with it
        options.highlighted = ids.index("pessimistic:h")
        await pilot.press("e")
        app.screen.query_one(TextArea).text = "Rien d'inquiétant selon la rédaction."
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("b")
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
        await pilot.press("b")
        await wait_for(pilot, lambda: app.built is not None)
        assert "Vérifications" in screen_text(app) and "✗ Expéditeur : l'adresse" in screen_text(app)
        # The checklist scrolls at 80×24: every check is in it, the first ones on screen.
        assert "Partie texte brut" in widget_text(app.query_one("#preflight", Static))
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
        assert "Help — 1 Library" in screen_text(app) and "Pick the article" in screen_text(app)
        await pilot.press("G")  # the end of the help: the other tabs, then where the keys live
        await pilot.pause()
        assert "config.toml" in screen_text(app)
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


# -- review: every block editable, droppable, revertible; next/previous article --------------


def messages(app: ComposerApp) -> list[str]:
    """Every notification the app shows from now on (kept: a slow machine lets them expire)."""
    said: list[str] = []
    notify = app.notify

    def record(message: str, *args: object, **kwargs: object) -> None:
        said.append(str(message))
        notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    return said


async def to_review(app: ComposerApp, pilot: object) -> None:
    """Open the review tab and check its list has the focus, so the review keys apply."""
    await pilot.press("2")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: app.focused is app.query_one("#sections"))


def option_ids(app: ComposerApp) -> list[str]:
    """The ids of the review tab's lines, read fresh (an edit adds or removes lines)."""
    options = app.query_one("#sections", OptionList)
    return [options.get_option_at_index(i).id or "" for i in range(options.option_count)]


def highlight(app: ComposerApp, option_id: str) -> None:
    """Put the review cursor on a line."""
    app.query_one("#sections", OptionList).highlighted = option_ids(app).index(option_id)


@sync
async def test_chapo_and_essentiel_are_edited_marked_and_reverted(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "up", "2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        aid = app.current_id
        highlight(app, "chapo:0")
        assert app.review.selected_kind() == "chapo"
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        app.screen.query_one(TextArea).text = "Un chapô écrit par la rédaction."
        await pilot.press("ctrl+s")
        edit = edits_for(seeded.store, app.draft.edition_id)[(aid, "chapo")]
        assert edit.edited == "Un chapô écrit par la rédaction."
        assert edit.original == app.current_item().digest.summary_text  # the original is kept
        ids = option_ids(app)
        assert "chapo:note" in ids  # the edit note, as the newsletter prints it
        text = screen_text(app)
        assert "Un chapô écrit par la rédaction." in text and "modifié" in text
        highlight(app, "key:h")
        assert app.review.selected_kind() == "essentiel"
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen) and "une puce par ligne" in app.screen.title_text
        app.screen.query_one(TextArea).text = "Premier point.\nSecond point."
        await pilot.press("ctrl+s")
        assert edits_for(seeded.store, app.draft.edition_id)[(aid, "essentiel")].edited == (
            "Premier point.\nSecond point."
        )
        assert "• Premier point." in screen_text(app) and "• Second point." in screen_text(app)
        highlight(app, "chapo:h")
        await pilot.press("r")  # revert: composer's chapô is back
        assert (aid, "chapo") not in edits_for(seeded.store, app.draft.edition_id)
        assert "Un chapô écrit par la rédaction." not in screen_text(app)
        await pilot.press("ctrl+z")  # undo the revert: the editor's chapô is back
        assert (aid, "chapo") in edits_for(seeded.store, app.draft.edition_id)
        await pilot.press("b")
        await wait_for(pilot, lambda: app.built is not None)
        text = " ".join(app.built.rendered.text.split())
        assert "Un chapô écrit par la rédaction. (modifié par la rédaction)" in text
        assert "* Premier point." in text and "* Second point." in text


@sync
async def test_dropping_a_block_strikes_it_and_revert_or_undo_restores_it(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "up", "2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        aid = app.current_id
        item = app.current_item()
        heading = next(s.heading for s in item.sections if s.kind == "example")
        highlight(app, "example:h")
        await pilot.press("d")
        edit = edits_for(seeded.store, app.draft.edition_id)[(aid, "example")]
        assert edit.edited == "" and edit.original == next(
            s.text for s in item.sections if s.kind == "example"
        )
        assert "(retiré)" in screen_text(app)
        await pilot.press("b")
        await wait_for(pilot, lambda: app.built is not None)
        assert heading.upper() not in app.built.rendered.text  # dropped from the newsletter
        assert app.built.edition.items[0].sections and all(
            s.kind != "example" for s in app.built.edition.items[0].sections
        )
        highlight(app, "example:h")
        await pilot.press("r")
        assert edits_for(seeded.store, app.draft.edition_id) == {}
        assert "(retiré)" not in screen_text(app)
        await pilot.press("ctrl+z")  # the drop again
        assert edits_for(seeded.store, app.draft.edition_id)[(aid, "example")].edited == ""
        await pilot.press("ctrl+z")  # and no drop
        assert edits_for(seeded.store, app.draft.edition_id) == {}
        highlight(app, "chapo:h")
        await pilot.press("d")  # the chapô can go too
        assert edits_for(seeded.store, app.draft.edition_id)[(aid, "chapo")].edited == ""
        app.built = None
        await pilot.press("b")
        await wait_for(pilot, lambda: app.built is not None)
        assert app.built.edition.items[0].digest.summary == ()
        highlight(app, "chapo:h")
        await pilot.press("d")  # d again on a dropped block restores it
        assert edits_for(seeded.store, app.draft.edition_id) == {}


@sync
async def test_next_and_previous_article_follow_the_picks_then_the_library(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(100, 30)) as pilot:
        said = messages(app)
        await wait_for(pilot, lambda: app.current_id is not None)
        await to_review(app, pilot)
        await pilot.press("n")  # nothing picked: the library order
        shown = [row.id for row in app.library.shown]
        assert app.current_id == shown[1]
        await pilot.press("p")
        assert app.current_id == shown[0]
        await pilot.press("1", "down", "down", "space", "up", "up", "up", "space")
        first, second = app.draft.picks  # picked in that order: third row, then first row
        assert (first, second) == (shown[2], shown[0])
        await wait_for(pilot, lambda: app.current_id == app.library.current_id() == shown[1])
        await to_review(app, pilot)
        await pilot.press("n")  # the cursor is on an unpicked row: the first pick
        assert app.current_id == first and app.library.current_id() == first
        assert "1/2" in screen_text(app)
        await pilot.press("n")
        assert app.current_id == second and app.library.current_id() == second
        assert "2/2" in screen_text(app)
        await pilot.press("n")  # the last one: said so, nothing moves
        assert app.current_id == second
        assert any("dernier" in message for message in said)
        await pilot.press("p")
        assert app.current_id == first and app.library.current_id() == first


# -- editions: the list, ready is read-only, unready, a new draft ----------------------------


@sync
async def test_ready_edition_is_listed_after_a_restart_and_can_be_taken_back(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "space", "ctrl+r")
        await wait_for(pilot, lambda: seeded.store.edition_row(app.draft.edition_id)["status"] == "ready")
        ready_id, picks = app.draft.edition_id, list(app.draft.picks)
        said = messages(app)
        await pilot.press("space")  # a ready edition does not change: told so
        assert app.draft.picks == picks and seeded.store.edition_article_ids(ready_id) == picks
        assert any("reprendre en brouillon" in message for message in said)
        await pilot.press("2")
        await wait_for(pilot, lambda: app.current_item() is not None)
        highlight(app, "recap:h")
        await pilot.press("e")  # nor do its blocks
        assert not isinstance(app.screen, EditScreen)
        await pilot.press("d")
        assert edits_for(seeded.store, ready_id) == {}
        await pilot.press("3")
        assert f"Édition {ready_id} · prête" in screen_text(app)
        assert app.query_one("#field-subject", Input).disabled
    again = ComposerApp(seeded, today=TODAY, background=False)
    async with again.run_test(size=(100, 30)) as pilot:
        assert again.draft.edition_id == "" and again.draft.picks == []  # a new draft
        await pilot.press("L")
        assert isinstance(again.screen, EditionsScreen)
        text = screen_text(again)
        assert ready_id in text and "prête" in text
        await pilot.press("u")
        assert seeded.store.edition_row(ready_id)["status"] == "draft"
        assert again.draft.edition_id == ready_id and again.draft.picks == picks
        await pilot.press("3")
        assert f"Édition {ready_id} · brouillon" in screen_text(again)
        await pilot.press("1", "space")  # editable again: the article under the cursor is unpicked
        assert seeded.store.edition_article_ids(ready_id) == again.draft.picks != picks


@sync
async def test_editions_list_opens_a_draft_and_starts_a_new_one(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        first_id, first_picks = app.draft.edition_id, list(app.draft.picks)
        await pilot.press("L", "n")  # a new edition; the first one stays a draft
        assert not isinstance(app.screen, EditionsScreen)
        assert app.draft.edition_id == "" and app.draft.picks == []
        await pilot.press("space", "space")
        second_id = app.draft.edition_id
        assert second_id and second_id != first_id
        await pilot.press("L")
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        table.move_cursor(row=table.get_row_index(first_id))
        await pilot.press("enter")
        assert app.draft.edition_id == first_id and app.draft.picks == first_picks
        listed = {row["id"]: row["status"] for row in seeded.store.edition_listing()}
        assert listed == {first_id: "draft", second_id: "draft"}
        await pilot.press("L", "escape")
        assert app.draft.edition_id == first_id


# -- the edition's fields: paragraphs survive, a build never overwrites what was typed ---------


@sync
async def test_introduction_paragraphs_survive_a_restart_and_reach_the_email(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "3")
        app.query_one("#field-introduction", TextArea).focus()
        await pilot.press(*"Premier paragraphe.", "enter", "enter", *"Second paragraphe.")
        # quit at once: the half-second save timer has not fired, quitting stores the fields
    expected = "Premier paragraphe.\n\nSecond paragraphe."
    assert seeded.store.edition_row(app.draft.edition_id)["introduction"] == expected
    again = ComposerApp(seeded, today=TODAY, background=False)
    async with again.run_test(size=(100, 30)) as pilot:
        assert again.query_one("#field-introduction", TextArea).text == expected
        await pilot.press("b")
        await wait_for(pilot, lambda: again.built is not None)
        assert "Premier paragraphe.\n\nSecond paragraphe." in again.built.rendered.text
        html = again.built.rendered.html
        assert re.search(r"<p[^>]*>Premier paragraphe.</p>\s*<p[^>]*>Second paragraphe.</p>", html), html


@sync
async def test_build_never_overwrites_the_typed_subject_or_preheader(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "3")
        app.query_one("#field-subject", Input).focus()
        await pilot.press(*"Mon objet", "escape", "b")  # built before the save timer fires
        await wait_for(pilot, lambda: app.built is not None)
        row = seeded.store.edition_row(app.draft.edition_id)
        assert (row["subject"], row["preheader"]) == ("Mon objet", "")  # empty stays automatic
        assert app.built.rendered.subject == "Mon objet"
        assert app.built.edition.preheader  # filled in for the email, not stored
        assert app.query_one("#field-subject", Input).value == "Mon objet"
        assert app.query_one("#field-preheader", Input).value == ""
        app.query_one("#field-preheader", Input).focus()
        await pilot.press(*"Mon pré-en-tête", "escape")
        app.built = None
        await pilot.press("b")
        await wait_for(pilot, lambda: app.built is not None)
        row = seeded.store.edition_row(app.draft.edition_id)
        assert (row["subject"], row["preheader"]) == ("Mon objet", "Mon pré-en-tête")
        assert app.built.rendered.preheader == "Mon pré-en-tête"
        assert app.query_one("#field-subject", Input).value == "Mon objet"
