"""Every editor action with its id and default key, and the user's key file that rebinds them.

One table (:data:`ACTIONS`) is the source of the panes' bindings, the footer, the help screen,
the command palette and ``composer config --print-defaults``, so none of them can drift from
the others.  Keys come from ``$XDG_CONFIG_HOME/composer/config.toml`` (default
``~/.config/composer/config.toml``), a ``[keys]`` table of action id → key or list of keys, the
way lazygit's and harlequin's key maps work.  A bad entry costs one line naming the file and the
key, and that action keeps its default: the editor always opens.

Nothing here imports Textual, so ``composer config`` stays quick; :func:`bindings` imports it when
a pane asks for its bindings.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

TABS = ("library", "review", "edition", "preview")


@dataclass(frozen=True)
class KeyAction:
    """One thing the editor can do: its id, its default keys and the Textual action it runs.

    ``scope`` (the id's first part) is where the binding lives: ``app`` everywhere, a tab's pane,
    ``list`` on every list, or a dialog.  ``footer`` names the tabs whose footer shows the key;
    ``priority`` keys work even in a dialog or a text field (quit, palette).
    """

    id: str
    keys: str
    action: str
    footer: tuple[str, ...] = ()
    priority: bool = False

    @property
    def scope(self) -> str:
        """The part of the editor the action belongs to (``library``, ``review``, ``list``…)."""
        return self.id.split(".", 1)[0]


ALL_TABS = TABS
ACTIONS: tuple[KeyAction, ...] = (
    # Everywhere (bound on the app).
    KeyAction("app.quit", "ctrl+q", "quit", ALL_TABS, priority=True),
    KeyAction("app.help", "question_mark,f1", "help", ALL_TABS),
    KeyAction("app.palette", "ctrl+p", "command_palette", priority=True),
    KeyAction("app.undo", "u,ctrl+z", "undo", ("review",)),
    # ctrl+b is tmux's prefix and ctrl+a screen's: build is a plain letter, like lazygit's keys.
    KeyAction("app.build", "b", "build", ("edition", "preview")),
    KeyAction("app.ready", "ctrl+r", "mark_ready", ("edition",)),
    KeyAction("app.send", "ctrl+e", "send", ("edition", "preview")),
    KeyAction("app.editions", "L", "editions"),
    KeyAction("app.theme", "ctrl+t", "toggle_theme"),
    KeyAction("app.tab_library", "1", "show_tab('library')"),
    KeyAction("app.tab_review", "2", "show_tab('review')"),
    KeyAction("app.tab_edition", "3", "show_tab('edition')"),
    KeyAction("app.tab_preview", "4", "show_tab('preview')"),
    # Movement in every list (the library, the review's blocks, the picked articles, dialogs).
    KeyAction("list.down", "down,j", "list_down"),
    KeyAction("list.up", "up,k", "list_up"),
    KeyAction("list.top", "home,g", "list_top"),
    KeyAction("list.bottom", "end,G", "list_bottom"),
    KeyAction("list.page_down", "pagedown", "list_page_down"),
    KeyAction("list.page_up", "pageup", "list_page_up"),
    # 1 Library.
    KeyAction("library.pick", "space", "app.toggle_pick", ("library",)),
    KeyAction("library.filter", "slash", "filter", ("library",)),
    KeyAction("library.add", "a", "add", ("library",)),
    KeyAction("library.sort", "s", "sort"),
    KeyAction("library.archive", "x", "app.archive", ("library",)),
    KeyAction("library.archived", "X", "app.toggle_archived"),
    KeyAction("library.remove", "delete", "app.remove"),
    # 2 Review.
    KeyAction("review.edit", "e", "app.edit_section", ("review",)),
    KeyAction("review.drop", "d", "app.drop_block", ("review",)),
    KeyAction("review.revert", "r", "app.revert_section"),
    KeyAction("review.next", "n", "app.step_article(1)", ("review",)),
    KeyAction("review.previous", "p", "app.step_article(-1)"),
    KeyAction("review.method", "m", "next_method"),
    KeyAction("review.longer", "plus", "length(1)"),
    KeyAction("review.shorter", "minus", "length(-1)"),
    # 3 Edition (the picked articles' list).
    KeyAction("edition.move_up", "shift+up,K", "app.move_pick(-1)"),
    KeyAction("edition.move_down", "shift+down,J", "app.move_pick(1)"),
    KeyAction("edition.unpick", "space,delete", "app.toggle_pick", ("edition",)),
    # 4 Preview.
    KeyAction("preview.open_html", "o", "app.open_html", ("preview",)),
    KeyAction("preview.test", "t", "test_address", ("preview",)),
    # The editions dialog (L).
    KeyAction("editions.open", "o", "choose('open')", ("editions",)),
    KeyAction("editions.unready", "u", "choose('unready')", ("editions",)),
    KeyAction("editions.new", "n", "choose('new')", ("editions",)),
    KeyAction("editions.close", "escape,q,L", "close", ("editions",)),
    # Dialogs.
    KeyAction("confirm.yes", "y,o", "answer(True)", ("confirm",)),  # o: "oui"
    KeyAction("confirm.no", "n,escape", "answer(False)", ("confirm",)),
    KeyAction("quit.save", "s", "answer('save')", ("quit",)),
    KeyAction("quit.discard", "d", "answer('discard')", ("quit",)),
    KeyAction("quit.cancel", "escape,n", "answer(None)", ("quit",)),
    KeyAction("edit.save", "ctrl+s", "save", ("edit",), priority=True),
    KeyAction("edit.cancel", "escape", "cancel", ("edit",)),
    KeyAction("help.close", "escape,question_mark,f1,q", "close", ("help",)),
    KeyAction("send.close", "escape,enter", "close", ("send",)),
)
BY_ID: dict[str, KeyAction] = {a.id: a for a in ACTIONS}

# Which scopes answer keys at the same time: a key may serve one action per group.  A dialog
# hides the app's keys except the priority ones (quit, palette), which is what "app!" means.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("app", "library", "list"),
    ("app", "review", "list"),
    ("app", "edition", "list"),
    ("app", "preview", "list"),
    ("app!", "editions", "list"),
    ("app!", "confirm"),
    ("app!", "quit"),
    ("app!", "edit"),
    ("app!", "help", "list"),
    ("app!", "send"),
)

# Keys a terminal or the widgets keep: tab moves the focus, enter selects, arrows move, ctrl+c
# copies; ctrl+i, ctrl+m, ctrl+h and ctrl+[ are what a terminal sends for tab, enter, backspace
# and escape.  ctrl+b and ctrl+a are tmux's and screen's prefixes: they never reach the editor.
RESERVED = {
    "tab": "focus",
    "shift+tab": "focus",
    "enter": "select",
    "escape": "leave",
    "up": "move",
    "down": "move",
    "left": "move",
    "right": "move",
    "ctrl+c": "copy",
    "ctrl+i": "terminal",
    "ctrl+m": "terminal",
    "ctrl+h": "terminal",
    "ctrl+left_square_bracket": "terminal",
    "ctrl+b": "multiplexer",
    "ctrl+a": "multiplexer",
}

_MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
_NAMED = {
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert", "delete",
    "backspace", "tab", "enter", "escape", "space",
    *(f"f{n}" for n in range(1, 25)),
}  # fmt: skip
# Textual's names for the punctuation keys (what ``textual.keys`` derives from Unicode names).
_RENAMED = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
            "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}  # fmt: skip


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the key file lives: ``$XDG_CONFIG_HOME/composer/config.toml``, else ``~/.config/…``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG spec says to ignore a relative path
        base = os.path.join(env.get("HOME") or os.path.expanduser("~"), ".config")
    return Path(base) / "composer" / "config.toml"


def normalize_key(key: str) -> str:
    """A key as Textual names it: ``?`` → ``question_mark``, ``Ctrl+PageDown`` → ``ctrl+pagedown``."""
    key = key.strip()
    if key.endswith("++") or key == "+":  # "ctrl++": ctrl and the plus key
        mods, base = [m for m in key[:-2].split("+") if m], "+"
    else:
        *mods, base = key.split("+")
    mods = [m.strip().lower() for m in mods]
    base = base.strip()
    if len(base) == 1 and not base.isalnum():
        with contextlib.suppress(ValueError):  # a character with no name stays itself
            base = unicodedata.name(base).lower().replace("-", "_").replace(" ", "_")
        base = _RENAMED.get(base, base)
    elif len(base) > 1 or mods:
        base = base.lower()  # "PageDown"; and terminals send ctrl+e for ctrl+E
    return "+".join([*mods, base])


def key_problem(key: str) -> str | None:
    """None for a key Textual can bind (normalized first), else ``"unknown"``."""
    *mods, base = key.split("+")
    if not base or any(m not in _MODIFIERS for m in mods):
        return "unknown"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return None
    if base in _NAMED or base in _RENAMED.values():
        return None
    try:  # a punctuation key by its Unicode name: "question_mark", "left_square_bracket"
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return "unknown"
    return None


@dataclass(frozen=True)
class Problem:
    """One bad entry of the key file; ``code`` picks the sentence, in the editor's language."""

    path: Path
    key: str  # "keys.library.pick" (or "" for the whole file)
    code: str  # toml | table | unknown_action | type | unknown_key | reserved | collision | unknown_setting
    values: Mapping[str, str] = field(default_factory=dict)

    def message(self, labels: Callable[..., str]) -> str:
        """One line: the file, the entry and what happens instead, in the language of ``labels``."""
        return labels(f"config_{self.code}", path=self.path, key=self.key, **self.values)


@dataclass(frozen=True)
class KeyConfig:
    """The keys in force: the defaults with the user's valid entries on top, and what was wrong."""

    keys: Mapping[str, str]
    problems: tuple[Problem, ...] = ()
    path: Path | None = None

    def __getitem__(self, action_id: str) -> str:
        return self.keys[action_id]

    def first(self, action_id: str) -> str:
        """The first key of an action (the one the footer and the dialogs' buttons name)."""
        return self.keys[action_id].split(",")[0]


def defaults() -> dict[str, str]:
    """Every action id with its default keys (normalized, comma-separated)."""
    return {a.id: ",".join(normalize_key(k) for k in a.keys.split(",")) for a in ACTIONS}


DEFAULT = KeyConfig(defaults())


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    # `library.pick = "space"` in TOML is a nested table; `"library.pick" = …` is a dotted name.
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", value


def load(path: Path | None = None) -> KeyConfig:
    """Read the key file (missing: the defaults); every bad entry becomes a :class:`Problem`."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return KeyConfig(defaults(), (), path)
    except OSError as exc:
        return KeyConfig(defaults(), (Problem(path, "", "unreadable", {"error": exc.strerror or ""}),), path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return KeyConfig(defaults(), (Problem(path, "", "toml", {"error": str(exc)}),), path)
    return parse(data, path)


def parse(data: Mapping[str, Any], path: Path) -> KeyConfig:
    """Apply a parsed key file over the defaults; bad entries keep their default and say why."""
    keys, problems = defaults(), []
    for name in data:
        if name != "keys":
            problems.append(Problem(path, name, "unknown_setting"))
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return KeyConfig(keys, (*problems, Problem(path, "keys", "table")), path)
    user: dict[str, str] = {}
    for action_id, value in _flatten(table):
        entry = f"keys.{action_id}"
        if action_id not in BY_ID:
            problems.append(Problem(path, entry, "unknown_action"))
            continue
        default = keys[action_id]
        given = [value] if isinstance(value, str) else value
        if not isinstance(given, list) or not given or not all(isinstance(k, str) and k for k in given):
            problems.append(Problem(path, entry, "type", {"default": default}))
            continue
        chosen = [normalize_key(k) for part in given for k in part.split(",")]
        bad = next((k for k in chosen if key_problem(k)), None)
        if bad is not None:
            problems.append(Problem(path, entry, "unknown_key", {"value": bad, "default": default}))
            continue
        kept = next((k for k in chosen if k in RESERVED and k not in default.split(",")), None)
        if kept is not None:
            why = RESERVED[kept]
            problems.append(Problem(path, entry, f"reserved_{why}", {"value": kept, "default": default}))
            continue
        user[action_id] = ",".join(dict.fromkeys(chosen))
    keys.update(user)
    # A user key that another action already answers to in the same place is refused, and the
    # action keeps its default; repeat until no clash is left (a swap of two keys is fine).
    while clash := collisions(keys, user):
        action_id, key, other = clash
        if action_id not in user:
            break  # two defaults: a bug the tests catch, not the user's doing
        keys[action_id] = defaults()[action_id]
        user.pop(action_id, None)
        values = {"value": key, "other": other, "default": keys[action_id]}
        problems.append(Problem(path, f"keys.{action_id}", "collision", values))
    return KeyConfig(keys, tuple(problems), path)


def collisions(keys: Mapping[str, str], user: Iterable[str] = ()) -> tuple[str, str, str] | None:
    """The first (action, key, other action) sharing a key where both answer; None if none.

    Of two clashing actions the one the user set is named first (it is the one to give up).
    """
    chosen = set(user)
    for group in GROUPS:
        owner: dict[str, str] = {}
        for action in ACTIONS:
            scope = action.scope
            if not (scope in group or (scope == "app" and "app!" in group and action.priority)):
                continue
            for key in keys[action.id].split(","):
                other = owner.setdefault(key, action.id)
                if other != action.id:
                    return (action.id, key, other) if action.id in chosen else (other, key, action.id)
    return None


def default_file(describe: Callable[[str], str] | None = None) -> str:
    """The complete default key file, every action with its default key and what it does.

    Valid TOML that loads back to exactly the defaults; ``describe`` gives each action's
    description for the comments (English from the editor's catalogue by default).
    """
    if describe is None:
        from composer.tui.i18n import Labels

        english = Labels("en")

        def describe(action_id: str) -> str:
            return english(f"h:{action_id}")

    lines = [
        "# composer — the editor's keys.",
        "# Copy this file to ~/.config/composer/config.toml ($XDG_CONFIG_HOME/composer/config.toml)",
        "# and change what you like: an action id = one key or a list of keys.",
        '# Keys: a letter ("x", "G"), "space", "slash", "question_mark", "enter", "escape", "delete",',
        '# "home", "end", "pageup", "pagedown", "up", "f2"…, with modifiers: "ctrl+k", "shift+up", "alt+x".',
        "# A key taken twice in one place, or kept by the terminal (ctrl+b for tmux, ctrl+a for screen,",
        "# tab, enter, the arrows, ctrl+c), is refused with one line and that action keeps its default.",
        "",
        "[keys]",
    ]
    scope = ""
    width = max(len(a.id) for a in ACTIONS) + 3
    for action in ACTIONS:
        if action.scope != scope:
            scope = action.scope
            lines += ["", f"# {SCOPE_TITLES[scope]}"]
        keys = action.keys.split(",")
        value = f'"{keys[0]}"' if len(keys) == 1 else "[" + ", ".join(f'"{k}"' for k in keys) + "]"
        lines.append(f"{action.id:<{width}}= {value:<28}# {describe(action.id)}")
    return "\n".join(lines) + "\n"


SCOPE_TITLES = {
    "app": "Everywhere",
    "list": "Every list: the library, the review's blocks, the picked articles, dialogs",
    "library": "1 Library",
    "review": "2 Review",
    "edition": "3 Edition: the picked articles",
    "preview": "4 Preview",
    "editions": "The editions dialog (L)",
    "confirm": "Yes/no questions",
    "quit": "Quitting with unsaved changes",
    "edit": "The block editor (e in the review)",
    "help": "The help screen",
    "send": "The send progress dialog",
}


def bindings(scope: str, *, echo: str = "") -> list[Any]:
    """Textual bindings for one scope's actions (default keys; the app applies the user's).

    ``echo`` (a tab) adds the app-wide actions whose key that tab's footer shows, bound on the pane
    with the same id, so the footer lists them there and only there.
    """
    from textual.binding import Binding

    own, echoes = [], []
    for action in ACTIONS:
        if action.scope == scope:
            # An app-wide key shown in every tab's footer is shown by the app's own binding
            # (a priority binding would hide a pane's copy of it anyway).
            show = set(action.footer) == set(TABS) if scope == "app" else bool(action.footer)
            own.append(
                Binding(
                    action.keys,
                    action.action,
                    f"a:{action.id}",
                    show=show,
                    priority=action.priority,
                    id=action.id,
                )
            )
        elif echo and action.scope == "app" and echo in action.footer and set(action.footer) != set(TABS):
            echoes.append(Binding(action.keys, f"app.{action.action}", f"a:{action.id}", id=action.id))
    return own + echoes


def rebind(node: Any, config: KeyConfig, describe: Callable[[str], str]) -> None:
    """Give one widget's (or the app's) bindings the user's keys and labels in the editor's language.

    Done once per widget, on its own copy of the bindings: Textual's own keymap is applied while
    keys are dispatched, after text fields have claimed the letters they type, so a letter bound
    there would fire inside the filter; rewriting the bindings first keeps typing safe.
    """
    bindings_map = node._bindings
    rebuilt: dict[str, list[Any]] = {}
    done: set[tuple[str, str]] = set()
    for key, group in bindings_map.key_to_bindings.items():
        for binding in group:
            description = describe(binding.description) if binding.description else ""
            if binding.id and binding.id in config.keys:
                if (binding.id, binding.action) in done:
                    continue
                done.add((binding.id, binding.action))
                for new_key in config.keys[binding.id].split(","):
                    rebuilt.setdefault(new_key, []).append(
                        replace(binding, key=new_key, description=description, key_display=None)
                    )
            else:
                rebuilt.setdefault(key, []).append(replace(binding, description=description))
    bindings_map.key_to_bindings = rebuilt
