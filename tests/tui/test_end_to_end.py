"""From the editor to the readers: what is edited in the TUI is what cron sends, once.

The editor picks, rewrites and drops blocks with Textual's own test driver on a real workspace,
marks the edition ready and quits; then ``composer weekly`` runs as cron runs it (a separate
process, bare environment, no HOME, no stdin) and the Maildir outbox is read back with the
email package: both parts of every message, and the archive page, carry the editor's text.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from textual.widgets import OptionList, TextArea

from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.modals import EditScreen
from tests.tui.conftest import TODAY, sync, wait_for

SECTION_TEXT = "Texte revu par la rédaction pour le test de bout en bout"
CHAPO_TEXT = "Chapô réécrit par la rédaction pour ce numéro"


def words(text: str) -> str:
    """White space folded: the text part is wrapped at 72 columns, the HTML is indented."""
    return " ".join(text.split())


def cron(workspace: Path) -> subprocess.CompletedProcess[str]:
    """`composer weekly` as cron runs it: only PATH and COMPOSER_* variables, no HOME, no terminal."""
    env = {k: v for k, v in os.environ.items() if k == "PATH" or k.startswith("COMPOSER_")}
    return subprocess.run(
        [sys.executable, "-m", "composer.cli", "weekly", "--workspace", str(workspace)],
        env=env,
        cwd="/",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def edit_block(app: ComposerApp, pilot: object, option_id: str, text: str) -> None:
    """Open a block of the review tab in the editor, replace its text by typing, save with ctrl+s."""
    options = app.query_one("#sections", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(option_id)
    await pilot.press("e")  # type: ignore[attr-defined]
    assert isinstance(app.screen, EditScreen)
    app.screen.query_one(TextArea).clear()
    await pilot.press(*text, "ctrl+s")  # type: ignore[attr-defined]
    assert not isinstance(app.screen, EditScreen)


def article_parts(message: EmailMessage) -> tuple[list[str], list[str]]:
    """Each article's stretch of the text part and of the HTML part, in edition order."""
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    # Articles are separated by a rule of dashes in the text part, by one table cell in the HTML.
    text_parts = re.split(r"^-{72}$", text, flags=re.MULTILINE)[1:-1]
    html_parts = html.split('<td class="article"')[1:]
    return text_parts, html_parts


@sync
async def test_edits_made_in_the_editor_are_what_cron_sends_once(seeded: Context) -> None:
    workspace = seeded.workspace.root
    app = ComposerApp(seeded, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space", "space", "2")  # pick two, review the first one
        await wait_for(pilot, lambda: app.focused is app.query_one("#sections"))
        await pilot.press("n")
        first, second = app.draft.picks
        assert app.current_id == first
        await wait_for(pilot, lambda: app.current_item() is not None)
        await edit_block(app, pilot, "neutral:h", SECTION_TEXT)
        await edit_block(app, pilot, "chapo:h", CHAPO_TEXT)
        await pilot.press("n")  # the second pick
        assert app.current_id == second
        await wait_for(pilot, lambda: app.current_item() is not None)
        dropped = next(s for s in app.current_item().sections if s.kind == "pessimistic")
        options = app.query_one("#sections", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("pessimistic:h")
        await pilot.press("d")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: seeded.store.latest_edition(("ready",)) is not None)
        edition_id = app.draft.edition_id
        await pilot.press("ctrl+q")
    assert seeded.store.edition_row(edition_id)["status"] == "ready"
    archive = workspace / "editions" / f"{edition_id}.html"
    archive.unlink(missing_ok=True)  # the send writes the archive page itself

    sent = cron(workspace)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith(f"sent\t{edition_id}"), sent.stdout + sent.stderr
    assert "Traceback" not in sent.stderr
    outbox = workspace / "outbox" / "new"
    files = sorted(outbox.iterdir())
    assert len(files) == 3  # the three sample subscribers
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        (text_first, text_second), (html_first, html_second) = article_parts(message)
        for part in (text_first, html_first):
            assert SECTION_TEXT in words(part) and CHAPO_TEXT in words(part)
            assert "(modifié par la rédaction)" in words(part)
        assert dropped.heading.upper() in text_first and "section-pessimistic" in html_first
        assert dropped.heading.upper() not in text_second and "section-pessimistic" not in html_second
        assert SECTION_TEXT not in words(text_second)
    assert SECTION_TEXT in words(archive.read_text(encoding="utf-8"))
    assert CHAPO_TEXT in words(archive.read_text(encoding="utf-8"))

    again = cron(workspace)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("already-sent"), again.stdout + again.stderr
    assert sorted(outbox.iterdir()) == files  # nothing sent twice
