"""The review tab: the article's text beside its chapô, "L'essentiel" and the five sections.

Summary sentences are underlined in the text; every quoted sentence on the right names its
place in the article ("phrase 12") and Enter on it scrolls the text there and lights it up, so
the editor can check that nothing is quoted out of context.

Every block reads as the newsletter will print it: the editor's rewrites in place (marked
"modifié", their own words in yellow, the edit note at the end), a dropped block struck through
and marked "(retiré)"; its text stays on screen so that revert (r) can bring it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from composer.edition.edits import (
    BLOCKS,
    EDITED_NOTE,
    DigestChoice,
    SectionEdit,
    changed_sentences,
    edited_item,
    edited_section,
)
from composer.models import Article, EditionItem, Part, Section, Sentence
from composer.tui.i18n import Labels
from composer.tui.keymap import bindings
from composer.tui.widgets import ListOptions, ScrollText

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

LENGTHS = (0, 1, 2, 3, 4, 5)


def _paragraph_spans(article: Article) -> list[tuple[int, int]]:
    if article.paragraphs:
        return [(p.start, p.end) for p in article.paragraphs]
    spans, pos = [], 0
    for block in article.text.split("\n\n"):
        spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return spans


Span = tuple[int, int] | None
Row = tuple[Option, Span]  # an option and the article span Enter jumps to (None: the editor's words)


def is_dropped(edit: SectionEdit | None) -> bool:
    """Whether the editor dropped the block (an edit with empty text)."""
    return edit is not None and not edit.edited.strip()


def block_heading(label: str, edit: SectionEdit | None, t: Labels) -> Text:
    """A block's heading: "✎ modifié" when rewritten; struck through and "(retiré)" when dropped."""
    if edit is None:
        return Text(label, style="bold")
    if is_dropped(edit):
        return Text.assemble((label, "bold strike dim"), (f"  ✗ {t('dropped')}", "italic red"))
    return Text.assemble((label, "bold"), (f"  ✎ {t('edited')}", "italic yellow"))


def sentence_options(
    prefix: str,
    label: str,
    original: Sequence[Sentence],
    shown: Sequence[Sentence],
    edit: SectionEdit | None,
    t: Labels,
    bullet: str = "  ",
) -> list[Row]:
    """The chapô or "L'essentiel" as the newsletter prints it: sentences, then the edit note.

    ``shown`` are the sentences with the edit applied; the editor's own words (index -1) are
    marked and name no sentence of the article.  A dropped block shows its original, struck.
    """
    rows: list[Row] = [(Option(block_heading(label, edit, t), id=f"{prefix}:h"), None)]
    dropped = is_dropped(edit)
    for n, sentence in enumerate(original if dropped else shown):
        text = Text(bullet)
        own = sentence.index < 0
        text.append(sentence.shown, style="strike dim" if dropped else "italic yellow" if own else "")
        if not own:
            text.append(f" [{t('source_of', n=sentence.index + 1)}]", style="dim cyan")
        rows.append((Option(text, id=f"{prefix}:{n}"), None if own else (sentence.start, sentence.end)))
    if edit is not None and not dropped:
        note = EDITED_NOTE.get(t.language, EDITED_NOTE["fr"])
        rows.append((Option(Text(f"  {note}", style="dim italic"), id=f"{prefix}:note"), None))
    return rows


def section_options(section: Section, edit: SectionEdit | None, t: Labels, language: str) -> list[Row]:
    """One option per quoted sentence (with the framing words before it); edited text is marked.

    The section reads as the newsletter prints it (the edit applied, with its note); a dropped
    section keeps its original text on screen, struck, so it can be restored with revert.
    """
    rows: list[Row] = [(Option(block_heading(section.heading, edit, t), id=f"{section.kind}:h"), None)]
    dropped = is_dropped(edit)
    shown, changed, edited_text = section, [], ""
    if edit is not None and not dropped:
        shown = edited_section(section, edit.edited, language)
        changed = changed_sentences(edit.original, edit.edited, language)
        edited_text = " ".join(edit.edited.split())
    pending: list[Part] = []
    for n, part in enumerate(shown.parts):
        pending.append(part)
        if part.kind == "source" or n == len(shown.parts) - 1:
            span = (part.start, part.end) if part.kind == "source" and part.start is not None else None
            prompt = _prompt(pending, t, edited_text, changed, dropped)
            rows.append((Option(prompt, id=f"{section.kind}:{n}"), span))  # type: ignore[arg-type]
            pending = []
    return rows


