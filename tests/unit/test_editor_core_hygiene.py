"""The editor's core modules (edits, preflight, library) never import textual."""

from __future__ import annotations

import subprocess
import sys


def test_editor_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import composer.edition.edits, composer.preflight, composer.library\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
