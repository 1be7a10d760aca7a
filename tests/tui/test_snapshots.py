"""Snapshot tests at 80×24 with the date pinned: the screen as text against golden files.

pytest-textual-snapshot pins pytest 8.4 and this project runs pytest 9, so the screen is
exported as plain text (what ``tmux capture-pane`` shows) and compared with
``tests/tui/golden/*.txt``.  Regenerate after an intended change with
``UPDATE_GOLDEN=1 pytest tests/tui/test_snapshots.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

from composer.pipeline import Context
from composer.tui.app import ComposerApp
from composer.tui.i18n import LABELS
from tests.tui.conftest import TODAY, screen_text, sync

GOLDEN = Path(__file__).resolve().parent / "golden"


def _check(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__} and review it"
    assert text + "\n" == path.read_text(encoding="utf-8"), f"screen differs from {path}"


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let the tab underline finish sliding: a screen caught mid-animation is not the screen."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _screens(seeded: Context) -> dict[str, str]:
    app = ComposerApp(seeded, today=TODAY, background=False)
    shots: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        app.sub_title = "ws"  # the temporary path differs per run
        await pilot.press("space", "space")
        await _settle(pilot)
        shots["library"] = screen_text(app)
        await pilot.press("3")
        await _settle(pilot)
        shots["edition"] = screen_text(app)
        await pilot.press("f1")
        await _settle(pilot)
        shots["help"] = screen_text(app)
    return shots


@sync
async def test_screens_match_golden(seeded: Context) -> None:
    for name, text in (await _screens(seeded)).items():
        _check(name, text)


def test_both_languages_have_every_label() -> None:
    assert set(LABELS["fr"]) == set(LABELS["en"])
