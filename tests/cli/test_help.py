"""Every command answers --help, and bad invocations fail with one line, no traceback."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

COMMANDS = [
    [],
    ["demo"],
    ["add"],
    ["list"],
    ["build"],
    ["send"],
    ["summarize"],
    ["perspectives"],
    ["polarity"],
    ["subscribers"],
    ["subscribers", "import"],
    ["subscribers", "list"],
    ["tui"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "composer")
def test_help(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_tui_without_terminal_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("--workspace", str(tmp_path / "ws"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "needs a terminal" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_method_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "article": "Une phrase. Une autre."}\n')
    result = run_cli(
        "summarize", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), "--method", "nope"
    )
    assert result.returncode == 2
    assert "unknown summary method 'nope'" in result.stderr
    assert "Traceback" not in result.stderr


def test_workspace_option_on_the_group_applies_to_commands(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import SEEDS

    ws = tmp_path / "ws"
    added = run_cli("--workspace", str(ws), "add", str(SEEDS / "000_7b10752b77e9de8c.txt"), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (ws / "composer.db").is_file()
    assert not (tmp_path / "composer-workspace").exists()
