"""The preview tab: the inbox line as a mail client lists it, the plain-text email, the send actions.

The inbox line (sender, subject, preheader) is what a reader sees before opening the message,
so it is shown above the message the way Gmail or Apple Mail list it: sender and date, subject,
then the preheader, each cut with "…" at the pane's width.
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static, TextArea

from composer.models import RenderedEdition
from composer.tui.keymap import BY_ID, bindings

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp


def inbox_line(sender: str, subject: str, preheader: str, date: str) -> Group:
    """Sender and date, subject, preheader: three lines, each ellipsised to the width."""
    name, address = parseaddr(sender)
    top = Table.grid(expand=True)
    top.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    top.add_column(no_wrap=True, justify="right")
    who = Text(no_wrap=True, overflow="ellipsis")
    who.append(name or address or sender, style="bold")
    if name and address:
        who.append(f"  <{address}>", style="dim")
    top.add_row(who, Text(date, style="dim"))
    return Group(
        top,
        Text(subject, style="bold", no_wrap=True, overflow="ellipsis"),
        Text(preheader, style="dim", no_wrap=True, overflow="ellipsis"),
    )


class PreviewText(TextArea):
    """The read-only text part; the send key sends here (a TextArea would move to the end of the line).

    It scrolls with the list keys like every list (j/k, g/G, Home/End: the first and last line).
    """

    BINDINGS: ClassVar = [
        *bindings("list"),
        Binding(BY_ID["app.send"].keys, "app.send", "a:app.send", id="app.send"),
    ]

    def action_list_down(self) -> None:
        """One line down."""
        self.action_cursor_down()

    def action_list_up(self) -> None:
        """One line up."""
        self.action_cursor_up()

    def action_list_top(self) -> None:
        """The first line."""
        self.move_cursor((0, 0))

    def action_list_bottom(self) -> None:
        """The last line."""
        self.move_cursor(self.document.end)

    def action_list_page_down(self) -> None:
        """One screen down."""
        self.action_cursor_page_down()

    def action_list_page_up(self) -> None:
        """One screen up."""
        self.action_cursor_page_up()


class PreviewPane(Vertical):
    """Actions on top (open HTML, test address, send), the inbox line, the text part below."""

    BINDINGS: ClassVar = bindings("preview", echo="preview")

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.composer
        t = app.t
        with Horizontal(id="preview-bar"):
            label = t("button_key", label=t("open_html"), key=app.key_label("preview.open_html"))
            yield Button(label, id="open-html", compact=True)
            yield Input(placeholder=t("test_address", key=app.key_label("preview.test")), id="test-address")
            label = t("button_key", label=t("send"), key=app.key_label("app.send"))
            yield Button(label, id="send", variant="primary", compact=True)
        yield Static(id="inbox")
        # Wrapped like a text mail client wraps a long line (a URL), never cut at the edge.
        yield PreviewText("", id="preview-text", read_only=True, soft_wrap=True)

    def on_mount(self) -> None:
        t = self.composer.t
        self.query_one("#inbox").border_title = t("pane_inbox")
        self.query_one("#preview-text").border_title = t("pane_message")
        self.show_empty()

    def show_empty(self) -> None:
        """Nothing built yet (or a new edition): say how to build."""
        app = self.composer
        key = app.key_label("app.build")
        self.query_one("#inbox", Static).update(Text(app.t("inbox_empty", key=key), style="dim italic"))
        self.show_text(app.t("preview_empty", key=key))

    def show_email(self, sender: str, rendered: RenderedEdition, date: str) -> None:
        """Show the inbox line of the built edition."""
        self.query_one("#inbox", Static).update(
            inbox_line(sender, rendered.subject, rendered.preheader, date)
        )

    def show_text(self, text: str) -> None:
        """Show the email's text part."""
        area = self.query_one("#preview-text", TextArea)
        area.load_text(text)
        area.scroll_home(animate=False)

    def action_test_address(self) -> None:
        """Focus the test address field."""
        self.query_one("#test-address", Input).focus()

    @on(Input.Submitted, "#test-address")
    def _test(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.composer.send_test(event.value.strip())

    @on(Button.Pressed, "#open-html")
    def _open(self) -> None:
        self.composer.action_open_html()

    @on(Button.Pressed, "#send")
    def _send(self) -> None:
        self.composer.action_send()
