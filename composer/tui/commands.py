"""The editor's actions on articles and blocks (bound to keys, listed in the palette), as a mixin of the app.

Kept apart from ``app.py`` so the app module holds state and layout, and this one what the
editor does with them: add, archive and restore, remove; edit, drop and revert blocks; step
through the articles; undo any of it; quit without losing what is not saved.  Whole editions
(build, ready, send) are in :mod:`composer.tui.publish`, keys and palette in
:mod:`composer.tui.discover`.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING

from composer import library
from composer.edition.edits import (
    DigestChoice,
    SectionEdit,
    block_text,
    get_edit,
    revert_edit,
    save_choice,
    save_edit,
)
from composer.models import EditionItem
from composer.tui import jobs
from composer.tui.modals import ConfirmScreen, EditScreen, QuitScreen, SendScreen
from composer.tui.state import Undo

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

    # -- quitting ------------------------------------------------------------------------

    def unsaved(self) -> tuple[str, dict[str, str]] | None:
        """What quitting now would lose: an open edit, fields typed in the last half second, a send."""
        self.take_fields()
        for screen in reversed(self.screen_stack):
            if isinstance(screen, EditScreen) and screen.changed():
                return "quit_edit", {"section": screen.section}
            if isinstance(screen, SendScreen) and not screen.done:
                return "quit_sending", {}
        if self._fields_dirty:
            return "quit_fields", {}
        return None

    async def action_quit(self) -> None:
        """Quit; when something is not saved yet, ask first (the default answer stays)."""
        if isinstance(self.screen, QuitScreen):
            return  # already asking
        pending = self.unsaved()
        if pending is None:
            self.exit()
            return
        reason, values = pending

        def answer(choice: str | None) -> None:
            if choice == "save":
                for screen in self.screen_stack:
                    if isinstance(screen, EditScreen):
                        screen.action_save()
                self.save_fields()
                self.exit()
            elif choice == "discard":
                if self._save_timer is not None:
                    self._save_timer.stop()
                self._fields_dirty, self._discarding = False, True
                self.exit()

        can_save = reason != "quit_sending"
        self.push_screen(QuitScreen(self.t(reason, **values), can_save=can_save), answer)

    # -- picking many at once ----------------------------------------------------------

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
