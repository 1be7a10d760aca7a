"""The layout holds at 80×24 and at 200×60: nothing cut, nothing on top of something else.

Checked on every tab and dialog: side by side widgets never overlap (the footer's keys and its
palette key included), every dialog and its buttons sit on screen, frame titles fit their frame,
long titles end with "…", every wrapped line of the review's blocks and of the picked articles
can be seen, and the preview shows the inbox line (sender, subject, preheader) above the message.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widget import Widget
from textual.widgets import Button, OptionList

from composer.pipeline import Context
from composer.tui.app import ComposerApp
from tests.tui.conftest import SEED_004, TODAY, screen_text, sync, wait_for
from tests.tui.test_flows import option_ids

SIZES = [(80, 24, "fr"), (80, 24, "en"), (200, 60, "fr")]


def region_lines(app: ComposerApp, widget: Widget) -> list[str]:
    """What the screen shows inside ``widget``'s content region (by cells: wide characters count two)."""
    region = getattr(widget, "scrollable_content_region", None) or widget.content_region  # not the scrollbar
    out = []
    for line in screen_text(app).splitlines()[region.y : region.bottom]:
        col, kept = 0, []
        for char in line:
            width = cell_len(char)
            if region.x <= col and col + width <= region.right:
                kept.append(char)
            col += width
        out.append("".join(kept))
    return out


def words(text: str) -> str:
    return " ".join(text.split())


def layout_problems(app: ComposerApp) -> list[str]:
    """Siblings that overlap, widgets off screen, frame titles longer than their frame."""
    screen = app.screen
    shown = screen._compositor.visible_widgets
    problems = []
    for widget in (screen, *screen.walk_children(with_self=False)):
        if widget not in shown and widget is not screen:
            continue
        children = [c for c in widget.children if c in shown and c.styles.overlay != "screen"]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                if a.styles.layer == b.styles.layer and a.region.overlaps(b.region):
                    problems.append(f"{a!r} overlaps {b!r}")
        if widget is not screen and widget in shown:
            title = widget.border_title
            if title and cell_len(str(title)) + 4 > widget.region.width:
                problems.append(f"{widget!r}: its frame title is cut")
    for button in screen.query(Button):
        if button in shown and not screen.region.contains_region(button.region):
            problems.append(f"{button!r} is off screen")
    return problems


async def check(pilot: object, app: ComposerApp, where: str, seen: dict[str, list[str]]) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    seen[where] = layout_problems(app)


@pytest.mark.parametrize(("width", "height", "language"), SIZES, ids=lambda v: str(v))
@sync
async def test_nothing_overlaps_or_runs_off_screen(
    seeded: Context, width: int, height: int, language: str
) -> None:
    seeded.settings = type(seeded.settings)(language=language)
    app = ComposerApp(seeded, today=TODAY, background=False)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(width, height)) as pilot:
        for aid in [row.id for row in app.library.shown]:
            app.digest_now(aid)
        await pilot.press(*["space"] * 5)
        await check(pilot, app, "library", seen)
        shown = "\n".join(region_lines(app, app.query_one("#library-table")))
        if width == 80:  # long titles end with "…"
            assert SEED_004 not in shown and SEED_004[:20] in shown and "…" in shown
        else:
            assert SEED_004 in shown
        await pilot.press("2")
        await check(pilot, app, "review", seen)
        await pilot.press("e")
        await check(pilot, app, "edit", seen)
        await pilot.press("escape", "3", "b")
        await wait_for(pilot, lambda: app.built is not None)
        await check(pilot, app, "edition", seen)
        await pilot.press("4")
        await check(pilot, app, "preview", seen)
        for keys, where in (
            (("question_mark",), "help"),
            (("L",), "editions"),
            (("1", "delete"), "remove"),
            (("ctrl+e",), "send"),
            (("ctrl+p",), "palette"),
        ):
            await pilot.press(*keys)
            await wait_for(pilot, lambda: app.screen is not app._base)
            await check(pilot, app, where, seen)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is app._base)
    assert not {k: v for k, v in seen.items() if v}, seen


@pytest.mark.parametrize(("width", "height", "language"), SIZES[:2], ids=lambda v: str(v))
@sync
async def test_every_wrapped_line_of_the_review_and_the_picked_list_shows(
    seeded: Context, width: int, height: int, language: str
) -> None:
    seeded.settings = type(seeded.settings)(language=language)
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(width, height)) as pilot:
        for aid in [row.id for row in app.library.shown]:
            app.digest_now(aid)
        await pilot.press(*["space"] * 5, "2")
        sections = app.query_one("#sections", OptionList)
        for article in range(2):  # the chapô, key points and sections of two articles
            for _ in option_ids(app):
                await pilot.press("j")  # the highlighted block scrolls into view, all of it
                prompt = words(str(sections.get_option_at_index(sections.highlighted or 0).prompt))
                visible = words(" ".join(region_lines(app, sections)))
                assert prompt in visible, (article, prompt[-40:], visible[-200:])
            await pilot.press("n", "g")
        await pilot.press("3")
        picked = app.query_one("#picked", OptionList)
        for index in range(picked.option_count):
            picked.highlighted = index
            await pilot.pause()
            prompt = words(str(picked.get_option_at_index(index).prompt))
            assert prompt in words(" ".join(region_lines(app, picked))), prompt


@sync
async def test_the_preview_shows_the_inbox_line_above_the_message(seeded: Context) -> None:
    app = ComposerApp(seeded, today=TODAY, background=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "3")
        app.query_one("#field-subject").value = "Objet de la semaine"
        app.query_one("#field-preheader").value = "Ce qu'il faut lire avant lundi"
        await pilot.press("4", "b")
        await wait_for(pilot, lambda: app.built is not None)
        inbox, message = app.query_one("#inbox"), app.query_one("#preview-text")
        assert inbox.region.bottom <= message.region.y
        lines = [line.strip() for line in region_lines(app, inbox)]
        assert lines[0].startswith("Composer") and "2024-01-15" in lines[0]  # sender, date
        assert lines[1] == "Objet de la semaine"
        assert lines[2] == "Ce qu'il faut lire avant lundi"
        assert "Boîte de réception" in screen_text(app)
