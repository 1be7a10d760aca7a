"""The editor's terminal UI (first version: the library of articles)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from composer.pipeline import Context


class ComposerApp(App[None]):
    """Browse the workspace's articles; the TUI issue grows this into the full editor."""

    TITLE = "composer"
    BINDINGS: ClassVar = [("ctrl+q", "quit", "Quitter")]

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="library", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Titre", "Langue", "Mots")
        for article in self.context.store.articles():
            table.add_row(article.title, article.language, str(article.word_count), key=article.id)


def run_app(context: Context) -> None:
    """Run the editor until the user quits."""
    try:
        ComposerApp(context).run()
    finally:
        context.close()
