"""Fixtures for the editor's tests: a seeded workspace and a helper to read the screen as text."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from composer.pipeline import Context, add_sources, open_context

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TODAY = date(2024, 1, 15)
SEED_004 = "OpenAI signe un contrat de 200M$ avec la Défense US"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Context]:
    """A workspace holding the five sample articles and the three sample subscribers."""
    from composer import subscribers

    for var in list(os.environ):
        if var.startswith("COMPOSER_"):
            monkeypatch.delenv(var)
    ctx = open_context(tmp_path / "ws", environ={})
    add_sources(ctx, [str(p) for p in sorted(SEEDS.glob("*.txt"))])
    subscribers.import_csv(ctx.store, SEEDS / "subscribers.csv")
    yield ctx
    ctx.close()


def screen_text(app: object) -> str:
    """The screen as plain text, the way ``tmux capture-pane`` would show it."""
    from rich.console import Console

    width, height = app.size  # type: ignore[attr-defined]
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True)
    render = app.screen._compositor.render_update(  # type: ignore[attr-defined]
        full=True,
        screen_stack=app._background_screens,
        simplify=True,  # type: ignore[attr-defined]
    )
    console.print(render)
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines())


def widget_text(widget: object, width: int = 200) -> str:
    """A Static's content as plain text, whatever it holds (text, a table, a group of lines)."""
    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), force_terminal=False, record=True)
    console.print(widget.content)  # type: ignore[attr-defined]
    return console.export_text(styles=False)


async def wait_for(pilot: object, condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Let the app run until ``condition()`` is true (workers finish in their own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)  # type: ignore[attr-defined]


Waiter = Callable[[object, Callable[[], object], float], Awaitable[None]]


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio.run (no pytest-asyncio plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run
