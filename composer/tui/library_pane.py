"""The library tab: every article in a sortable table, filtered as you type, picked with space.

Rows come from :func:`composer.library.article_rows` (metadata only), so 1,500 articles show
at once; the tone column fills in as digests are computed in the background.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowKey

from composer.library import ArticleRow, title_key
from composer.tui.keymap import bindings
from composer.tui.suggest import PathSuggester
from composer.tui.widgets import ListTable

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

SORTS = ("title", "source", "date", "language", "words", "added")
FIXED_WIDTH = 3 + 10 + 10 + 2 + 5 + 5
_COLUMNS = ("pick", "title", "source", "date", "lang", "words", "tone")


def _sort_key(row: ArticleRow, sort: str) -> tuple[object, ...]:
    value: object = {
        "title": title_key(row.title),
        "source": row.short_source.casefold(),
        "date": row.date or "9999",
        "language": row.language,
        "words": row.words,
        "added": row.added_at,
    }[sort]
    return (value, row.added_at)


def tone_cell(tone: float | None) -> Text:
    """The tone as a signed figure, coloured: green above zero, red below."""
    if tone is None:
        return Text("")
    style = "green" if tone > 0.05 else "red" if tone < -0.05 else ""
    return Text(f"{tone:+.2f}".replace("0.", "."), style=style)


class LibraryTable(ListTable):
    """The article table (its keys are bound on the pane, so they also work from the status line).

    Every column has a fixed width and every row one line, so measuring each new cell (what
    DataTable does to size auto-width columns, ~0.3 s for 1,500 rows) is skipped: filling the
    table with the whole library stays within a frame or two.
    """

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if any(column.auto_width for column in self.columns.values()):
            super()._update_dimensions(new_rows)
            return
        self.refresh(layout=True)


class LibraryPane(Vertical):
    """Filter input, article table, the add-source input and a status line.

    ``archived_view`` shows the archived articles instead, to restore them (x again).
    """

    BINDINGS: ClassVar = [*bindings("library", echo="library"), Binding("escape", "escape", show=False)]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: list[ArticleRow] = []
        self.shown: list[ArticleRow] = []
        self.sort = "added"
        self.reverse = False
        self.archived_view = False
        self._filter_timer: Timer | None = None
        self._width = 0
        self._by_id: dict[str, ArticleRow] = {}
        self._numbered: set[str] = set()

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.composer.t
        yield Input(placeholder=t("filter", key=self.composer.key_label("library.filter")), id="filter")
        yield LibraryTable(id="library-table", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder=t("add_placeholder"), id="add-input", suggester=PathSuggester())
        yield Static(id="library-status")

    def on_mount(self) -> None:
        self.query_one("#add-input").display = False
        self._columns()

    def _columns(self) -> None:
        t = self.composer.t
        table = self.query_one(LibraryTable)
        table.clear(columns=True)
        self._width = self.app.size.width
        # Cell padding (2 a column), the frame (2) and the scrollbar (2) come out of the title's share.
        title_width = max(18, self.app.size.width - FIXED_WIDTH - 2 * len(_COLUMNS) - 6)
        widths = (3, title_width, 10, 10, 2, 5, 5)
        labels = ("col_pick", "col_title", "col_source", "col_date", "col_lang", "col_words", "col_tone")
        for key, label, width in zip(_COLUMNS, labels, widths, strict=True):
            table.add_column(t(label), width=width, key=key)

    def on_resize(self) -> None:
        if self.app.size.width != self._width:
            self._columns()
            self.refill()

    # -- content ------------------------------------------------------------------------

    def show_archived(self, archived: bool) -> None:
        """Switch between the library and the archived articles; x reads "Restaurer" in the latter."""
        from dataclasses import replace

        self.archived_view = archived
        t = self.composer.t
        label = t("a:library.restore" if archived else "a:library.archive")
        bindings_map = self._bindings
        for key, group in bindings_map.key_to_bindings.items():
            bindings_map.key_to_bindings[key] = [
                replace(b, description=label) if b.id == "library.archive" else b for b in group
            ]
        self.app.refresh_bindings()

    def load(self, rows: list[ArticleRow]) -> None:
        """Show these rows (after add, archive or remove), keeping the filter and sort."""
        self.rows = rows
        self.refill()

    def refill(self) -> None:
        """Apply filter and sort and redraw the table, keeping the highlighted article."""
        table = self.query_one(LibraryTable)
        current = self.current_id()
        words = title_key(self.query_one("#filter", Input).value).split()
        shown = [r for r in self.rows if all(w in title_key(f"{r.title} {r.short_source}") for w in words)]
        shown.sort(key=lambda r: _sort_key(r, self.sort), reverse=self.reverse)
        self.shown = shown
        self._by_id = {r.id: r for r in shown}
        self._numbered = set(self.composer.draft.picks)
        table.clear()
        app = self.composer
        table.border_title = app.t("pane_archived" if self.archived_view else "pane_articles")
        for row in shown:
            table.add_row(*self._cells(row, app), key=row.id)
        if current and current in table.rows:
            table.move_cursor(row=table.get_row_index(current), animate=False)
        self.update_status()

    def _cells(self, row: ArticleRow, app: ComposerApp) -> tuple[object, ...]:
        position = app.pick_position(row.id)
        pick = Text(str(position), style="bold green") if position else ""
        # Long titles and sources end with "…" rather than being cut mid-word without a sign.
        title = Text(no_wrap=True, overflow="ellipsis")
        if row.duplicate_of:
            title.append("≈ ", style="bold yellow")
        title.append(row.title)
        source = Text(row.short_source, no_wrap=True, overflow="ellipsis")
        tone = tone_cell(app.tone(row.id))
        return (pick, title, source, row.date[:10], row.language, str(row.words), tone)

    def update_row(self, article_id: str) -> None:
        """Redraw the pick and tone cells of one article, if shown."""
        table = self.query_one(LibraryTable)
        row = self._by_id.get(article_id)
        if row is None or article_id not in table.rows:
            return
        cells = self._cells(row, self.composer)
        table.update_cell(article_id, "pick", cells[0])
        table.update_cell(article_id, "tone", cells[-1])

    def update_picks(self) -> None:
        """Redraw the pick numbers that may have changed (after a pick or a reorder) and the status."""
        picks = set(self.composer.draft.picks)
        for article_id in picks | self._numbered:
            self.update_row(article_id)
        self._numbered = picks
        self.update_status()

    def update_status(self) -> None:
        """The count line: shown/total, picks, estimated email size, sort order."""
        app = self.composer
        if self.archived_view:
            keys = {"key": app.key_label("library.archive"), "view": app.key_label("library.archived")}
            line = app.t("status_archived", shown=len(self.shown), total=len(self.rows), **keys)
            self.query_one("#library-status", Static).update(Text(line, no_wrap=True, overflow="ellipsis"))
            return
        sorts = dict(zip(SORTS, app.t("sort_by").split(","), strict=True))
        arrow = "↓" if self.reverse else "↑"
        self.query_one("#library-status", Static).update(
            app.t(
                "status",
                shown=len(self.shown),
                total=len(self.rows),
                picked=len(app.draft.picks),
                kb=app.estimated_size() / 1024,
                sort=f"{sorts[self.sort]} {arrow}",
            )
        )

    def move_to(self, article_id: str) -> None:
        """Put the cursor on an article, if the filter shows it."""
        table = self.query_one(LibraryTable)
        if article_id in table.rows:
            table.move_cursor(row=table.get_row_index(article_id), animate=False)

    def current_id(self) -> str | None:
        """The id of the highlighted article, or None when the table is empty."""
        table = self.query_one(LibraryTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    # -- events -------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.08, self.refill)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(LibraryTable).focus()

    @on(Input.Submitted, "#add-input")
    def _add_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value:
            self.composer.add_sources(value)
        event.input.value = ""
        event.input.display = False
        self.query_one(LibraryTable).focus()

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The message arrives after the move: if the cursor moved on since (the review's next
        # article, a quick key repeat), an older one must not make a stale row the current article.
        if event.row_key.value is not None and event.row_key.value == self.current_id():
            self.composer.article_highlighted(str(event.row_key.value))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.composer.action_show_tab("review")

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        by_column = {
            "title": "title",
            "source": "source",
            "date": "date",
            "lang": "language",
            "words": "words",
        }
        sort = by_column.get(str(event.column_key.value))
        if sort:
            self.reverse = not self.reverse if sort == self.sort else False
            self.sort = sort
            self.refill()

    # -- actions ------------------------------------------------------------------------

    def action_add(self) -> None:
        """Show and focus the add-source input."""
        field = self.query_one("#add-input", Input)
        field.display = True
        field.focus()

    def action_filter(self) -> None:
        """Focus the filter."""
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        """Next sort order (title, source, date, language, words, date added)."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reverse = self.sort in ("words", "date", "added")
        self.refill()

    def action_escape(self) -> None:
        """Leave the add or filter input and go back to the table."""
        add = self.query_one("#add-input", Input)
        if add.display:
            add.value = ""
            add.display = False
        elif self.query_one("#filter", Input).has_focus and self.query_one("#filter", Input).value:
            self.query_one("#filter", Input).value = ""
        self.query_one(LibraryTable).focus()
