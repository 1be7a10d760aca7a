"""The key map: every action has an id, a default key and words in both languages; the key file rebinds.

The defaults must keep clear of what terminals and multiplexers take (tmux's ctrl+b, screen's
ctrl+a, the keys a terminal sends for tab, enter, backspace and escape); a bad key file costs one
line naming the file and the entry, never the editor; ``composer config --print-defaults`` prints
a file that loads back to exactly the defaults.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from composer.tui import keymap
from composer.tui.i18n import LABELS, Labels
from composer.tui.keymap import ACTIONS, RESERVED, config_path, defaults, load, parse
from tests.conftest import run_cli

TERMINAL_KEYS = {k for k, why in RESERVED.items() if why in ("multiplexer", "terminal", "copy")}


def test_every_action_has_a_unique_id_a_default_key_and_words_in_both_languages() -> None:
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    for action in ACTIONS:
        assert action.keys, action.id
        for language in ("fr", "en"):
            assert LABELS[language].get(f"a:{action.id}"), (language, action.id)
            assert LABELS[language].get(f"h:{action.id}"), (language, action.id)


def test_defaults_do_not_collide_nor_take_the_terminals_keys() -> None:
    assert keymap.collisions(defaults()) is None
    taken = {key for keys in defaults().values() for key in keys.split(",")}
    assert not taken & TERMINAL_KEYS, taken & TERMINAL_KEYS
    assert {"ctrl+b", "ctrl+a"} <= TERMINAL_KEYS
    assert defaults()["app.build"] == "b"  # build used to be ctrl+b: tmux ate it
    assert keymap.key_problem("b") is None
    for key in taken:
        assert keymap.key_problem(key) is None, key


def test_vim_movement_and_page_keys_in_every_list() -> None:
    keys = defaults()
    assert keys["list.down"].split(",") == ["down", "j"] and keys["list.up"].split(",") == ["up", "k"]
    assert keys["list.top"].split(",") == ["home", "g"] and keys["list.bottom"].split(",") == ["end", "G"]
    assert keys["list.page_down"] == "pagedown" and keys["list.page_up"] == "pageup"
    assert keys["library.filter"] == "slash"  # / still filters


def test_config_path_follows_xdg() -> None:
    assert config_path({"XDG_CONFIG_HOME": "/x/conf", "HOME": "/home/ed"}) == Path(
        "/x/conf/composer/config.toml"
    )
    home = Path("/home/ed/.config/composer/config.toml")
    assert config_path({"HOME": "/home/ed"}) == home
    assert config_path({"XDG_CONFIG_HOME": "relative", "HOME": "/home/ed"}) == home  # the spec: ignore it


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    loaded = load(tmp_path / "none.toml")
    assert dict(loaded.keys) == defaults() and loaded.problems == ()


def test_rebinding_dotted_or_quoted_names_lists_and_symbols(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    lines = [
        'library.pick = "p"',
        '"app.build" = ["f5", "ctrl+g"]',
        'app.help = "?"',
        'review.edit = "Ctrl+W"',
    ]
    path.write_text("[keys]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    loaded = load(path)
    assert loaded.problems == ()
    assert loaded["library.pick"] == "p"
    assert loaded["app.build"] == "f5,ctrl+g"
    assert loaded["app.help"] == "question_mark"
    assert loaded["review.edit"] == "ctrl+w"
    assert loaded["library.add"] == "a"  # the rest keeps its default


def test_swapping_two_keys_is_not_a_collision(tmp_path: Path) -> None:
    loaded = parse({"keys": {"review": {"edit": "d", "drop": "e"}}}, tmp_path / "c.toml")
    assert loaded.problems == ()
    assert (loaded["review.edit"], loaded["review.drop"]) == ("d", "e")


@pytest.mark.parametrize(
    ("data", "entry", "code"),
    [
        ({"keys": {"review": {"edit": "d"}}}, "keys.review.edit", "collision"),
        ({"keys": {"library": {"pick": "a"}}}, "keys.library.pick", "collision"),
        ({"keys": {"app": {"build": "e"}}}, "keys.app.build", "collision"),  # app vs the review's e
        ({"keys": {"review": {"edit": "Ctrl+E"}}}, "keys.review.edit", "collision"),  # send's ctrl+e
        ({"keys": {"app": {"build": "ctrl+b"}}}, "keys.app.build", "reserved_multiplexer"),
        ({"keys": {"app": {"send": "ctrl+a"}}}, "keys.app.send", "reserved_multiplexer"),
        ({"keys": {"library": {"pick": "tab"}}}, "keys.library.pick", "reserved_focus"),
        ({"keys": {"library": {"pick": "ctrl+i"}}}, "keys.library.pick", "reserved_terminal"),
        ({"keys": {"library": {"pick": "hyperspace"}}}, "keys.library.pick", "unknown_key"),
        ({"keys": {"library": {"pick": 3}}}, "keys.library.pick", "type"),
        ({"keys": {"library": {"pick": []}}}, "keys.library.pick", "type"),
        ({"keys": {"library": {"pik": "p"}}}, "keys.library.pik", "unknown_action"),
        ({"keys": "p"}, "keys", "table"),
        ({"colours": {"x": 1}}, "colours", "unknown_setting"),
    ],
)
def test_a_bad_entry_is_one_line_and_keeps_the_default(
    data: dict, entry: str, code: str, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    loaded = parse(data, path)
    (problem,) = loaded.problems
    assert (problem.key, problem.code) == (entry, code)
    assert dict(loaded.keys) == defaults()
    for language in ("fr", "en"):
        line = problem.message(Labels(language))
        assert "\n" not in line and str(path) in line and entry in line, line


def test_a_file_that_is_not_toml_keeps_every_default(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keys\nlibrary.pick = 'p'\n", encoding="utf-8")
    loaded = load(path)
    assert dict(loaded.keys) == defaults()
    (problem,) = loaded.problems
    assert problem.code == "toml" and str(path) in problem.message(Labels("fr"))


def test_the_default_file_loads_back_to_the_defaults_and_names_every_action(tmp_path: Path) -> None:
    text = keymap.default_file()
    assert all(f"\n{a.id} " in text for a in ACTIONS)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(path)
    assert loaded.problems == () and dict(loaded.keys) == defaults()
    assert tomllib.loads(text)["keys"]["app"]["build"] == "b"


def test_composer_config_prints_the_defaults_checks_and_names_the_file(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    printed = run_cli("config", "--print-defaults", env=env)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == keymap.default_file()
    where = run_cli("config", "--path", env=env)
    assert where.stdout.strip() == str(tmp_path / "composer" / "config.toml")
    fine = run_cli("config", env=env)
    assert fine.returncode == 0 and "absent" in fine.stdout
    path = tmp_path / "composer" / "config.toml"
    path.parent.mkdir()
    path.write_text('[keys]\napp.build = "ctrl+b"\nlibrary.pick = "p"\n', encoding="utf-8")
    bad = run_cli("config", env=env)
    assert bad.returncode == 2
    (line,) = bad.stderr.strip().splitlines()
    assert str(path) in line and "keys.app.build" in line and "tmux" in line
    assert "Traceback" not in bad.stderr
