"""Every command answers --help, and bad invocations fail with one line, no traceback."""

from __future__ import annotations

import pytest

from tests.conftest import new_workspace, run_cli

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
    result = run_cli("--workspace", str(new_workspace(tmp_path)))
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

    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    added = run_cli("--workspace", str(ws), "add", str(SEEDS / "000_7b10752b77e9de8c.txt"), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (ws / "composer.db").is_file()
    assert not (tmp_path / "composer-workspace").exists()


def test_a_missing_workspace_is_an_error_except_for_init_and_demo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import stat
    import tomllib

    typo = tmp_path / "lettre-typo"
    for command in (["list"], ["send"], ["edition", "list"], ["subscribers", "list"], ["weekly"]):
        result = run_cli(*command, "--workspace", str(typo))
        assert result.returncode == 2, command
        assert result.stderr.strip() == (
            f"error: no workspace at {typo} (does not exist); create one with `composer init {typo}`"
        )
    assert not typo.exists()  # nothing created
    made = run_cli("init", str(typo))
    assert made.returncode == 0 and stat.S_IMODE(typo.stat().st_mode) == 0o700
    settings = (typo / "settings.toml").read_text(encoding="utf-8")
    assert tomllib.loads(settings) == {} and "# sender = " in settings  # every line commented
    assert run_cli("list", "--workspace", str(typo)).returncode == 0
    only_settings = tmp_path / "existing"
    only_settings.mkdir()
    (only_settings / "settings.toml").write_text('language = "en"\n', encoding="utf-8")
    assert run_cli("list", "--workspace", str(only_settings)).returncode == 0


def test_composer_home_of_php_is_not_taken_for_a_workspace(tmp_path) -> None:  # type: ignore[no-untyped-def]
    php_home = tmp_path / ".composer"  # PHP's Composer keeps its own files here
    php_home.mkdir()
    (php_home / "auth.json").write_text("{}", encoding="utf-8")
    result = run_cli("list", cwd=tmp_path, env={"COMPOSER_HOME": str(php_home)})
    assert "ignoring COMPOSER_HOME" in result.stderr and result.returncode == 2
    assert not (php_home / "composer.db").exists()
    ours = tmp_path / "lettre"
    assert run_cli("init", str(ours)).returncode == 0
    legacy = run_cli("list", cwd=tmp_path, env={"COMPOSER_HOME": str(ours)})
    assert legacy.returncode == 0 and "deprecated" in legacy.stderr
    current = run_cli("list", cwd=tmp_path, env={"COMPOSER_WORKSPACE": str(ours)})
    assert current.returncode == 0 and not current.stderr
