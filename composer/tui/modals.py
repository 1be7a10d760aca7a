"""Dialogs: yes/no confirmation, the block editor, the editions list, the send progress, the help."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Label, ProgressBar, Static, TextArea

from composer.errors import ComposerError
from composer.tui.edition_pane import STATUS_STYLE
from composer.tui.i18n import Labels, localize_bindings

if TYPE_CHECKING:
    from composer.deliver.send import Progress
    from composer.models import DeliveryReport
    from composer.pipeline import Context


class ConfirmScreen(ModalScreen[bool]):
    """A question with two answers; y / n / Escape work as well as the mouse."""

    BINDINGS: ClassVar = [
        Binding("y,o", "answer(True)", show=False),
        Binding("n,escape", "answer(False)", show=False),
    ]

    def __init__(self, title: str, body: str | Text, yes: str, no: str) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)


class EditScreen(ModalScreen[str | None]):
    """A section's text in a TextArea: ctrl+s keeps it, Escape drops it, ctrl+z undoes as usual."""

    BINDINGS: ClassVar = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, title: str, text: str, labels: Labels) -> None:
        super().__init__()
        self.title_text, self.text, self.labels = title, text, labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.labels('save')} (ctrl+s)", id="save", variant="primary")
                yield Button(f"{self.labels('cancel')} (esc)", id="cancel")

    def on_mount(self) -> None:
        localize_bindings(self, self.labels)
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep the edited text."""
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Drop the changes."""
        self.dismiss(None)


class EditionsScreen(ModalScreen[tuple[str, str] | None]):
    """Every stored edition, newest first, with its status and delivery counts.

    Displays only: it answers (action, edition id) and the app acts: "open" (Enter) a draft or
    a ready edition, "unready" (u) a ready one back to draft, "new" (n) edition; Escape closes.
    """

    BINDINGS: ClassVar = [
        Binding("enter", "choose('open')", "open_edition", show=False),
        Binding("u", "choose('unready')", "unready"),
        Binding("n", "choose('new')", "new_draft"),
        Binding("escape,q,L", "close", "close"),
    ]
    COLUMNS = ("", "col_edition", "col_status", "col_articles", "col_sent", "col_failed", "col_title")

    def __init__(self, rows: Sequence[Mapping[str, object]], current: str, labels: Labels) -> None:
        super().__init__()
        self.rows, self.current, self.labels = list(rows), current, labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.labels("editions_title"), classes="dialog-title")
            yield DataTable(id="editions-table", cursor_type="row", zebra_stripes=True)
            yield Static(self.labels("editions_help"), classes="dialog-help")

    def on_mount(self) -> None:
        localize_bindings(self, self.labels)
        table = self.query_one(DataTable)
        t = self.labels
        for label in self.COLUMNS:
            table.add_column(t(label) if label else "", key=label or "current")
        for row in self.rows:
            status = str(row["status"])
            table.add_row(
                Text("▸", style="bold") if row["id"] == self.current else "",
                str(row["id"]),
                Text(t(f"status_{status}"), style=STATUS_STYLE.get(status, "")),
                str(row["articles"]),
                str(row["sent"]),
                Text(str(row["failed"]), style="red" if row["failed"] else ""),
                str(row["title"]),
                key=str(row["id"]),
            )
        if not self.rows:
            table.add_row("", Text(t("no_editions"), style="italic"), "", "", "", "", "")
        elif self.current in table.rows:
            table.move_cursor(row=table.get_row_index(self.current), animate=False)
        table.focus()

    def selected(self) -> str:
        """The id of the edition under the cursor ("" when there is none)."""
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return ""
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or "")

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_choose("open")

    def action_choose(self, action: str) -> None:
        """Close with what to do and with which edition."""
        edition_id = self.selected()
        if action == "new" or edition_id:
            self.dismiss((action, edition_id))

    def action_close(self) -> None:
        """Back to the editor."""
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key, by tab; Escape or ? closes."""

    BINDINGS: ClassVar = [Binding("escape,question_mark,f1,q", "close", show=False)]

    def __init__(self, text: str, title: str) -> None:
        super().__init__()
        self.text, self.title_text = text, title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(self.text)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()  # arrows and page keys scroll the help

    def action_close(self) -> None:
        """Back to the editor."""
        self.dismiss(None)


class SendScreen(ModalScreen["DeliveryReport | None"]):
    """The send itself: a progress bar with the rate, then the result; Escape closes when done."""

    BINDINGS: ClassVar = [Binding("escape,enter", "close", show=False)]

    def __init__(self, context: Context, edition_id: str, labels: Labels, *, force: bool = False) -> None:
        super().__init__()
        self.context, self.edition_id, self.labels, self.force = context, edition_id, labels, force
        self.report: DeliveryReport | None = None
        self.done = False
        self._last = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.labels("sending"), classes="dialog-title", id="send-title")
            yield ProgressBar(total=None, show_eta=False, id="send-progress")
            yield Static("", id="send-rate")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.labels("close"), id="close", disabled=True)

    def on_mount(self) -> None:
        self._send()

    @work(thread=True, exit_on_error=False)
    def _send(self) -> None:
        from composer import pipeline
        from composer.tui.state import worker_context

        try:
            from composer.edition.stored import mark_ready

            with worker_context(self.context) as ctx:
                # Sending approves: the edition goes ready → sending → sent, exactly as stored.
                row = ctx.store.edition_row(self.edition_id)
                if row is not None and row["status"] == "draft":
                    mark_ready(ctx.store, self.edition_id, pipeline.templates(ctx))
                report = pipeline.deliver(ctx, self.edition_id, force=self.force, progress=self._tick).report
        except ComposerError as exc:
            self.app.call_from_thread(self._finish, None, str(exc))
        except Exception as exc:  # a bug, but the editor gets a message, not a traceback
            self.app.call_from_thread(self._finish, None, f"{type(exc).__name__}: {exc}")
        else:
            self.app.call_from_thread(self._finish, report, "")

    def _tick(self, progress: Progress) -> None:
        # Called from the worker thread for every message: throttle UI updates to ~20 a second.
        now = time.monotonic()
        if now - self._last < 0.05 and progress.done < progress.total:
            return
        self._last = now
        self.app.call_from_thread(self._show, progress)

    def _show(self, progress: Progress) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        self.query_one("#send-rate", Static).update(
            self.labels(
                "progress",
                done=progress.done,
                total=progress.total,
                sent=progress.sent,
                failed=progress.failed,
                rate=progress.rate,
                left=progress.seconds_left,
            )
        )

    def _finish(self, report: DeliveryReport | None, error: str) -> None:
        self.report, self.done = report, True
        title = self.query_one("#send-title", Label)
        if report is None:
            title.update(Text(error, style="bold red"))
            self.app.notify(error, severity="error", timeout=10)
        else:
            bar = self.query_one(ProgressBar)
            bar.update(total=max(bar.total or 0, 1), progress=max(bar.total or 0, 1))
            summary = self.labels(
                "sent_result",
                sent=report.sent,
                skipped=report.skipped,
                failed=len(report.failed),
                deferred=len(report.deferred),
            )
            title.update(Text(summary, style="bold green" if report.ok else "bold yellow"))
            for address, reason in (*report.failed, *report.deferred)[:5]:
                self.app.notify(f"{address}: {reason}", severity="warning", timeout=10)
        button = self.query_one("#close", Button)
        button.disabled = False
        button.focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close once the send is over (a send in flight cannot be abandoned half-way from here)."""
        if self.done:
            self.dismiss(self.report)
