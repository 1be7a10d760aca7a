"""The editor's terminal UI: library, review, edition and preview tabs over one workspace.

The app owns the editor's state (the draft edition, the digest cache, the edits) and the
workers; the panes only display it and call back.  Nothing slow runs on the UI thread: digests
are computed by one background thread fed from a priority queue (the highlighted article first,
then the picked ones), and building, rendering, adding and sending run in thread workers that
report back with messages or ``call_from_thread``.
"""

from __future__ import annotations

import itertools
import queue
import sys
from collections.abc import Callable
from datetime import date as Date
from typing import ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, TabbedContent, TabPane
from textual.worker import get_current_worker

from composer import library
from composer.edition.edits import DEFAULT_CHOICE, DigestChoice, SectionEdit, choices_for, edits_for
from composer.errors import ComposerError
from composer.models import Article, EditionItem
from composer.pipeline import Context
from composer.tui import commands, discover, jobs, keymap, publish
from composer.tui.edition_pane import EditionPane, PickedList
from composer.tui.i18n import Labels
from composer.tui.keymap import TABS, KeyConfig
from composer.tui.library_pane import LibraryPane
from composer.tui.modals import ConfirmScreen
from composer.tui.preview_pane import PreviewPane
from composer.tui.review_pane import ReviewPane
from composer.tui.state import NLP, DigestCache, Draft, Undo, worker_context

MAIN_WIDGET = {
    "library": "#library-table",
    "review": "#sections",
    "edition": "#picked",
    "preview": "#preview-text",
}


class DigestReady(Message):
    """A digest finished in the background thread."""

    def __init__(self, article_id: str, choice: DigestChoice) -> None:
        super().__init__()
        self.article_id, self.choice = article_id, choice




