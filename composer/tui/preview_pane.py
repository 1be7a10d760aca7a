"""The preview tab: the plain-text email as subscribers' text clients show it, plus the send actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, TextArea

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp


class PreviewText(TextArea):
    """The read-only text part; ctrl+e sends here (a TextArea would move to the end of the line)."""

    BINDINGS: ClassVar = [Binding("ctrl+e", "app.send", "send", show=False)]


class PreviewPane(Vertical):
    """Actions on top (open HTML, test address, send), the text part below."""

    BINDINGS: ClassVar = [
        Binding("o", "app.open_html", "open_html"),
        Binding("t", "test_address", "send_test"),
    ]

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.composer.t
        with Horizontal(id="preview-bar"):
            yield Button(f"{t('open_html')} (o)", id="open-html", compact=True)
            yield Input(placeholder=t("test_address"), id="test-address")
            yield Button(f"{t('send')} (ctrl+e)", id="send", variant="primary", compact=True)
        yield PreviewText(t("preview_empty"), id="preview-text", read_only=True, soft_wrap=False)

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
