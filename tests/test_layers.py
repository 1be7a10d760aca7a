"""Arrows point one way: each layer of composer imports only the layers before it (DESIGN.md).

The order follows the data: records and settings, the store, the text work (ingest, summaries,
perspectives), the edition, rendering, delivery, the preflight (which looks at a rendered
message), the orchestration both shells call, and last the shells.  A module importing a later
layer — the store calling the renderer, delivery calling the pipeline — fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYERS: list[tuple[str, ...]] = [
    (
        "composer.models",
        "composer.errors",
        "composer.paths",
        "composer.config",
        "composer.jsonl",
        "composer.i18n",
    ),
    ("composer.store",),
    (
        "composer.text",
        "composer.ingest",
        "composer.summarize",
        "composer.perspectives",
        "composer.subscribers",
        "composer.library",
    ),
    ("composer.edition",),
    ("composer.render",),
    ("composer.deliver",),
    ("composer.preflight",),
    ("composer.pipeline", "composer.weekly"),
    ("composer.cli", "composer.tui", "composer.web", "composer.__main__"),
]


def _layer(module: str) -> int | None:
    for n, group in enumerate(LAYERS):
        if any(module == g or module.startswith(g + ".") for g in group):
            return n
    return None


def _imports(path: Path) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("composer"):
            found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("composer")]
    return found


def test_every_module_has_a_layer_and_imports_only_earlier_ones() -> None:
    wrong, unplaced = [], []
    for path in sorted((REPO / "composer").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        if module == "composer":
            continue
        mine = _layer(module)
        if mine is None:
            unplaced.append(module)
            continue
        for target, line in _imports(path):
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                wrong.append(f"{module}:{line} imports {target}")
    assert not unplaced, f"modules with no layer in tests/test_layers.py: {unplaced}"
    assert not wrong, "imports against the flow:\n" + "\n".join(wrong)


def test_only_the_store_runs_sql() -> None:
    offenders = []
    for path in sorted((REPO / "composer").rglob("*.py")):
        if "store" in path.relative_to(REPO / "composer").parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (".execute(", ".executemany(", ".executescript(", "import sqlite3"):
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert not offenders, offenders
