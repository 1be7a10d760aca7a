"""The review tab: the article's text beside its chapô, "L'essentiel" and the five sections.

Summary sentences are underlined in the text; every quoted sentence on the right names its
place in the article ("phrase 12") and Enter on it scrolls the text there and lights it up, so
the editor can check that nothing is quoted out of context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from composer.edition.edits import DigestChoice, SectionEdit, changed_sentences, edited_section
from composer.models import Article, EditionItem, Part, Section

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


def section_options(section: Section, edit: SectionEdit | None, t: object, language: str) -> list[Option]:
    """One option per quoted sentence (with the framing words before it); edited text is marked."""
    label = t("edited") if edit else ""  # type: ignore[operator]
    heading = Text.assemble((section.heading, "bold"), (f"  ✎ {label}" if edit else "", "italic yellow"))
    options = [Option(heading, id=f"{section.kind}:h")]
    shown = edited_section(section, edit.edited, language) if edit else section
    changed = changed_sentences(edit.original, edit.edited, language) if edit else []
    edited_text = " ".join(edit.edited.split()) if edit else ""
    pending: list[Part] = []
    for n, part in enumerate(shown.parts):
        pending.append(part)
        if part.kind == "source" or n == len(shown.parts) - 1:
            options.append(Option(_prompt(pending, t, edited_text, changed), id=f"{section.kind}:{n}"))
            pending = []
    return options


def _prompt(parts: list[Part], t: object, edited: str, changed: list[tuple[int, int]]) -> Text:
    text = Text("  ")
    for part in parts:
        if part.kind == "source":
            text.append(part.text)
            text.append(f" [{t('source_of', n=(part.sentence_index or 0) + 1)}]", style="dim cyan")  # type: ignore[operator]
        else:
            is_new = edited and any(part.text in edited[s:e] or edited[s:e] in part.text for s, e in changed)
            text.append(part.text + " ", style="italic yellow" if is_new else "dim italic")
    return text


class ReviewPane(Vertical):
    """Method and length selectors on top, the source text left, the newsletter's sections right."""

    BINDINGS: ClassVar = [
        Binding("e", "app.edit_section", "edit"),
        Binding("r", "app.revert_section", "revert", show=False),
        Binding("ctrl+z", "app.undo_edit", "undo"),
        Binding("m", "next_method", "method"),
        Binding("plus", "length(1)", "longer", show=False),
        Binding("minus", "length(-1)", "shorter", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.article: Article | None = None
        self.spans: dict[int, tuple[int, int]] = {}
        self._syncing = False

    @property
    def composer(self) -> ComposerApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        t = self.composer.t
        methods = self.composer.methods
        with Horizontal(id="review-bar"):
            yield Static(t("no_article"), id="review-title")
            yield Select([(m, m) for m in methods], value="default", allow_blank=False, id="method")
            yield Select(
                [(t("auto") if n == 0 else str(n), n) for n in LENGTHS],
                value=0,
                allow_blank=False,
                id="length",
            )
        with Horizontal(id="review-body"):
            yield VerticalScroll(id="source-text", can_focus=True)
            yield OptionList(id="sections")

    def show(
        self,
        article: Article | None,
        item: EditionItem | None,
        choice: DigestChoice,
        edits: dict[str, SectionEdit],
    ) -> None:
        """Display ``article`` with ``item`` (None while it is being summarized)."""
        t = self.composer.t
        self._syncing = True
        self.query_one("#method", Select).value = choice.method
        self.query_one("#length", Select).value = choice.sentences
        self._syncing = False
        title = self.query_one("#review-title", Static)
        options = self.query_one("#sections", OptionList)
        if article is None:
            title.update(t("no_article"))
            self.query_one("#source-text").remove_children()
            options.clear_options()
            self.article = None
            return
        title.update(Text(article.title, style="bold", overflow="ellipsis", no_wrap=True))
        if self.article is None or self.article.id != article.id or item is not getattr(self, "_item", None):
            self._render_text(article, item)
        self.article = article
        highlighted = options.highlighted
        options.clear_options()
        if item is None:
            options.add_option(Option(Text(t("computing"), style="italic"), id="wait", disabled=True))
            return
        options.add_options(self._options(item, edits))
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted

    def _options(self, item: EditionItem, edits: dict[str, SectionEdit]) -> list[Option]:
        t = self.composer.t
        language = self.composer.t.language
        out = [Option(Text(t("chapo"), style="bold"), id="chapo:h")]
        out += [Option(self._sentence(s.text, s.index), id=f"chapo:{s.index}") for s in item.digest.summary]
        out.append(Option(Text(t("essentiel"), style="bold"), id="key:h"))
        out += [
            Option(self._sentence(s.text, s.index, "• "), id=f"key:{s.index}") for s in item.digest.key_points
        ]
        for section in item.sections:
            out += section_options(section, edits.get(section.kind), t, language)
        return out

    def _sentence(self, text: str, index: int, bullet: str = "  ") -> Text:
        return Text.assemble(bullet, text, (f" [{self.composer.t('source_of', n=index + 1)}]", "dim cyan"))

    def _render_text(self, article: Article, item: EditionItem | None) -> None:
        self._item = item
        self._target: tuple[int, int] | None = None
        scroll = self.query_one("#source-text", VerticalScroll)
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
                self.query_one("#source-text", VerticalScroll).scroll_to_widget(
                    widget, animate=False, top=True
                )

    def selected_kind(self) -> str | None:
        """The section kind under the cursor on the right, if it is one of the five sections."""
        options = self.query_one("#sections", OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id or ""
        kind = option_id.split(":")[0]
        return None if kind in ("chapo", "key", "wait") else kind

    @on(OptionList.OptionSelected, "#sections")
    @on(OptionList.OptionHighlighted, "#sections")
    def _option(self, event: OptionList.OptionSelected | OptionList.OptionHighlighted) -> None:
        item = self.composer.current_item()
        if item is None or self.article is None:
            return
        kind, _, rest = (event.option.id or "").partition(":")
        if rest == "h" or not rest.isdigit():
            return
        n = int(rest)
        if kind in ("chapo", "key"):
            sentence = next(
                (s for s in (*item.digest.summary, *item.digest.key_points) if s.index == n), None
            )
            if sentence:
                self.jump_to(sentence.start, sentence.end)
            return
        section = next((s for s in item.sections if s.kind == kind), None)
        edit = self.composer.edits.get((self.article.id, kind))
        if section is None:
            return
        shown = edited_section(section, edit.edited, self.composer.t.language) if edit else section
        if n < len(shown.parts):
            part = shown.parts[n]
            if part.kind == "source" and part.start is not None and part.end is not None:
                self.jump_to(part.start, part.end)

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
