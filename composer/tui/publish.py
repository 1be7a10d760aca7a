"""What the editor does with a whole edition, as a mixin of the app: list, open, take back and start
editions; build, mark ready, preview, send a test, send.

Building and sending run in worker threads (:mod:`composer.tui.jobs`); sending asks first, with
"cancel" as the answer Enter gives, since a sent edition cannot be taken back.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import TabbedContent

from composer import subscribers
from composer.edition.edits import choices_for, edits_for
from composer.errors import ComposerError
from composer.tui import jobs
from composer.tui.modals import ConfirmScreen, EditionsScreen, SendScreen
from composer.tui.state import Draft

if TYPE_CHECKING:
    from composer.tui.app import ComposerApp

    _Base = ComposerApp
else:
    _Base = object


class PublishActions(_Base):
    """Editions, build, preview and send of :class:`~composer.tui.app.ComposerApp`."""

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
