"""Completion of file paths in the "add a source" input (→ accepts the suggestion)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    """Suggests the first file or folder that completes what was typed; URLs get no suggestion."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        """The typed path completed to the first matching entry (folders end with a slash)."""
        if not value or "://" in value:
            return None
        typed = os.path.expanduser(value)
        folder, _, stem = typed.rpartition(os.sep)
        base = Path(folder or ".") if folder or not typed.startswith(os.sep) else Path(os.sep)
        try:
            names = sorted(
                e.name for e in os.scandir(base) if e.name.startswith(stem) and not e.name.startswith(".")
            )
        except OSError:
            return None
        if not names or (stem and names[0] == stem and not (base / stem).is_dir()):
            return None
        name = names[0]
        completed = name + (os.sep if (base / name).is_dir() else "")
        prefix = value[: len(value) - len(stem)]
        result = prefix + completed
        return result if result != value else None
