"""The real editor in a real terminal: started under tmux, driven with keys, quit with ctrl+q.

Textual draws on the terminal tmux gives it, so nothing is redirected; the test reads the
screen with ``tmux capture-pane -p`` as a person would see it.
"""

from __future__ import annotations

import mailbox
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.pipeline import Context

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None and not os.environ.get("CI"),
    reason="tmux is not installed (CI installs it; apt-get install tmux to run this here)",
)


class Terminal:
    """A tmux session running one command at 80×24."""

    def __init__(self, command: str) -> None:
        self.name = f"composer-test-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", command], check=True
        )

    def keys(self, *keys: str) -> None:
        """Type keys (tmux names: Space, Enter, Escape, C-q, S-Down…)."""
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        """What the terminal shows now."""
        result = subprocess.run(
            ["tmux", "capture-pane", "-t", self.name, "-p"], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        """Wait until ``text`` is on screen; fail with the screen if it never comes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        """Kill the session (the editor is normally gone already)."""
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def terminal_for(seeded: Context) -> Iterator[object]:
    """Start ``composer`` on the seeded workspace in tmux; yields (terminal, exit-status file)."""
    terminals: list[Terminal] = []
    status = seeded.workspace.root / "exit-status"
    seeded.close()  # the editor opens the workspace itself

    def start() -> tuple[Terminal, Path]:
        env = "env -u COMPOSER_HOME -u COMPOSER_TRANSPORT"
        command = (
            f"{env} {sys.executable} -m composer.cli --workspace {seeded.workspace.root}; echo $? > {status}"
        )
        terminal = Terminal(command)
        terminals.append(terminal)
        return terminal, status

    yield start
    for terminal in terminals:
        terminal.close()


def test_editor_in_tmux_picks_builds_sends_and_quits(terminal_for: object, seeded: Context) -> None:
    terminal, status = terminal_for()  # type: ignore[operator]
    terminal.wait_for("OpenAI promet des profit")
    terminal.wait_for("Quitter")
    terminal.keys("Space", "Space")
    terminal.keys("C-e")  # typed at once: keys run in order
    terminal.wait_for("3 abonné(s)")
    terminal.keys("y")
    terminal.wait_for("Terminé : 3 envoyé(s)")
    terminal.keys("Escape")
    terminal.wait_for("0 choisis")
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == "0"
    assert len(mailbox.Maildir(seeded.workspace.outbox, create=False)) == 3
