"""The README documents every command and the two set-up commands come first."""

from __future__ import annotations

import click

from composer.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "composer") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names += [f"{prefix} {name} {sub}" for sub in command.commands]
    return names


def test_every_command_is_in_the_readme() -> None:
    flat = README.replace("add|remove|list|export|unsubscribe", "add remove list export unsubscribe")
    for command in _commands(cli):
        *parent, last = command.split()
        assert command in README or (" ".join(parent) in README and last in flat), command


def test_two_commands_come_first() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make demo" in first_block and "make test" in first_block
