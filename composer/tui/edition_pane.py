"""The edition tab: title, subject, preheader, introduction; picked articles in order; tone; preflight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from composer.models import ToneBalance
from composer.preflight import Check

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

FIELDS = ("title", "subject", "preheader")
STATUS_STYLE = {
    "draft": "yellow",
    "ready": "bold green",
    "sending": "bold cyan",
    "sent": "dim",
    "failed": "bold red",
}
BAR = 20


def balance_bar(balance: ToneBalance | None, t: object) -> Text:
    """A one-line bar: green share positive, grey neutral, red negative, with the figures."""
    text = Text.assemble((f"{t('balance')} ", "bold"))  # type: ignore[operator]
    if balance is None:
        return text + Text("—", style="dim")
    pos = round(balance.positive * BAR)
    neg = round(balance.negative * BAR)
    text.append("█" * pos, style="green")
    text.append("█" * (BAR - pos - neg), style="grey50")
    text.append("█" * neg, style="red")
    text.append(f" +{balance.positive:.0%} ={balance.neutral:.0%} −{balance.negative:.0%}")
    if balance.warning:
        text.append(f"\n{balance.warning}", style="bold yellow")
    return text


def checklist(checks: Sequence[Check], language: str) -> Text:
    """The preflight checks as lines: ✓ passed, ! warning (with what is concerned), ✗ blocking."""
    text = Text()
    marks = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "error": ("✗", "bold red")}
    for check in checks:
        mark, style = marks[check.level]
        text.append(f"{mark} ", style=style)
        text.append(check.label(language))
        if check.items and not check.ok:
            shown = ", ".join(i[:40] for i in check.items[:3])
            more = f" (+{len(check.items) - 3})" if len(check.items) > 3 else ""
            text.append(f" : {shown}{more}", style="dim")
        text.append("\n")
    return text


class PickedList(OptionList):
    """The picked articles in edition order."""

    BINDINGS: ClassVar = [
        Binding("shift+up,K", "app.move_pick(-1)", "move_up", key_display="⇧↑"),
        Binding("shift+down,J", "app.move_pick(1)", "move_down", key_display="⇧↓"),
        Binding("space,delete", "app.toggle_pick", "unpick", show=False),
    ]


class EditionPane(Horizontal):
    """Fields on the left; order, tone balance and the preflight checklist on the right."""

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.composer.t
        draft = self.composer.draft
        with VerticalScroll(id="edition-fields"):
            yield Static(id="edition-status")
            for name in FIELDS:
                yield Label(t(name), classes="field-label")
                yield Input(getattr(draft, name), id=f"field-{name}", classes="field")
            yield Label(t("introduction"), classes="field-label")
            yield TextArea(
                draft.introduction, id="field-introduction", soft_wrap=True, show_line_numbers=False
            )
        with Vertical(id="edition-side"):
            yield Label(t("picked"), classes="field-label")
            yield PickedList(id="picked")
            yield Static(id="balance")
            yield Label(t("preflight"), classes="field-label")
            with VerticalScroll(id="preflight-scroll"):
                yield Static(t("not_built"), id="preflight")

    def load_fields(self) -> None:
        """Show the draft's fields again (a new draft starts after a send)."""
        draft = self.composer.draft
        for name in FIELDS:
            self.query_one(f"#field-{name}", Input).value = getattr(draft, name)
        self.query_one("#field-introduction", TextArea).load_text(draft.introduction)
        self.show_checks(None)

    def show_status(self, edition_id: str, status: str) -> None:
        """Which edition this is and where it stands; the fields are read-only unless it is a draft."""
        t = self.composer.t
        text = Text.assemble(
            (t("edition_status", id=edition_id) if edition_id else t("edition_new"), "bold"),
            " · ",
            (t(f"status_{status}"), STATUS_STYLE.get(status, "")),
        )
        self.query_one("#edition-status", Static).update(text)
        for name in FIELDS:
            self.query_one(f"#field-{name}", Input).disabled = status != "draft"
        self.query_one("#field-introduction", TextArea).read_only = status != "draft"

    def refresh_picks(self, titles: Sequence[tuple[str, str]], highlight: str | None = None) -> None:
        """List (id, title) in edition order, keeping the cursor on ``highlight``."""
        picked = self.query_one(PickedList)
        previous = picked.highlighted or 0
        picked.clear_options()
        if not titles:
            picked.add_option(Option(Text(self.composer.t("no_picks"), style="italic"), disabled=True))
            return
        picked.add_options(Option(f"{n}. {title}", id=aid) for n, (aid, title) in enumerate(titles, 1))
        index = next((i for i, (aid, _) in enumerate(titles) if aid == highlight), None)
        picked.highlighted = index if index is not None else min(previous, len(titles) - 1)

    def current_pick(self) -> str | None:
        """The id of the picked article under the cursor."""
        picked = self.query_one(PickedList)
        if picked.highlighted is None:
            return None
        return picked.get_option_at_index(picked.highlighted).id

    def show_balance(self, balance: ToneBalance | None) -> None:
        """Update the tone bar."""
        self.query_one("#balance", Static).update(balance_bar(balance, self.composer.t))

    def show_checks(self, checks: Sequence[Check] | None, stale: bool = False) -> None:
        """Update the checklist (None: not built yet)."""
        t = self.composer.t
        widget = self.query_one("#preflight", Static)
        if checks is None:
            widget.update(t("not_built"))
            return
        text = checklist(checks, t.language)
        if stale:
            text = Text(t("stale") + "\n", style="bold yellow") + text
        widget.update(text)

    @on(Input.Changed, ".field")
    def _field(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        self.composer.set_field(name, event.value)

    @on(TextArea.Changed, "#field-introduction")
    def _intro(self, event: TextArea.Changed) -> None:
        self.composer.set_field("introduction", event.text_area.text)
