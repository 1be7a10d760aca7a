"""Dialogs: yes/no questions, quitting, the block editor, the editions list, the help, sending, the palette.

Every dialog fits 80×24 (long bodies scroll, buttons stay on screen), names the key of each
button, and puts the focus on the safe answer of any question about something that cannot be
taken back.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.align import Align
from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Label, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from composer.errors import ComposerError
from composer.tui.edition_pane import STATUS_STYLE
from composer.tui.i18n import Labels
from composer.tui.keymap import bindings
from composer.tui.widgets import ListTable, ScrollText

if TYPE_CHECKING:
    from composer.deliver.send import Progress
    from composer.models import DeliveryReport
    from composer.pipeline import Context
    from composer.tui.app import ComposerApp


class Dialog(ModalScreen[object]):
    """What every dialog shares: the user's keys and labels on its bindings, the app typed.

    ``SCOPE`` names its actions in the key map (the palette offers them while it is open);
    ``HAS_LIST`` says the list keys work in it.
    """

    SCOPE: ClassVar[str] = ""
    HAS_LIST: ClassVar[bool] = False

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def button_label(self, label: str, action_id: str) -> str:
        """A button's text with the key that presses it: "Envoyer (y)"."""
        return self.composer.t("button_key", label=label, key=self.composer.key_label(action_id))

    def _on_mount(self, event: object) -> None:
        # Textual calls each class's own mount handler (Screen's too): no super() here.
        self.composer.prepare_keys(self)


