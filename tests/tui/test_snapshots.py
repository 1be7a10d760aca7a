"""Snapshot tests at 80×24 with the date pinned, in French and in English: the screen as text.

pytest-textual-snapshot pins pytest 8.4 and this project runs pytest 9, so the screen is
exported as plain text (what ``tmux capture-pane`` shows) and compared with
``tests/tui/golden/<language>-<screen>.txt``.  A missing golden file fails; golden files are
written only by an explicit ``UPDATE_GOLDEN=1 pytest tests/tui/test_snapshots.py`` — then review
the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from composer.pipeline import Context
from composer.tui.app import ComposerApp
from tests.tui.conftest import TODAY, screen_text, sync, wait_for

GOLDEN = Path(__file__).resolve().parent / "golden"
SCREENS = ("library", "review", "edition", "preview", "help", "palette", "remove")


def _check(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__} and review it"
    assert text + "\n" == path.read_text(encoding="utf-8"), f"screen differs from {path}"


async def _settle(pilot, app: ComposerApp) -> None:  # type: ignore[no-untyped-def]
    """Let the tab underline finish sliding and drop the toasts: a screen caught mid-way is not it."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    app.clear_notifications()
    await pilot.pause()


async def _screens(seeded: Context, language: str) -> dict[str, str]:
    seeded.settings = type(seeded.settings)(language=language)
    app = ComposerApp(seeded, today=TODAY, background=False)
    shots: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        app.sub_title = "ws"  # the temporary path differs per run
        for aid in [row.id for row in app.library.shown]:
            app.digest_now(aid)
        await pilot.press("space", "space")
        await _settle(pilot, app)
        shots["library"] = screen_text(app)
        await pilot.press("2", "n")
        await _settle(pilot, app)
        shots["review"] = screen_text(app)
        await pilot.press("3", "b")
        await wait_for(pilot, lambda: app.built is not None)
        await _settle(pilot, app)
        shots["edition"] = screen_text(app)
        await pilot.press("4")
        await _settle(pilot, app)
        shots["preview"] = screen_text(app)
        await pilot.press("1", "question_mark")
        await _settle(pilot, app)
        shots["help"] = screen_text(app)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause(0.3)
        await _settle(pilot, app)
        shots["palette"] = screen_text(app)
        await pilot.press("escape", "delete")
        await _settle(pilot, app)
        shots["remove"] = screen_text(app)
    return shots


@pytest.mark.parametrize("language", ["fr", "en"])
@sync
async def test_screens_match_golden(seeded: Context, language: str) -> None:
    shots = await _screens(seeded, language)
    assert set(shots) == set(SCREENS)
    for name, text in shots.items():
        _check(f"{language}-{name}", text)


def test_a_missing_golden_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    monkeypatch.setattr(f"{__name__}.GOLDEN", tmp_path)
    with pytest.raises(AssertionError, match="is missing"):
        _check("fr-nowhere", "a screen")
    assert not (tmp_path / "fr-nowhere.txt").exists()  # and nothing was written for it