def _prompt(parts: list[Part], t: Labels, edited: str, changed: list[tuple[int, int]], dropped: bool) -> Text:
    text = Text("  ")
    for part in parts:
        if dropped:
            text.append(part.text + " ", style="strike dim")
        elif part.kind == "source":
            text.append(part.text)
            text.append(f" [{t('source_of', n=(part.sentence_index or 0) + 1)}]", style="dim cyan")
        else:
            is_new = edited and any(part.text in edited[s:e] or edited[s:e] in part.text for s, e in changed)
            text.append(part.text + " ", style="italic yellow" if is_new else "dim italic")
    return text


class ReviewPane(Vertical):
    """Method and length selectors on top, the source text left, the newsletter's sections right."""

    BINDINGS: ClassVar = bindings("review", echo="review")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self._spans: dict[str, tuple[int, int]] = {}
        self._syncing = False

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.composer.t
        methods = self.composer.methods
        with Horizontal(id="review-bar"):
            yield Static(t("no_article", key=self.composer.key_label("app.tab_library")), id="review-title")
            named = {"default": t("method_default"), "sentences": t("method_sentences")}
            names = [(named.get(m, m), m) for m in methods]
            yield Select(names, value="default", allow_blank=False, id="method")
            yield Select(
                [(t("auto") if n == 0 else str(n), n) for n in LENGTHS],
                value=0,
                allow_blank=False,
                id="length",
            )
        with Horizontal(id="review-body"):
            yield ScrollText(id="source-text", can_focus=True)
            yield ListOptions(id="sections")

    def on_mount(self) -> None:
        t = self.composer.t
        self.query_one("#source-text").border_title = t("pane_source")
        self.query_one("#sections").border_title = t("pane_blocks")

    def show(
        self,
        article: Article | None,
        item: EditionItem | None,
        choice: DigestChoice,
        edits: dict[str, SectionEdit],
        position: tuple[int, int] | None = None,
    ) -> None:
        """Display ``article`` with ``item`` (None while it is being summarized) and the editor's edits.

        ``position`` is the article's place among the picked ones, (n, total), shown in the title.
        """
        t = self.composer.t
        self._syncing = True
        self.query_one("#method", Select).value = choice.method
        self.query_one("#length", Select).value = choice.sentences
        self._syncing = False
        title = self.query_one("#review-title", Static)
        options = self.query_one("#sections", OptionList)
        if article is None:
            title.update(t("no_article", key=self.composer.key_label("app.tab_library")))
            self.query_one("#source-text").remove_children()
            options.clear_options()
            self.article = None
            return
        heading = Text(overflow="ellipsis", no_wrap=True)
        if position:
            heading.append(f"{position[0]}/{position[1]} ", style="bold green")
        heading.append(article.title, style="bold")
        title.update(heading)
        if self.article is None or self.article.id != article.id or item is not getattr(self, "_item", None):
            self._render_text(article, item)
        self.article = article
        highlighted = options.highlighted
        kept = options.get_option_at_index(highlighted).id if highlighted is not None else None
        options.clear_options()
        self._spans = {}
        if item is None:
            options.add_option(Option(Text(t("computing"), style="italic"), id="wait", disabled=True))
            return
        rows = self._options(item, edits)
        self._spans = {option.id: span for option, span in rows if option.id and span}
        options.add_options([option for option, _ in rows])
        # Stay on the same block when the next article comes up, else on the same line.
        ids = [option.id for option, _ in rows]
        if kept in ids:
            options.highlighted = ids.index(kept)
        elif highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def _options(self, item: EditionItem, edits: dict[str, SectionEdit]) -> list[Row]:
        """Every block of the entry as the newsletter will print it, the editor's edits applied."""
        t = self.composer.t
        language = t.language
        shown = edited_item(item, {k: e for k, e in edits.items() if not is_dropped(e)}, language)
        rows = sentence_options(
            "chapo", t("chapo"), item.digest.summary, shown.digest.summary, edits.get("chapo"), t
        )
        rows += sentence_options(
            "key",
            t("essentiel"),
            item.digest.key_points,
            shown.digest.key_points,
            edits.get("essentiel"),
            t,
            "• ",
        )
        for section in item.sections:
            rows += section_options(section, edits.get(section.kind), t, language)
        return rows

    def _render_text(self, article: Article, item: EditionItem | None) -> None:
        self._item = item
        self._target: tuple[int, int] | None = None
        scroll = self.query_one("#source-text", ScrollText)
        scroll.remove_children()
        spans = _paragraph_spans(article)
        widgets = [Static(self._styled(article, a, b), classes="paragraph") for a, b in spans]
        scroll.mount_all(widgets)
        scroll.scroll_home(animate=False)
        self._paragraphs = list(zip(spans, widgets, strict=True))

    def _styled(self, article: Article, start: int, end: int) -> Text:
        """One paragraph: key points bold, chapô sentences bold underlined, the jump target reversed."""
        text = Text(article.text[start:end])
        item = getattr(self, "_item", None)
        if item is not None:
            for s in item.digest.key_points:
                if start <= s.start < end:
                    text.stylize("bold", s.start - start, s.end - start)
            for s in item.digest.summary:
                if start <= s.start < end:
                    text.stylize("bold underline", s.start - start, s.end - start)
        target = getattr(self, "_target", None)
        if target and start <= target[0] < end:
            text.stylize("reverse", target[0] - start, min(target[1], end) - start)
        return text

    def jump_to(self, start: int, end: int) -> None:
        """Light up the span ``start:end`` of the article text and scroll it into view."""
        if self.article is None:
            return
        old, self._target = getattr(self, "_target", None), (start, end)
        for (a, b), widget in getattr(self, "_paragraphs", []):
            if old and a <= old[0] < b:
                widget.update(self._styled(self.article, a, b))
            if a <= start < b:
                widget.update(self._styled(self.article, a, b))
                self.query_one("#source-text", ScrollText).scroll_to_widget(widget, animate=False, top=True)

    def selected_kind(self) -> str | None:
        """The block under the cursor on the right: "chapo", "essentiel" or a section kind."""
        options = self.query_one("#sections", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        kind = {"key": "essentiel"}.get(option_id.split(":")[0], option_id.split(":")[0])
        return kind if kind in BLOCKS else None

    @on(OptionList.OptionSelected, "#sections")
    @on(OptionList.OptionHighlighted, "#sections")
    def _option(self, event: OptionList.OptionSelected | OptionList.OptionHighlighted) -> None:
        span = self._spans.get(event.option.id or "")
        if span is not None:
            self.jump_to(*span)

    @on(Select.Changed)
    def _choice_changed(self) -> None:
        if self._syncing:
            return
        method = self.query_one("#method", Select).value
        length = self.query_one("#length", Select).value
        self.composer.set_choice(DigestChoice(str(method), int(length)))  # type: ignore[arg-type]

    def action_next_method(self) -> None:
        """Switch to the next summary method."""
        select = self.query_one("#method", Select)
        methods = self.composer.methods
        select.value = methods[(methods.index(str(select.value)) + 1) % len(methods)]

    def action_length(self, step: int) -> None:
        """A longer (+1) or shorter (-1) chapô; 0 means the method's own default."""
        select = self.query_one("#length", Select)
        select.value = max(0, min(LENGTHS[-1], int(select.value) + step))  # type: ignore[arg-type]
