"""The edition tab: title, subject, preheader, introduction; picked articles in order; tone; preflight."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static, TextArea
from textual.widgets.option_list import Option

from composer.models import ToneBalance
from composer.preflight import Check
from composer.tui.i18n import Labels
from composer.tui.keymap import bindings
from composer.tui.widgets import ListOptions

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
BAR = 10  # the bar and its figures fit the side pane at 80 columns


# tone_balance (composer.edition) judges the balance from three articles on: below that, the
# checklist says it was not checked rather than showing a tick.
BALANCE_MIN_ARTICLES = 3


def balance_bar(balance: ToneBalance | None, t: Labels) -> Text:
    """A one-line bar: green share positive, grey neutral, red negative, with the figures."""
    text = Text.assemble((f"{t('balance')} ", "bold"))
    if balance is None:
        return text + Text("—", style="dim")
    pos = round(balance.positive * BAR)
    neg = round(balance.negative * BAR)
    text.append("█" * pos, style="green")
    text.append("█" * (BAR - pos - neg), style="grey50")
    text.append("█" * neg, style="red")
    text.append(f" +{balance.positive:.0%} ={balance.neutral:.0%} −{balance.negative:.0%}")
    if balance.warning:  # the library words it in French: say it in the editor's language
        side = "tone_positive" if balance.positive >= balance.negative else "tone_negative"
        share = max(balance.positive, balance.negative)
        text.append(f"\n{t('balance_warning', share=share, side=t(side))}", style="bold yellow")
    return text


def check_line(check: Check, t: Labels) -> str:
    """What a check found, worded for its verdict ("Aucune section vide", "2 articles sans date")."""
    key = f"chk_{check.key}_{'ok' if check.ok else 'bad'}"
    if key not in t:  # a check newer than this catalogue: its own label
        return check.label(t.language)
    return t(key, kb=check.size / 1024, n=len(check.items))


def checklist(checks: Sequence[Check], t: Labels, *, stale: bool = False, articles: int = 0) -> Table:
    """The preflight checks, one per line: ✓ passed, ! warning, ✗ blocking, – not checked.

    A check that did not run never shows a tick: the balance with fewer than three articles, and
    every check once the edition changed since the build (``stale``: "?" until it is built again).
    What a failed check concerns follows on indented lines, cut with "…" to the pane's width.
    """
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    marks = {"ok": ("✓", "green"), "warning": ("!", "yellow"), "error": ("✗", "bold red")}
    for check in checks:
        mark, style = marks[check.level]
        line = check_line(check, t)
        if check.key == "balance" and check.ok and articles < BALANCE_MIN_ARTICLES:
            mark, style, line = "–", "dim", t("chk_balance_skip")
        if stale:
            mark, style = "?", "dim"
        grid.add_row(Text(mark, style=style), Text(line, style="dim" if stale else ""))
        if check.items and not check.ok and check.key != "balance":
            for item in check.items[:3]:
                grid.add_row("", Text(f"· {item}", style="dim", no_wrap=True, overflow="ellipsis"))
            if len(check.items) > 3:
                grid.add_row("", Text(f"  (+{len(check.items) - 3})", style="dim"))
    return grid


class PickedList(ListOptions):
    """The picked articles in edition order (long titles wrap: every line shows)."""

    BINDINGS: ClassVar = bindings("edition")


class EditionPane(Horizontal):
    """Fields on the left; order, tone balance and the preflight checklist on the right.

    Each field is framed, its name in the frame, and the frame lights up when it has the focus.
    """

    BINDINGS: ClassVar = bindings("", echo="edition")

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        draft = self.composer.draft
        with VerticalScroll(id="edition-fields"):
            yield Static(id="edition-status")
            for name in FIELDS:
                yield Input(getattr(draft, name), id=f"field-{name}", classes="field")
            yield TextArea(
                draft.introduction, id="field-introduction", soft_wrap=True, show_line_numbers=False
            )
        with Vertical(id="edition-side"):
            yield PickedList(id="picked")
            yield Static(id="balance")
            with VerticalScroll(id="preflight-scroll"):
                yield Static(id="preflight")

    def on_mount(self) -> None:
        app = self.composer
        t = app.t
        for name in (*FIELDS, "introduction"):
            self.query_one(f"#field-{name}").border_title = t(name)
        up, down = app.key_label("edition.move_up"), app.key_label("edition.move_down")
        self.query_one(PickedList).border_title = t("picked", up=up, down=down)
        self.query_one("#preflight-scroll").border_title = t("pane_checks")
        self.show_checks(None)

    def field_values(self) -> dict[str, str]:
        """What the fields hold now (title, subject, preheader, introduction)."""
        values = {name: self.query_one(f"#field-{name}", Input).value for name in FIELDS}
        values["introduction"] = self.query_one("#field-introduction", TextArea).text
        return values

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
            key = self.composer.key_label("library.pick")
            picked.add_option(
                Option(Text(self.composer.t("no_picks", key=key), style="italic"), disabled=True)
            )
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

    def show_checks(self, checks: Sequence[Check] | None, stale: bool = False, articles: int = 0) -> None:
        """Update the checklist (None: not built yet); ``articles`` is how many the build had."""
        app = self.composer
        t = app.t
        widget = self.query_one("#preflight", Static)
        key = app.key_label("app.build")
        if checks is None:
            widget.update(t("not_built", key=key))
            return
        grid = checklist(checks, t, stale=stale, articles=articles)
        widget.update(Group(Text(t("stale", key=key), style="bold yellow"), grid) if stale else grid)

    @on(Input.Changed, ".field")
    def _field(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        self.composer.set_field(name, event.value)

    @on(TextArea.Changed, "#field-introduction")
    def _intro(self, event: TextArea.Changed) -> None:
        self.composer.set_field("introduction", event.text_area.text)
