"""Path completion in the add-source input."""

from __future__ import annotations

import asyncio
from pathlib import Path

from composer.tui.suggest import PathSuggester


def test_completes_files_and_folders_but_not_urls(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "article.txt").write_text("x")
    suggester = PathSuggester()

    def suggest(value: str) -> str | None:
        return asyncio.run(suggester.get_suggestion(value))

    assert suggest(f"{tmp_path}/articl") == f"{tmp_path}/article.txt"
    assert suggest(f"{tmp_path}/articles") == f"{tmp_path}/articles/"
    assert suggest(f"{tmp_path}/zzz") is None
    assert suggest("https://example.org/fe") is None