class ConfirmScreen(Dialog):
    """A question with two answers; y / n / Escape work as well as the mouse.

    ``default`` is the button Enter presses: "no" unless the question risks nothing, so a
    destructive action never happens on a reflex Enter.
    """

    SCOPE = "confirm"
    BINDINGS: ClassVar = bindings("confirm")

    def __init__(
        self, title: str, body: str | Text, yes: str = "", no: str = "", default: Literal["yes", "no"] = "no"
    ) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no, self.default = title, body, yes, no, default
        # Textual focuses AUTO_FOCUS when the screen becomes active; its default ("*") could
        # give the scrollable body the focus for a moment before on_mount moves it.
        self.AUTO_FOCUS = f"#{default}"

    def compose(self) -> ComposeResult:
        t = self.composer.t
        yield Footer(compact=True)
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body)
            with Horizontal(classes="dialog-buttons"):
                yes = self.button_label(self.yes or t("yes"), "confirm.yes")
                no = self.button_label(self.no or t("no"), "confirm.no")
                yield Button(yes, id="yes", variant="error" if self.default == "no" else "primary")
                yield Button(no, id="no", variant="primary" if self.default == "no" else "default")

    def on_mount(self) -> None:
        self.query_one(f"#{self.default}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)


class QuitScreen(Dialog):
    """Quitting with something unsaved: stay (the default), save and quit, or quit anyway."""

    AUTO_FOCUS = "#cancel"  # what on_mount focuses, so the activation focus never lands elsewhere first

    SCOPE = "quit"
    BINDINGS: ClassVar = bindings("quit")

    def __init__(self, reason: str, can_save: bool = True) -> None:
        super().__init__()
        self.reason, self.can_save = reason, can_save

    def compose(self) -> ComposeResult:
        t = self.composer.t
        yield Footer(compact=True)
        with Vertical(classes="dialog"):
            yield Label(t("quit_title"), classes="dialog-title")
            yield Static(self.reason, classes="dialog-body")
            with Vertical(classes="dialog-choices"):
                yield Button(
                    self.button_label(t("a:quit.cancel"), "quit.cancel"), id="cancel", variant="primary"
                )
                if self.can_save:
                    yield Button(self.button_label(t("a:quit.save"), "quit.save"), id="save")
                    discard = t("a:quit.discard")
                else:
                    discard = t("a:app.quit")
                yield Button(self.button_label(discard, "quit.discard"), id="discard", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_answer(None if event.button.id == "cancel" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        """Close with "save", "discard" or None (stay)."""
        if answer == "save" and not self.can_save:
            return
        self.dismiss(answer)


class EditScreen(Dialog):
    """A block's text in a TextArea: ctrl+s keeps it, Escape drops it, ctrl+z undoes as usual."""

    AUTO_FOCUS = "TextArea"  # what on_mount focuses, so the activation focus never lands elsewhere first

    SCOPE = "edit"
    BINDINGS: ClassVar = bindings("edit")

    def __init__(self, title: str, text: str, section: str = "") -> None:
        super().__init__()
        self.title_text, self.text, self.section = title, text, section

    def compose(self) -> ComposeResult:
        t = self.composer.t
        yield Footer(compact=True)
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            yield TextArea(self.text, id="editor", soft_wrap=True, show_line_numbers=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.button_label(t("save"), "edit.save"), id="save", variant="primary")
                yield Button(self.button_label(t("cancel"), "edit.cancel"), id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.border_title = self.section
        area.focus()
        area.move_cursor(area.document.end)

    def changed(self) -> bool:
        """Whether the text differs from what the dialog opened with (quitting would lose it)."""
        return self.is_mounted and self.query_one(TextArea).text != self.text

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep the edited text."""
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Drop the changes."""
        self.dismiss(None)


class EditionsScreen(Dialog):
    """Every stored edition, newest first, with its status and delivery counts.

    Displays only: it answers (action, edition id) and the app acts: "open" (Enter) a draft or
    a ready edition, "unready" (u) a ready one back to draft, "new" (n) edition; Escape closes.
    """

    SCOPE = "editions"
    HAS_LIST = True
    BINDINGS: ClassVar = bindings("editions")
    COLUMNS = ("", "col_edition", "col_status", "col_articles", "col_sent", "col_failed", "col_title")

    def __init__(self, rows: Sequence[Mapping[str, object]], current: str) -> None:
        super().__init__()
        self.rows, self.current = list(rows), current

    def compose(self) -> ComposeResult:
        app = self.composer
        keys = {name: app.key_label(f"editions.{name}") for name in ("open", "unready", "new", "close")}
        yield Footer(compact=True)
        with Vertical(classes="dialog wide"):
            yield Label(app.t("editions_title"), classes="dialog-title")
            yield ListTable(id="editions-table", cursor_type="row", zebra_stripes=True)
            yield Static(app.t("editions_help", **keys), classes="dialog-help")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        t = self.composer.t
        # Fixed widths so the title takes what is left, ending in "…", instead of running off the
        # dialog: 90% of the screen less the dialog's frame and padding, the table's frame and
        # scrollbar, and each cell's padding.
        widths = [1, 13, 10, 4, 4, 4]
        room = int(self.app.size.width * 0.9) - 6 - 4 - 2 * len(self.COLUMNS) - sum(widths)
        for label, width in zip(self.COLUMNS, [*widths, max(6, room)], strict=True):
            table.add_column(t(label) if label else "", key=label or "current", width=width)
        for row in self.rows:
            status = str(row["status"])
            table.add_row(
                Text("▸", style="bold") if row["id"] == self.current else "",
                str(row["id"]),
                Text(
                    t(f"status_{status}"),
                    style=STATUS_STYLE.get(status, ""),
                    overflow="ellipsis",
                    no_wrap=True,
                ),
                str(row["articles"]),
                str(row["sent"]),
                Text(str(row["failed"]), style="red" if row["failed"] else ""),
                Text(str(row["title"]), no_wrap=True, overflow="ellipsis"),
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


class HelpScreen(Dialog):
    """The current tab's keys first, then the others; Escape or ? closes, the list keys scroll."""

    AUTO_FOCUS = "ScrollText"  # what on_mount focuses, so the activation focus never lands elsewhere first

    SCOPE = "help"
    HAS_LIST = True
    BINDINGS: ClassVar = bindings("help")

    def __init__(self, text: RenderableType, title: str) -> None:
        super().__init__()
        self.text, self.title_text = text, title

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            with ScrollText(id="help-text"):
                yield Static(self.text)

    def on_mount(self) -> None:
        self.query_one(ScrollText).focus()  # the list keys and page keys scroll the help

    def action_close(self) -> None:
        """Back to the editor."""
        self.dismiss(None)


class Palette(CommandPalette):
    """Textual's command palette, in the editor's language (its placeholder, its footer, "no match")."""

    BINDINGS: ClassVar = [Binding("escape", "escape", "palette_exit")]

    def __init__(self, labels: Labels, **kwargs: object) -> None:
        super().__init__(placeholder=labels("palette_placeholder"), **kwargs)  # type: ignore[arg-type]
        self.labels = labels

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Footer(compact=True)  # the palette's own keys, not the editor's underneath

    def _on_mount(self, event: object) -> None:
        # Textual calls CommandPalette's own mount handler as well: no super() here.
        self.app.prepare_keys(self)  # type: ignore[attr-defined]

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own says "No matches found" in English; the rest is the same.
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                text = Text(self.labels("palette_no_matches"), style="not bold")
                option = Option(Align.center(text), disabled=True, id=self._NO_MATCHES)
                self.query_one(CommandList).add_option(option)
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


class SendScreen(Dialog):
    """The send itself: a progress bar with the rate, then the result; Escape closes when done."""

    SCOPE = "send"
    BINDINGS: ClassVar = bindings("send")

    def __init__(self, context: Context, edition_id: str, *, force: bool = False) -> None:
        super().__init__()
        self.context, self.edition_id, self.force = context, edition_id, force
        self.report: DeliveryReport | None = None
        self.done = False
        self._last = 0.0

    @property
    def labels(self) -> Labels:
        """The editor's labels."""
        return self.composer.t

    def compose(self) -> ComposeResult:
        yield Footer(compact=True)
        with Vertical(classes="dialog"):
            yield Label(self.labels("sending"), classes="dialog-title", id="send-title")
            yield ProgressBar(total=None, show_eta=False, id="send-progress")
            yield Static("", id="send-rate")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.button_label(self.labels("close"), "send.close"), id="close", disabled=True)

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
