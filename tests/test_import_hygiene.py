"""The core library never imports a shell: textual lives in tui/, yagmail in deliver/, click in cli."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "composer.models",
    "composer.errors",
    "composer.config",
    "composer.paths",
    "composer.store",
    "composer.pipeline",
    "composer.edition",
    "composer.edition.stored",
    "composer.edition.markdown",
    "composer.weekly",
    "composer.preflight",
    "composer.render",
    "composer.jsonl",
    "composer.ingest.sources",
    "composer.ingest.cleaning",
    "composer.summarize",
    "composer.perspectives.sections",
    "composer.edition.export",
    "composer.deliver.message",
    "composer.deliver.outbox",
    "composer.deliver.send",
]


def test_core_does_not_import_shells() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "bad = [m for m in ('textual', 'click', 'yagmail') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_cli_help_does_not_import_textual() -> None:
    code = "import sys\nimport composer.cli\nprint('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
