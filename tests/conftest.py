"""Shared fixtures: a fresh workspace per test, the repo's seeds, the shared bench data."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
MOJIBAKE = set("ĂȘčšŽÚƓźŻÃÂ")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """An empty workspace folder (an existing folder opens as a workspace)."""
    path = tmp_path / "ws"
    path.mkdir()
    return path


@pytest.fixture
def context(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """An opened workspace context with a clean environment."""
    from composer.pipeline import open_context

    for var in list(os.environ):
        if var.startswith("COMPOSER_"):
            monkeypatch.delenv(var)
    ctx = open_context(workspace, environ={})
    yield ctx
    ctx.close()


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``composer`` command in a subprocess, as cron or a user would."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "composer.cli", *args],
        cwd=cwd,
        env=base,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def new_workspace(parent: Path, name: str = "ws") -> Path:
    """``parent/name`` as a workspace: an existing folder opens as one (`composer init` also writes
    the commented settings file)."""
    path = parent / name
    path.mkdir(parents=True, exist_ok=True)
    return path
