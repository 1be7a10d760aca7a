"""The editor's lists and scrolling panes, all moved by the same keys (the ``list.*`` actions).

Textual's DataTable, OptionList and VerticalScroll name their movements differently, and a row
table's Home and End scroll sideways instead of going to the first and last row.  These
subclasses give each the same six actions, so j/k/g/G, Home/End and PgUp/PgDn (or whatever the
user bound them to) do the same thing in every list: the library, the review's blocks, the picked
articles, the editions dialog, the article's text and the help.
"""

from __future__ import annotations

from typing import ClassVar

from textual.containers import VerticalScroll
from textual.widgets import DataTable, OptionList

from composer.tui.keymap import bindings


class ListTable(DataTable[object]):
    """A row table that moves like every other list (Home/g first row, End/G last row)."""

    BINDINGS: ClassVar = bindings("list")

    def action_list_down(self) -> None:
        """Next row."""
        self.action_cursor_down()

    def action_list_up(self) -> None:
        """Previous row."""
        self.action_cursor_up()

    def action_list_top(self) -> None:
        """First row."""
        self.action_scroll_top()

    def action_list_bottom(self) -> None:
        """Last row."""
        self.action_scroll_bottom()

    def action_list_page_down(self) -> None:
        """One screen down."""
        self.action_page_down()

    def action_list_page_up(self) -> None:
        """One screen up."""
        self.action_page_up()


class ListOptions(OptionList):
    """An option list that moves like every other list, and never drops a wrapped line.

    OptionList measures each option's wrapped height when it is added; if its scrollbar appears
    afterwards the text is drawn two columns narrower than it was measured, wraps onto one more
    line, and that last line is lost.  Keeping the scrollbar's gutter reserved makes the width
    measured the width drawn.
    """

    DEFAULT_CSS = """
    ListOptions {
        scrollbar-gutter: stable;
    }
    """
    BINDINGS: ClassVar = bindings("list")

    def action_list_down(self) -> None:
        """Next option."""
        self.action_cursor_down()

    def action_list_up(self) -> None:
        """Previous option."""
        self.action_cursor_up()

    def action_list_top(self) -> None:
        """First option."""
        self.action_first()

    def action_list_bottom(self) -> None:
        """Last option."""
        self.action_last()

    def action_list_page_down(self) -> None:
        """One screen down."""
        self.action_page_down()

    def action_list_page_up(self) -> None:
        """One screen up."""
        self.action_page_up()


class ScrollText(VerticalScroll):
    """Text that scrolls with the list keys (the article's text, the help)."""

    BINDINGS: ClassVar = bindings("list")

    def action_list_down(self) -> None:
        """One line down."""
        self.action_scroll_down()

    def action_list_up(self) -> None:
        """One line up."""
        self.action_scroll_up()

    def action_list_top(self) -> None:
        """The top."""
        self.action_scroll_home()

    def action_list_bottom(self) -> None:
        """The bottom."""
        self.action_scroll_end()

    def action_list_page_down(self) -> None:
        """One screen down."""
        self.action_page_down()

    def action_list_page_up(self) -> None:
        """One screen up."""
        self.action_page_up()