class ComposerApp(commands.EditorActions, publish.PublishActions, discover.KeyActions, App[None]):
    """The editor.  Build it with a :class:`Context`; ``today`` pins the date for tests.

    ``keys`` is the key map in force (:func:`composer.tui.keymap.load` reads the user's file;
    the default keys when None), so tests never depend on the machine's configuration.
    """

    CSS_PATH = "composer.tcss"
    TITLE = "composer"
    # Send (ctrl+e) is not a priority binding: those run before keys already queued (space,
    # space, ctrl+e would send before picking).  Text fields keep ctrl+e; the preview rebinds it.
    BINDINGS: ClassVar = [*keymap.bindings("app"), Binding("escape", "leave_field", show=False)]
    # A typed edition field is stored once typing pauses this long (seconds).
    FIELD_SAVE_DELAY = 0.5

    def __init__(
        self,
        context: Context,
        *,
        today: Date | None = None,
        background: bool = True,
        keys: KeyConfig | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.t = Labels(context.settings.language)
        self.keys = keys or keymap.DEFAULT
        self.COMMAND_PALETTE_BINDING = self.keys.first("app.palette")  # where the footer looks for it
        self.today = today
        self.background = background
        from composer.summarize import available_methods

        self.methods = available_methods()
        store = context.store
        self.draft = Draft.resume_or_new(
            store, context.settings.newsletter_name, today, self.t("draft_title")
        )
        self.edits: dict[tuple[str, str], SectionEdit] = edits_for(store, self.draft.edition_id)
        self.choices: dict[str, DigestChoice] = choices_for(store, self.draft.edition_id)
        self.cache = DigestCache()
        self.current_id: str | None = None
        self.undo_stack: list[Undo] = []
        self._discarding = False
        self.version = 0
        self.built: jobs.BuildResult | None = None
        self._queue: queue.PriorityQueue[tuple[int, int, str, DigestChoice]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._articles: dict[str, Article] = {}
        self._highlight_timer: Timer | None = None
        self._save_timer: Timer | None = None
        self._fields_dirty = False
        self._digested: set[str] = set()
        self._digested_timer: Timer | None = None

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            for tab in TABS:
                with TabPane(self.t(f"tab_{tab}"), id=tab):
                    yield {"library": LibraryPane, "review": ReviewPane, "edition": EditionPane}.get(
                        tab, PreviewPane
                    )(id=f"{tab}-pane")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = self._short_path(self.context.workspace.root)
        self.prepare_keys(self)
        self.prepare_keys(self.screen)
        for problem in self.keys.problems:
            self.notify(problem.message(self.t), severity="error", timeout=20)
        self.call_after_refresh(self._localize_header)
        rows = library.article_rows(self.context.store)
        self.library.load(rows)
        self.query_one("#library-table", DataTable).focus()
        self.refresh_picks()
        self.refresh_status()
        if self.background:
            self._digest_loop()
        for aid in self.draft.picks:
            self.request_digest(aid, priority=1)
        if not rows:
            self.call_after_refresh(self._offer_samples)

    @property
    def _base(self) -> Screen[object]:
        # The panes live on the first screen; a modal on top (help, confirmation) must not hide them.
        return self.screen_stack[0]

    @property
    def library(self) -> LibraryPane:
        """The library pane."""
        return self._base.query_one(LibraryPane)

    @property
    def review(self) -> ReviewPane:
        """The review pane."""
        return self._base.query_one(ReviewPane)

    @property
    def edition(self) -> EditionPane:
        """The edition pane."""
        return self._base.query_one(EditionPane)

    # -- digests -----------------------------------------------------------------------

    def choice(self, article_id: str) -> DigestChoice:
        """The summary method and length chosen for an article (default unless changed)."""
        return self.choices.get(article_id, DEFAULT_CHOICE)

    def request_digest(self, article_id: str, priority: int = 0) -> None:
        """Queue an article for the background digest thread (0 = now, 1 = when idle)."""
        choice = self.choice(article_id)
        if self.cache.get(article_id, choice) is None:
            # Newest first within a priority: the article the editor looks at now wins.
            self._queue.put((priority, -next(self._seq), article_id, choice))

    @work(thread=True, exit_on_error=False, group="digests")
    def _digest_loop(self) -> None:
        from composer.edition.edits import compose_item
        from composer.perspectives.templates import PerspectiveTemplates

        worker = get_current_worker()
        # The digest thread is pure Python and rarely releases the GIL: a 1 ms switch interval
        # (default 5 ms) lets the UI thread in sooner, p95 key latency 58 → 8 ms in bench/tui_start.py.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.001))
        templates = PerspectiveTemplates(self.context.template_path, self.context.settings.language)
        with worker_context(self.context) as ctx:
            while not worker.is_cancelled:
                try:
                    _, _, aid, choice = self._queue.get(timeout=0.1)
                except queue.Empty:
                    continue
                if self.cache.get(aid, choice) is not None:
                    continue
                article = ctx.store.article(aid)
                if article is None:
                    continue
                try:
                    with NLP.background():
                        item = compose_item(article, templates, choice)
                    self.cache.put(aid, choice, item)
                except ComposerError as exc:
                    self.call_from_thread(self.notify, str(exc), severity="error")
                    continue
                self.post_message(DigestReady(aid, choice))

    def on_digest_ready(self, message: DigestReady) -> None:
        # Digests can arrive hundreds a second; redraw at most ten times a second so keys stay quick.
        self._digested.add(message.article_id)
        if self._digested_timer is None:
            self._digested_timer = self.set_timer(0.1, self._show_ready)

    def _show_ready(self) -> None:
        self._digested_timer = None
        ready, self._digested = self._digested, set()
        if not self.screen_stack or not self._base.query(LibraryPane):
            return  # the app is closing: nothing left to update
        for article_id in ready:
            self.library.update_row(article_id)
        if ready & set(self.draft.picks):
            self.library.update_status()
            self.edition.show_balance(self.live_balance())
        if self.current_id in ready and self._base.query_one(TabbedContent).active == "review":
            self.show_review()

    def digest_now(self, article_id: str, choice: DigestChoice | None = None) -> EditionItem:
        """Compute an item on the calling thread (tests and benchmarks without the loop)."""
        from composer.edition.edits import compose_item
        from composer.perspectives.templates import PerspectiveTemplates

        choice = choice or self.choice(article_id)
        article = self.article(article_id)
        assert article is not None
        templates = PerspectiveTemplates(self.context.template_path, self.context.settings.language)
        with NLP.foreground():
            item = compose_item(article, templates, choice)
        self.cache.put(article_id, choice, item)
        return item

    def current_item(self) -> EditionItem | None:
        """The computed item of the highlighted article with its current choice, if ready."""
        return self.cache.get(self.current_id, self.choice(self.current_id)) if self.current_id else None

    def tone(self, article_id: str) -> float | None:
        """The article's tone once its digest exists."""
        item = self.cache.get(article_id, self.choice(article_id))
        return item.tone if item else None

    def article(self, article_id: str) -> Article | None:
        """The full article (read on demand, kept for the session)."""
        if article_id not in self._articles:
            article = self.context.store.article(article_id)
            if article is None:
                return None
            self._articles[article_id] = article
        return self._articles[article_id]

    def live_balance(self) -> object:
        """The tone balance of the picked articles summarized so far."""
        from composer.edition import tone_balance

        items = [i for i in (self.cache.get(a, self.choice(a)) for a in self.draft.picks) if i]
        return tone_balance(items) if items else None

    def estimated_size(self) -> int:
        """Estimated HTML size of the edition from the digests computed so far."""
        from composer.preflight import estimate_html_bytes

        items = [i for i in (self.cache.get(a, self.choice(a)) for a in self.draft.picks) if i]
        return (
            estimate_html_bytes(items, unknown=len(self.draft.picks) - len(items)) if self.draft.picks else 0
        )

    # -- highlighted article and tabs --------------------------------------------------

    def article_highlighted(self, article_id: str) -> None:
        """The library cursor moved: summarize that article once the cursor rests."""
        self.current_id = article_id
        if self._highlight_timer is not None:
            self._highlight_timer.stop()
        self._highlight_timer = self.set_timer(0.15, lambda: self.request_digest(article_id))

    def show_review(self) -> None:
        """Show the highlighted article in the review tab."""
        article = self.article(self.current_id) if self.current_id else None
        if article is not None:
            self.request_digest(article.id)
        edits = {k: v for (aid, k), v in self.edits.items() if article and aid == article.id}
        choice = self.choice(article.id) if article else DEFAULT_CHOICE
        position = self.pick_position(article.id) if article else 0
        self.review.show(
            article,
            self.current_item(),
            choice,
            edits,
            (position, len(self.draft.picks)) if position else None,
        )

    def action_show_tab(self, tab: str) -> None:
        """Switch tab and focus its main widget."""
        self.query_one(TabbedContent).active = tab
        self._focus_main(tab)

    def action_leave_field(self) -> None:
        """Escape from a text field back to the tab's list, so letter and digit keys work again."""
        self._focus_main(self.query_one(TabbedContent).active)

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if not self.screen_stack:
            return  # the app closed with this message still queued
        tab = event.pane.id
        if tab == "review":
            self.show_review()
        elif tab == "edition":
            self.refresh_picks()
        # The key that switched tabs focused the pane already, and keys typed since (shift+tab to a
        # field, then words) may have moved on: only a click on the tab still needs the focus.
        focused = self.focused
        if focused is None or not any(node is event.pane for node in focused.ancestors_with_self):
            self._focus_main(tab or "library")

    def _focus_main(self, tab: str) -> None:
        # Focus now, not after the keys already queued (widget.focus() waits for them): "1" then
        # space must pick in the library, "2" then "n" must step in the review.  A tab change
        # still queued when the app closes finds no widget left: nothing to focus.
        for widget in self.query(MAIN_WIDGET.get(tab, "#library-table"))[:1]:
            widget.screen.set_focus(widget)

    # -- picks ---------------------------------------------------------------------------

    def pick_position(self, article_id: str) -> int:
        """1-based position in the edition, 0 when not picked."""
        return self.draft.picks.index(article_id) + 1 if article_id in self.draft.picks else 0

    def changed(self) -> None:
        """Anything in the edition changed: the last build is stale."""
        self.version += 1
        if self.is_mounted(self.edition):
            built = self.built
            self.edition.show_checks(
                built.checks if built else None,
                stale=built is not None,
                articles=len(built.edition.items) if built else 0,
            )
            self.refresh_status()

    def refresh_status(self) -> None:
        """Show the current edition's id and status; its fields are read-only unless it is a draft."""
        self.edition.show_status(self.draft.edition_id, self.draft.status(self.context.store))

    def refresh_picks(self, highlight: str | None = None) -> None:
        """Redraw the picked list, the balance and the library's pick numbers."""
        titles = [(a, art.title) for a in self.draft.picks if (art := self.article(a))]
        self.edition.refresh_picks(titles, highlight)
        self.edition.show_balance(self.live_balance())
        self.library.update_picks()

    def action_toggle_pick(self) -> None:
        """Pick or unpick the highlighted article (library) or remove the one under the cursor (edition).

        u undoes it (an unpicked article goes back to its place in the edition).
        """
        in_edition = isinstance(self.focused, PickedList)
        aid = self.edition.current_pick() if in_edition else self.library.current_id()
        if not aid or not self.editable():
            return
        if not in_edition and self.library.archived_view:
            self.notify(self.t("restore_first", key=self.key_label("library.archive")), timeout=3)
            return
        self.undo_stack.append(Undo("picks", picks=tuple(self.draft.picks)))
        picked = self.draft.toggle(aid)
        self.draft.save(self.context.store)
        if picked:
            self.request_digest(aid, priority=1)
        self.changed()
        self.refresh_picks()
        if not in_edition:
            self.query_one("#library-table", DataTable).action_cursor_down()

    def action_move_pick(self, offset: int) -> None:
        """Move the picked article under the cursor up or down in the edition."""
        aid = self.edition.current_pick()
        if not aid or not self.editable():
            return
        self.undo_stack.append(Undo("picks", picks=tuple(self.draft.picks)))
        self.draft.move(aid, offset)
        self.draft.save(self.context.store)
        self.changed()
        self.refresh_picks(highlight=aid)

    def set_field(self, name: str, value: str) -> None:
        """An edition field changed (title, subject, preheader, introduction); saved shortly after."""
        if getattr(self.draft, name) == value or self.draft.status(self.context.store) != "draft":
            return  # unchanged, or shown read-only (a ready edition's fields are disabled)
        setattr(self.draft, name, value)
        self._fields_dirty = True
        self.changed()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.FIELD_SAVE_DELAY, self._timed_save)

    def _timed_save(self) -> None:
        self._save_timer = None  # fired: nothing to stop
        self.save_fields()

    def take_fields(self) -> None:
        """Read the fields as they show now: keys typed a moment ago may not have reported back yet."""
        from textual.css.query import NoMatches

        try:
            values = self.edition.field_values() if self.screen_stack else {}
        except NoMatches:  # the editor is closing: what was reported is all there is
            return
        for name, value in values.items():
            self.set_field(name, value)

    def save_fields(self) -> None:
        """Store the typed fields now rather than when the typing pauses (build, switching, quitting)."""
        if self._discarding:
            return  # the editor chose to quit without saving them
        self.take_fields()
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self._fields_dirty:
            self._fields_dirty = False
            self.draft.save(self.context.store)

    def on_unmount(self) -> None:
        # Leaving any other way than ctrl+q (a crash, the test driver) must not lose what was typed.
        self.save_fields()

    # -- help, theme, palette ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Global editor actions wait while a dialog is open (its TextArea keeps ctrl+e)."""
        modal = isinstance(self.screen, ModalScreen)
        return not (action in ("send", "build", "show_tab", "editions", "mark_ready") and modal)

    def _offer_samples(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.add_sources_list(jobs.sample_sources(), samples=True)

        # Loading samples destroys nothing: here the default answer is yes.
        self.push_screen(ConfirmScreen(self.t("empty_title"), self.t("empty_body"), default="yes"), answer)

    def run_guarded(self, job: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run ``job`` in a thread; its result goes to ``done``, its error to a notification."""

        def worker() -> None:
            try:
                result = job()
            except ComposerError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            except Exception as exc:  # a bug: still a message, never a traceback over the editor
                self.call_from_thread(
                    self.notify, f"{type(exc).__name__}: {exc}", severity="error", timeout=10
                )
            else:
                self.call_from_thread(done, result)

        self.run_worker(worker, thread=True, exit_on_error=False, group="jobs")


def run_app(context: Context) -> None:
    """Run the editor until the user quits; ctrl+q exits with status 0, a crash with non-zero.

    The keys come from the user's key file (``$XDG_CONFIG_HOME/composer/config.toml``); what is
    wrong in it is said in the editor, and those actions keep their default keys.
    """
    app = ComposerApp(context, keys=keymap.load())
    try:
        app.run()
    finally:
        context.close()
    if app.return_code:
        raise SystemExit(app.return_code)
