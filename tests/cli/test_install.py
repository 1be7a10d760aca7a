"""A non-editable install finds its templates and seeds: build the wheel, run the demo elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed: {result.stderr[-2000:]}")
    return next(out.glob("*.whl"))


def test_wheel_ships_templates_and_seeds(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "composer/_data/templates/email/newsletter.html.j2" in names
    assert "composer/_data/templates/perspectives/fr/optimistic.j2" in names
    assert any(n.startswith("composer/_data/seeds/004_") for n in names)


def test_installed_copy_runs_the_demo_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
    # The installed copy comes first on the path, ahead of the editable checkout.
    env["PYTHONPATH"] = str(target)
    check = subprocess.run(
        [sys.executable, "-c", "import composer; print(composer.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip().startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "composer.cli", "demo", "--workspace", str(tmp_path / "x")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "x" / "outbox" / "new").iterdir())) == 3
