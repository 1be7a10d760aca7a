"""The editor's actions (bound to keys and listed in the command palette), as a mixin of the app.

Kept apart from ``app.py`` so the app module holds state and layout, and this one what the
editor does with them: add, archive, remove; edit, drop and revert blocks; step through the
articles; list, open and take back editions; build, mark ready, preview, test and send.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SystemCommand
from textual.screen import Screen
from textual.widgets import TabbedContent

from composer import library, subscribers
from composer.edition.edits import (
    DigestChoice,
    SectionEdit,
    block_text,
    choices_for,
    edits_for,
    get_edit,
    revert_edit,
    save_choice,
    save_edit,
)
from composer.errors import ComposerError
from composer.models import EditionItem
from composer.tui import jobs, keymap
from composer.tui.edition_pane import PickedList
from composer.tui.modals import ConfirmScreen, EditionsScreen, EditScreen, HelpScreen, SendScreen
from composer.tui.state import Draft, Undo

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
        self.library.load(self.library_rows())
        if result.added:
            self.notify(self.t("added", n=len(result.added)))
            table = self.query_one("#library-table")
            if result.added[-1] in table.rows:  # type: ignore[attr-defined]
                table.move_cursor(row=table.get_row_index(result.added[-1]))  # type: ignore[attr-defined]
        if result.duplicates:
            names = "; ".join(result.duplicates[:3])
            self.notify(self.t("duplicates", n=len(result.duplicates), names=names), severity="warning")
        for error in result.errors[:5]:
            self.notify(error, severity="error", timeout=10)

    def action_archive(self) -> None:
        """Archive the highlighted article (in the archived view: restore it); u undoes either."""
        aid = self.library.current_id()
        if not aid:
            return
        if self.library.archived_view:
            library.archive_articles(self.context.store, [aid], archived=False)
            self.undo_stack.append(Undo("restore", articles=(aid,)))
            self.library.load(self.library_rows())
            self.notify(self.t("restored", n=1), timeout=3)
            return
        before = tuple(self.draft.picks)
        library.archive_articles(self.context.store, [aid])
        picked = aid in self.draft.picks and self._drop_pick(aid)
        self.undo_stack.append(Undo("archive", articles=(aid,), picks=before if picked else None))
        self.library.load(self.library_rows())
        self.notify(self.t("archived", n=1, key=self.key_label("app.undo")), timeout=4)

    def action_toggle_archived(self) -> None:
        """Show the archived articles (to restore them) or the library again."""
        self.library.show_archived(not self.library.archived_view)
        self.library.load(self.library_rows())
        self.action_show_tab("library")

    def library_rows(self) -> list[library.ArticleRow]:
        """The rows the library shows now: the live articles, or the archived ones in that view."""
        if self.library.archived_view:
            return [r for r in library.article_rows(self.context.store, include_archived=True) if r.archived]
        return library.article_rows(self.context.store)

    def action_remove(self) -> None:
        """Delete the highlighted article after confirmation (not if a sent edition carried it).

        Nothing undoes a removal, so the question's default answer is no.
        """
        aid = self.library.current_id()
        article = self.article(aid) if aid else None
        if not aid or article is None:
            return

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            removed, kept = library.remove_articles(self.context.store, [aid])
            if removed:
                if aid in self.draft.picks:
                    self._drop_pick(aid)
                self.cache.forget(aid)
                self._articles.pop(aid, None)
                self.undo_stack = [u for u in self.undo_stack if aid not in u.articles]
                self.notify(self.t("removed", n=len(removed)))
            if kept:
                self.notify(self.t("kept", n=len(kept)), severity="warning")
            self.library.load(self.library_rows())

        question = self.t("confirm_remove", title=article.title)
        self.push_screen(ConfirmScreen(self.t("remove"), question, yes=self.t("remove")), answer)

    def _drop_pick(self, aid: str) -> bool:
        """Take an archived or removed article out of the draft (a ready edition keeps what it has)."""
        if aid not in self.draft.picks or self.draft.status(self.context.store) != "draft":
            return False
        self.draft.toggle(aid)
        self.draft.save(self.context.store)
        self.changed()
        self.refresh_picks()
        return True

    def set_picks(self, picks: Iterable[str]) -> None:
        """Make ``picks`` the edition's articles, in that order (undo uses it)."""
        self.draft.picks = [a for a in picks if self.article(a) is not None]
        self.draft.save(self.context.store)
        for aid in self.draft.picks:
            self.request_digest(aid, priority=1)
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
        if not self.editable():
            self.show_review()  # the selectors go back to the stored choice
            return
        self.choices[aid] = choice
        save_choice(self.context.store, self.ensure_draft(), aid, choice)
        self.changed()
        self.request_digest(aid)
        self.show_review()

    def editable(self) -> bool:
        """Whether the current edition may change; if not, say how to take it back to draft.

        What was marked ready is what goes out: picks, fields, choices and edits of a ready (or
        sent) edition stay as approved until the editor takes it back with "unready".
        """
        status = self.draft.status(self.context.store)
        if status == "draft":
            return True
        self.notify(
            self.t(
                "read_only",
                id=self.draft.edition_id,
                status=self.t(f"status_{status}"),
                editions=self.key_label("app.editions"),
                unready=self.key_label("editions.unready"),
            ),
            severity="warning",
            timeout=6,
        )
        return False

    def _block(self) -> tuple[EditionItem, str] | None:
        kind, item = self.review.selected_kind(), self.current_item()
        if item is None or kind is None:
            return None
        return item, kind

    def block_label(self, item: EditionItem, kind: str) -> str:
        """The name of a block as the editor sees it (the section's heading, "Chapô", "L'essentiel")."""
        if kind in ("chapo", "essentiel"):
            return self.t(kind)
        return next((s.heading for s in item.sections if s.kind == kind), kind)

    def action_edit_section(self) -> None:
        """Open the block under the cursor (chapô, L'essentiel or a section) in an editor."""
        target = self._block()
        if target is None or not self.editable():
            return
        item, kind = target
        key = (item.article.id, kind)
        current = self.edits.get(key)
        original = block_text(item, kind)
        # A dropped block reopens with its last words, so dropping never loses a rewrite.
        text = (current.edited or current.original) if current else original

        def saved(new: str | None) -> None:
            if new is not None:
                self._store_edit(key, original, new)

        save, cancel = self.key_label("edit.save"), self.key_label("edit.cancel")
        title = self.t("edit_title", section=self.block_label(item, kind), save=save, cancel=cancel)
        if kind == "essentiel":
            title += self.t("edit_bullets")
        self.push_screen(EditScreen(title, text, self.block_label(item, kind)), saved)

    def action_drop_block(self) -> None:
        """Drop the block under the cursor from the newsletter (again on a dropped block restores it)."""
        target = self._block()
        if target is None or not self.editable():
            return
        item, kind = target
        key = (item.article.id, kind)
        current = self.edits.get(key)
        if current is not None and not current.edited.strip():
            self.action_revert_section()
            return
        original = block_text(item, kind)
        if not original.strip() and current is None:
            return  # nothing printed, nothing to drop
        self._store_edit(key, original, "")

    def _store_edit(self, key: tuple[str, str], original: str, new: str) -> None:
        save_edit(self.context.store, self.ensure_draft(), key[0], key[1], original, new)
        self._record(key, self.edits.get(key))
        edit = self.edits.get(key)
        if edit is None:
            self.notify(self.t("edit_reverted"), timeout=3)
        elif edit.edited.strip():
            self.notify(self.t("edit_saved"), timeout=3)
        else:
            revert, undo = self.key_label("review.revert"), self.key_label("app.undo")
            self.notify(self.t("edit_dropped", revert=revert, undo=undo), timeout=3)

    def action_revert_section(self) -> None:
        """Go back to composer's text for the block under the cursor (an edited or dropped block)."""
        kind, aid = self.review.selected_kind(), self.current_id
        if kind is None or aid is None or (aid, kind) not in self.edits or not self.editable():
            return
        previous = self.edits[(aid, kind)]
        revert_edit(self.context.store, self.draft.edition_id, aid, kind)
        self._record((aid, kind), previous)
        self.notify(self.t("edit_reverted"), timeout=3)

    def action_undo(self) -> None:
        """Take back the last edit, drop, revert, change of picks, archive or restore, and say so."""
        if not self.undo_stack:
            self.notify(self.t("nothing_to_undo"), timeout=2)
            return
        step = self.undo_stack[-1]
        if step.kind in ("edit", "picks") and not self.editable():
            return
        self.undo_stack.pop()
        store = self.context.store
        if step.kind == "edit" and step.key is not None:
            aid, kind = step.key
            if step.edit is None:
                revert_edit(store, self.draft.edition_id, aid, kind)
            else:
                save_edit(store, self.ensure_draft(), aid, kind, step.edit.original, step.edit.edited)
            self._record(step.key, None, undoable=False)
            what = self.t("undo_edit", section=step.label)
        elif step.kind == "picks":
            self.set_picks(step.picks or ())
            what = self.t("undo_picks")
        else:
            archive = step.kind == "restore"  # undoing a restore archives again
            library.archive_articles(store, step.articles, archived=archive)
            if step.picks is not None and self.draft.status(store) == "draft":
                self.set_picks(step.picks)
            self.library.load(self.library_rows())
            if not archive:
                for aid in step.articles:
                    self.library.move_to(aid)
            what = self.t(f"undo_{step.kind}", n=len(step.articles))
        self.notify(self.t("undone", what=what), timeout=3)

    def action_undo_edit(self) -> None:
        """The review's undo (kept for compatibility): the editor-wide undo."""
        self.action_undo()

    def _record(self, key: tuple[str, str], previous: SectionEdit | None, undoable: bool = True) -> None:
        """Read the block's edit back from the store; remember ``previous`` for undo if it changed."""
        edit = get_edit(self.context.store, self.draft.edition_id, *key)
        changed = (edit.edited if edit else None) != (previous.edited if previous else None)
        if undoable and changed:
            item = self.current_item()
            label = self.block_label(item, key[1]) if item is not None else key[1]
            self.undo_stack.append(Undo("edit", key=key, edit=previous, label=label))
        if edit:
            self.edits[key] = edit
        else:
            self.edits.pop(key, None)
        self.changed()
        self.show_review()

    def action_step_article(self, offset: int) -> None:
        """Review the next (+1) or previous (-1) picked article, or of the library when none is picked.

        The library cursor follows, so going back to the library finds the article reviewed.
        """
        order = list(self.draft.picks) or [row.id for row in self.library.shown]
        if not order:
            return
        current = self.current_id or self.library.current_id()
        if current in order:
            index = order.index(current) + offset
            if not 0 <= index < len(order):
                self.notify(self.t("last_article" if offset > 0 else "first_article"), timeout=2)
                return
        else:
            index = 0 if offset > 0 else len(order) - 1
        self.current_id = order[index]
        self.library.move_to(order[index])
        self.show_review()

    # -- editions: the list, opening, unready, a new draft ----------------------------------

    def action_editions(self) -> None:
        """List every stored edition with its status; open a draft, take a ready one back to draft."""
        rows = [dict(row) for row in self.context.store.edition_listing()]
        self.push_screen(EditionsScreen(rows, self.draft.edition_id), self._edition_chosen)

    def _edition_chosen(self, choice: tuple[str, str] | None) -> None:
        if not choice:
            return
        action, edition_id = choice
        if action == "new":
            self.new_draft()
        elif action == "unready":
            self.unready_edition(edition_id)
        elif action == "open":
            self.open_edition(edition_id)

    def open_edition(self, edition_id: str) -> None:
        """Make a stored draft (or a ready edition, read-only) the edition the editor works on."""
        row = self.context.store.edition_row(edition_id) if edition_id else None
        if row is None:
            return
        status = self.t(f"status_{row['status']}")
        if row["status"] not in ("draft", "ready"):
            self.notify(self.t("not_openable", id=edition_id, status=status), severity="warning")
            return
        self.switch_draft(Draft.of_row(self.context.store, row))
        self.notify(self.t("opened_edition", id=edition_id, status=status), timeout=3)

    def unready_edition(self, edition_id: str) -> None:
        """Ready → draft, and open it: the editor can change it again (and mark it ready again)."""
        from composer.edition.stored import mark_unready

        try:
            mark_unready(self.context.store, edition_id)
        except ComposerError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.open_edition(edition_id)
        self.notify(self.t("unreadied", id=edition_id), timeout=4)

    def new_draft(self) -> None:
        """Start a new, empty edition (stored on the first pick); the current one stays as it is."""
        self.switch_draft(Draft.new(self.context.settings.newsletter_name, self.today, self.t("draft_title")))

    def switch_draft(self, draft: Draft) -> None:
        """Work on ``draft`` from now on: its picks, fields, choices and edits replace the current ones."""
        self.save_fields()
        self.draft = draft
        store, eid = self.context.store, draft.edition_id
        self.edits = edits_for(store, eid) if eid else {}
        self.choices = choices_for(store, eid) if eid else {}
        self.undo_stack, self.built = [], None
        self.changed()
        self.edition.load_fields()
        self.query_one("PreviewPane").show_empty()  # type: ignore[attr-defined]
        self.refresh_picks()
        for aid in draft.picks:
            self.request_digest(aid, priority=1)
        if self._base.query_one(TabbedContent).active == "review":
            self.show_review()

    # -- build, preview, send ---------------------------------------------------------------

    def action_build(self, then: str = "", address: str = "") -> None:
        """Build, render and check the edition in a thread; ``then`` continues with send/test/open."""
        if not self.draft.picks:
            self.notify(self.t("pick_first", key=self.key_label("library.pick")), severity="warning")
            return
        if self.built and self.built.version == self.version and then:
            self._after_build(then, address)
            return
        self.notify(self.t("building"), timeout=2)
        # Stored here, on the UI thread, before the worker starts: the worker never writes the
        # editor's picks or fields, so nothing typed meanwhile is overwritten by an older copy.
        self.save_fields()
        edition_id, version = self.ensure_draft(), self.version

        def done(result: object) -> None:
            assert isinstance(result, jobs.BuildResult)
            self.built = result
            stale, count = result.version != self.version, len(result.edition.items)
            self.edition.show_checks(result.checks, stale=stale, articles=count)
            self.edition.show_balance(result.edition.balance)
            preview = self.query_one("PreviewPane")
            preview.show_email(self.context.settings.sender, result.rendered, result.edition.date)  # type: ignore[attr-defined]
            preview.show_text(result.text_path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
            size = next((c.size for c in result.checks if c.key == "size"), 0)
            self.notify(self.t("built", id=result.edition.id, kb=size / 1024), timeout=3)
            if then:
                self._after_build(then, address)

        self.run_guarded(lambda: jobs.build(self.context, edition_id, version, self.cache), done)

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
            self.refresh_status()
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
        from composer.tui.edition_pane import check_line

        body = Text(self.t("confirm_send", subject=self.built.rendered.subject, n=count, transport=transport))
        failed = [c for c in self.built.checks if c.level == "error"]
        if failed:
            body.append(f"\n\n{self.t('blocking')}\n", style="bold red")
            for check in failed:
                body.append(f"✗ {check_line(check, self.t)}\n", style="red")
        yes = self.t("send_anyway") if failed else self.t("send")
        edition_id, force = self.built.edition.id, bool(failed)

        def answer(go: bool | None) -> None:
            if go:
                self.push_screen(SendScreen(self.context, edition_id, force=force), self._sent)

        # Sending cannot be taken back: Enter (the focused button) cancels, y sends.
        self.push_screen(ConfirmScreen(self.t("send"), body, yes=yes, no=self.t("cancel")), answer)

    def _sent(self, report: object) -> None:
        row = self.context.store.edition_row(self.draft.edition_id)
        if report is None or row is None or row["status"] != "sent":
            return
        # The edition went out: go on with the latest draft or a fresh one; the sent one stays listed.
        name, title = self.context.settings.newsletter_name, self.t("draft_title")
        self.switch_draft(Draft.resume_or_new(self.context.store, name, self.today, title))

    # -- help and palette ---------------------------------------------------------------

    def active_tab(self) -> str:
        """The tab on screen (library, review, edition, preview)."""
        return self._base.query_one(TabbedContent).active or "library"

    def action_help(self) -> None:
        """Show the keys of the current tab first, then the others."""
        from composer.tui.help import help_text

        tab = self.active_tab()
        title = self.t("help_title", tab=self.t(f"tab_{tab}"))
        self.push_screen(HelpScreen(help_text(self, tab), title))

    def editor_commands(self, screen: Screen[object] | None = None) -> Iterable[SystemCommand]:
        """The command palette's entries: every action that can run from where the palette was opened.

        On the editor: every tab's actions (a tab's own run after switching to it) and the editor's
        commands without a key; in a dialog, the dialog's actions and quitting.
        """
        t = self.t
        base = screen is None or screen is self._base
        if base:
            scopes = {"app", "list", *keymap.TABS}
        else:
            scopes = {
                getattr(screen, "SCOPE", ""),
                *(("list",) if getattr(screen, "HAS_LIST", False) else ()),
            }
        for action in keymap.ACTIONS:
            if action.id == "app.palette":
                continue
            if action.scope not in scopes and not (action.scope == "app" and action.priority):
                continue
            where = t(f"tab_{action.scope}") if action.scope in keymap.TABS else t(f"a:{action.id}")
            help_line = t("palette_where", key=self.key_label(action.id), where=where)
            yield SystemCommand(t(f"h:{action.id}"), help_line, self._palette_runner(action, screen))
        if base:
            yield SystemCommand(t("new_draft"), t("h:app.editions"), self.new_draft)
            yield SystemCommand(t("pick_all"), t("tab_library"), self.pick_all_shown)
            yield SystemCommand(t("clear_picks"), t("tab_edition"), self.clear_picks)

    def _palette_runner(self, action: keymap.KeyAction, screen: Screen[object] | None) -> object:
        """A palette entry's callback: switch to the action's tab if needed, then run it there."""

        async def run() -> None:
            scope = action.scope
            if scope in keymap.TABS:
                self.action_show_tab(scope)
            target: object = self
            if screen is not None and screen is not self._base and action.scope != "app":
                target = screen.focused if action.scope == "list" and screen.focused else screen
            elif scope == "list":
                target = self.focused or self
            elif scope == "edition":
                target = self._base.query_one(PickedList)
            elif scope in keymap.TABS:
                target = self._base.query_one(f"#{scope}-pane")
            await self.run_action(action.action, target)  # type: ignore[arg-type]

        return run

    def pick_all_shown(self) -> None:
        """Pick every article the filter shows (in the shown order); u undoes it."""
        if not self.editable() or self.library.archived_view:
            return
        self.undo_stack.append(Undo("picks", picks=tuple(self.draft.picks)))
        self.set_picks(
            [*self.draft.picks, *(r.id for r in self.library.shown if r.id not in self.draft.picks)]
        )

    def clear_picks(self) -> None:
        """Unpick everything; u undoes it."""
        if not self.editable():
            return
        self.undo_stack.append(Undo("picks", picks=tuple(self.draft.picks)))
        self.set_picks([])
