"""The real editor in a real terminal: started under tmux, driven with keys, quit with ctrl+q.

One test walks a whole edition, from the first pick to the send into the workspace's outbox.

Textual draws on the terminal tmux gives it, so nothing is redirected; the test reads the
screen with ``tmux capture-pane -p`` as a person would see it.
"""

from __future__ import annotations

import email
import email.policy
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
def terminal_for(seeded: Context, tmp_path: Path) -> Iterator[object]:
    """Start ``composer`` on the seeded workspace in tmux; yields (terminal, exit-status file).

    The editor reads its key file from ``$XDG_CONFIG_HOME``: a temporary one, written here.
    """
    terminals: list[Terminal] = []
    status = seeded.workspace.root / "exit-status"
    config = tmp_path / "xdg"
    (config / "composer").mkdir(parents=True)
    # A second build key, to show the editor in a real terminal reads the user's key file.
    (config / "composer" / "config.toml").write_text('[keys]\napp.build = ["b", "f5"]\n', encoding="utf-8")
    seeded.close()  # the editor opens the workspace itself

    def start() -> tuple[Terminal, Path]:
        env = f"env -u COMPOSER_HOME -u COMPOSER_TRANSPORT XDG_CONFIG_HOME={config}"
        command = (
            f"{env} {sys.executable} -m composer.cli --workspace {seeded.workspace.root}; echo $? > {status}"
        )
        terminal = Terminal(command)
        terminals.append(terminal)
        return terminal, status

    yield start
    for terminal in terminals:
        terminal.close()


def test_a_whole_edition_from_pick_to_send_in_tmux(terminal_for: object, seeded: Context) -> None:
    """Pick, reorder, edit a chapô, type the subject, build, preview, send (Enter first: it cancels)."""
    terminal, status = terminal_for()  # type: ignore[operator]
    terminal.wait_for("OpenAI promet des profit")
    terminal.wait_for("Quitter")
    terminal.keys("Space", "Space")  # the first two articles
    terminal.wait_for("2 choisis")
    terminal.keys("3")  # the edition: the picked list has the focus
    terminal.wait_for("Articles (⇧↑ ⇧↓ déplacent)")
    terminal.keys("J")  # the first pick goes second
    terminal.wait_for("1. OpenAI vise 20 milliards")
    terminal.keys("2", "n")  # review the edition's first article
    terminal.wait_for("1/2 OpenAI vise 20 milliards")
    terminal.wait_for("[phrase")
    terminal.keys("g")  # the cursor on its chapô
    terminal.keys("e")
    terminal.wait_for("Modifier « Chapô »")
    terminal.keys(" Ajout de la rédaction.")
    terminal.wait_for("rédaction.")
    terminal.keys("C-s")
    terminal.wait_for("modifié")
    terminal.keys("3")
    terminal.wait_for("espace Retirer")  # the picked list has the focus (its key is in the footer)
    # Textual hands every key of a burst to the widget focused when the burst arrives: wait for
    # each move of the focus to show before typing at its new place, as the eye would.
    terminal.keys("BTab", "BTab", "BTab")  # from the list back up to the subject field
    terminal.wait_for("f1 Aide")  # in a text field "?" types itself: the footer offers f1
    terminal.keys("Objet tmux", "Escape")
    terminal.wait_for("espace Retirer")  # back on the list (an escape and a key at once read as alt+key)
    terminal.keys("F5")  # the second build key, from the key file
    terminal.wait_for("✗ Expéditeur", timeout=60)
    terminal.keys("4")
    terminal.wait_for("Boîte de réception")
    screen = terminal.wait_for("Objet tmux")  # the inbox line: sender, subject, preheader
    assert "Composer" in screen and "<newsletter@example.org>" in screen
    terminal.keys("C-e")
    terminal.wait_for("3 abonné(s)")
    terminal.keys("Enter")  # Enter answers the focused button: cancel
    deadline = time.monotonic() + 10
    while "3 abonné(s)" in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "3 abonné(s)" not in terminal.screen()
    sent = seeded.workspace.outbox / "new"
    assert not sent.exists() or not any(sent.iterdir())  # nothing went
    terminal.keys("C-e")
    terminal.wait_for("3 abonné(s)")
    terminal.keys("y")
    terminal.wait_for("Terminé : 3 envoyé(s)")
    terminal.keys("Escape")  # alone: an escape followed at once by a key reads as alt+key
    terminal.wait_for("pour voir le courriel")  # the sent edition gave way to a new one
    terminal.keys("1")
    terminal.wait_for("0 choisis")
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status.read_text().strip() == "0"
    box = mailbox.Maildir(seeded.workspace.outbox, create=False)
    assert len(box) == 3
    for key in box.iterkeys():
        message = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        assert message["Subject"] == "Objet tmux"
        text = " ".join(message.get_body(preferencelist=("plain",)).get_content().split())  # type: ignore[union-attr]
        assert "Ajout de la rédaction." in text
        assert text.index("OpenAI vise 20 milliards") < text.index("OpenAI promet des profits")
