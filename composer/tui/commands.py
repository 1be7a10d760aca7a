"""The editor's actions (bound to keys and listed in the command palette), as a mixin of the app.

Kept apart from ``app.py`` so the app module holds state and layout, and this one what the
editor does with them: add, archive, remove, edit sections, build, preview, test and send.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SystemCommand

from composer import library, subscribers
from composer.edition.edits import DigestChoice, get_edit, revert_edit, save_choice, save_edit
from composer.errors import ComposerError
from composer.tui import jobs
from composer.tui.modals import ConfirmScreen, EditScreen, HelpScreen, SendScreen
from composer.tui.state import Draft

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

    _Base = ComposerApp
else:
    _Base = object


class EditorActions(_Base):
    """Actions of :class:`~composer.tui.app.ComposerApp`."""

    # -- library -----------------------------------------------------------------------

    def add_sources(self, value: str) -> None:
        """Add what the editor typed: one or more paths, URLs or feeds (quote paths with spaces)."""
        try:
            sources = shlex.split(value)
        except ValueError:
            sources = [value]
        self.add_sources_list([os.path.expanduser(s) for s in sources])

    def add_sources_list(self, sources: list[str], samples: bool = False) -> None:
        """Ingest ``sources`` in a thread, then reload the table and say what happened."""
        self.notify(", ".join(sources)[:120], title=self.t("add"), timeout=3)
        self.run_guarded(
            lambda: jobs.add(self.context, sources, with_sample_subscribers=samples), self._added
        )

    def _added(self, result: object) -> None:
        assert isinstance(result, jobs.AddResult)
        self.library.load(library.article_rows(self.context.store))
        if result.added:
            self.notify(self.t("added", n=len(result.added)))
            table = self.query_one("#library-table")
            if result.added[-1] in table.rows:  # type: ignore[attr-defined]
                table.move_cursor(row=table.get_row_index(result.added[-1]))  # type: ignore[attr-defined]
        if result.duplicates:
            names = "; ".join(result.duplicates[:3])
            self.notify(f"{self.t('duplicates', n=len(result.duplicates))} : {names}", severity="warning")
        for error in result.errors[:5]:
            self.notify(error, severity="error", timeout=10)

    def action_archive(self) -> None:
        """Archive the highlighted article: hidden from the library, kept in past editions."""
        aid = self.library.current_id()
        if not aid:
            return
        library.archive_articles(self.context.store, [aid])
        self._drop_pick(aid)
        self.library.load(library.article_rows(self.context.store))
        self.notify(self.t("archived", n=1))

    def action_remove(self) -> None:
        """Delete the highlighted article after confirmation (not if a sent edition carried it)."""
        aid = self.library.current_id()
        article = self.article(aid) if aid else None
        if not aid or article is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            removed, kept = library.remove_articles(self.context.store, [aid])
            if removed:
                self._drop_pick(aid)
                self.cache.forget(aid)
                self._articles.pop(aid, None)
                self.notify(self.t("removed", n=len(removed)))
            if kept:
                self.notify(self.t("kept", n=len(kept)), severity="warning")
            self.library.load(library.article_rows(self.context.store))

        question = self.t("confirm_remove", title=article.title)
        self.push_screen(ConfirmScreen(self.t("remove"), question, self.t("yes"), self.t("no")), answer)

    def _drop_pick(self, aid: str) -> None:
        if aid in self.draft.picks:
            self.draft.toggle(aid)
            self.draft.save(self.context.store)
            self.changed()
            self.refresh_picks()

    # -- review and edits -----------------------------------------------------------------

    def ensure_draft(self) -> str:
        """The draft's id, storing the draft first if it is new (edits need an edition to belong to)."""
        if not self.draft.edition_id:
            self.draft.save(self.context.store)
        return self.draft.edition_id

    def set_choice(self, choice: DigestChoice) -> None:
        """Use another summary method or length for the highlighted article, and show it."""
        aid = self.current_id
        if not aid or self.choice(aid) == choice:
            return
        self.choices[aid] = choice
        save_choice(self.context.store, self.ensure_draft(), aid, choice)
        self.changed()
        self.request_digest(aid)
        self.show_review()

    def action_edit_section(self) -> None:
        """Open the section under the cursor in an editor."""
        kind, item = self.review.selected_kind(), self.current_item()
        if item is None or kind is None:
            return
        section = next(s for s in item.sections if s.kind == kind)
        key = (item.article.id, kind)
        current = self.edits.get(key)
        text = current.edited if current else section.text

        def saved(new: str | None) -> None:
            if new is None:
                return
            save_edit(self.context.store, self.ensure_draft(), key[0], kind, section.text, new)
            self._record(key, current)
            self.notify(self.t("edit_saved"), timeout=3)

        title = self.t("edit_title", section=section.heading)
        self.push_screen(EditScreen(title, text, self.t), saved)

    def action_revert_section(self) -> None:
        """Go back to composer's text for the section under the cursor."""
        kind, aid = self.review.selected_kind(), self.current_id
        if kind is None or aid is None or (aid, kind) not in self.edits:
            return
        previous = self.edits[(aid, kind)]
        revert_edit(self.context.store, self.draft.edition_id, aid, kind)
        self._record((aid, kind), previous)
        self.notify(self.t("edit_reverted"), timeout=3)

    def action_undo_edit(self) -> None:
        """Undo the last section edit or revert."""
        if not self.undo_stack:
            self.notify(self.t("nothing_to_undo"), timeout=2)
            return
        (aid, kind), previous = self.undo_stack.pop()
        eid = self.draft.edition_id
        if previous is None:
            revert_edit(self.context.store, eid, aid, kind)
        else:
            save_edit(self.context.store, eid, aid, kind, previous.original, previous.edited)
        self._record((aid, kind), None, undoable=False)

    def _record(self, key: tuple[str, str], previous: object, undoable: bool = True) -> None:
        if undoable:
            self.undo_stack.append((key, previous))  # type: ignore[arg-type]
        edit = get_edit(self.context.store, self.draft.edition_id, *key)
        if edit:
            self.edits[key] = edit
        else:
            self.edits.pop(key, None)
        self.changed()
        self.show_review()

    # -- build, preview, send ---------------------------------------------------------------

    def action_build(self, then: str = "", address: str = "") -> None:
        """Build, render and check the edition in a thread; ``then`` continues with send/test/open."""
        if not self.draft.picks:
            self.notify(self.t("pick_first"), severity="warning")
            return
        if self.built and self.built.version == self.version and then:
            self._after_build(then, address)
            return
        self.notify(self.t("building"), timeout=2)
        draft, version = Draft(**vars(self.draft) | {"picks": list(self.draft.picks)}), self.version

        def done(result: object) -> None:
            assert isinstance(result, jobs.BuildResult)
            self.built = result
            self.edition.show_checks(result.checks, stale=result.version != self.version)
            self.edition.show_balance(result.edition.balance)
            self.query_one("PreviewPane").show_text(result.text_path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
            size = next((c.size for c in result.checks if c.key == "size"), 0)
            self.notify(self.t("built", id=result.edition.id, kb=size / 1024), timeout=3)
            if then:
                self._after_build(then, address)

        def job() -> jobs.BuildResult:
            result = jobs.build(self.context, draft, version, self.cache)
            self.draft.edition_id = draft.edition_id  # a new draft got its id when first stored
            return result

        self.run_guarded(job, done)

    def action_mark_ready(self) -> None:
        """Build, then mark the edition ready: the next `composer weekly` (cron) sends this one."""
        self.action_build("ready")

    def _after_build(self, then: str, address: str) -> None:
        if then == "ready":
            assert self.built is not None
            from composer.edition.stored import mark_ready
            from composer.pipeline import templates

            edition_id = self.built.edition.id
            try:
                mark_ready(self.context.store, edition_id, templates(self.context))
            except ComposerError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                return
            self.notify(self.t("marked_ready", id=edition_id), timeout=4)
        elif then == "send":
            self._confirm_send()
        elif then == "test":
            self._send_test(address)
        elif then == "open":
            self._open_html()

    def action_open_html(self) -> None:
        """Open the rendered HTML in the browser (or say where it is when there is no browser)."""
        self.action_build("open")

    def _open_html(self) -> None:
        assert self.built is not None
        path = self.built.html_path
        graphical = (
            sys.platform in ("darwin", "win32")
            or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
        )
        if not graphical:
            # A text browser would take over this terminal; give the path instead.
            self.notify(str(path), title=self.t("open_html"), timeout=10)
            return

        def job() -> bool:
            import webbrowser

            return webbrowser.open(path.as_uri())

        self.run_guarded(job, lambda ok: self.notify(self.t("opened", path=path), timeout=6))

    def send_test(self, address: str) -> None:
        """Send one proof of the current edition to ``address``."""
        self.action_build("test", address)

    def _send_test(self, address: str) -> None:
        assert self.built is not None
        rendered = self.built.rendered
        self.run_guarded(
            lambda: jobs.send_test(self.context, rendered, address),
            lambda name: self.notify(self.t("test_sent", address=address, transport=name)),
        )

    def action_send(self) -> None:
        """Build if needed, then ask for confirmation and send to every active subscriber."""
        self.action_build("send")

    def _confirm_send(self) -> None:
        assert self.built is not None
        count = len(subscribers.listing(self.context.store))
        if not count:
            self.notify(self.t("no_subscribers"), severity="error", timeout=8)
            return
        settings = self.context.settings
        if settings.transport == "smtp":
            transport = self.t("transport_smtp", host=settings.smtp_host, port=settings.smtp_port)
        else:
            transport = self.t("transport_outbox", path=self.context.workspace.outbox)
        body = Text(self.t("confirm_send", subject=self.built.rendered.subject, n=count, transport=transport))
        failed = [c for c in self.built.checks if c.level == "error"]
        if failed:
            body.append(f"\n\n{self.t('blocking')}\n", style="bold red")
            for check in failed:
                body.append(f"✗ {check.label(self.t.language)}\n", style="red")
        yes = self.t("send_anyway") if failed else self.t("send")
        edition_id, force = self.built.edition.id, bool(failed)

        def answer(go: bool | None) -> None:
            if go:
                self.push_screen(SendScreen(self.context, edition_id, self.t, force=force), self._sent)

        self.push_screen(ConfirmScreen(self.t("send"), body, yes, self.t("cancel")), answer)

    def _sent(self, report: object) -> None:
        row = self.context.store.edition_row(self.draft.edition_id)
        if report is None or row is None or row["status"] != "sent":
            return
        # The edition went out: start a fresh draft; the sent one stays in the workspace.
        self.draft = Draft.resume_or_new(
            self.context.store, self.context.settings.newsletter_name, self.today
        )
        self.edits, self.choices, self.undo_stack, self.built = {}, {}, [], None
        self.changed()
        self.edition.load_fields()
        self.query_one("PreviewPane").show_text(self.t("preview_empty"))  # type: ignore[attr-defined]
        self.refresh_picks()

    # -- help and palette ---------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from composer.tui.help import help_text

        self.push_screen(HelpScreen(help_text(self.t), self.t("help_title")))

    def editor_commands(self) -> Iterable[SystemCommand]:
        """The editor's actions for the command palette (ctrl+p)."""
        t = self.t
        yield SystemCommand(t("build"), "ctrl+b", self.action_build)
        yield SystemCommand(t("ready"), "ctrl+r", self.action_mark_ready)
        yield SystemCommand(t("send"), "ctrl+e", self.action_send)
        yield SystemCommand(t("open_html"), "o", self.action_open_html)
        yield SystemCommand(t("theme"), "ctrl+t", self.action_toggle_theme)
        yield SystemCommand(t("help"), "f1", self.action_help)
        yield SystemCommand(t("pick_all"), "", self.pick_all_shown)
        yield SystemCommand(t("clear_picks"), "", self.clear_picks)
        for n, tab in enumerate(("library", "review", "edition", "preview"), 1):
            yield SystemCommand(t(f"tab_{tab}"), str(n), lambda tab=tab: self.action_show_tab(tab))

    def pick_all_shown(self) -> None:
        """Pick every article the filter shows (in the shown order)."""
        for row in self.library.shown:
            if row.id not in self.draft.picks:
                self.draft.picks.append(row.id)
                self.request_digest(row.id, priority=1)
        self.draft.save(self.context.store)
        self.changed()
        self.refresh_picks()

    def clear_picks(self) -> None:
        """Unpick everything."""
        self.draft.picks.clear()
        self.draft.save(self.context.store)
        self.changed()
        self.refresh_picks()
