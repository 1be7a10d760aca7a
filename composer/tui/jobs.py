"""The slow work the editor starts, as plain functions run in worker threads.

No widgets here: each function takes the UI's :class:`~composer.pipeline.Context` (for its
workspace and settings), opens its own database connection and returns a plain result that
the app shows.  Library errors propagate as :class:`~composer.errors.ComposerError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from composer import pipeline, subscribers
from composer.edits import apply_changes, choices_for, edits_for
from composer.models import Edition, RenderedEdition
from composer.paths import seeds_dir
from composer.preflight import Check, run_preflight
from composer.tui.state import NLP, Draft, worker_context


@dataclass(frozen=True)
class BuildResult:
    """An edition built, rendered and checked, tagged with the editor's change counter."""

    edition: Edition
    rendered: RenderedEdition
    html_path: Path
    text_path: Path
    checks: list[Check]
    version: int


def build(ctx: pipeline.Context, draft: Draft, version: int) -> BuildResult:
    """Assemble the draft with its summary choices and section edits, render it, run the preflight."""
    from composer.perspectives.templates import PerspectiveTemplates

    with worker_context(ctx) as own, NLP.foreground():
        edition = pipeline.build_edition(
            own,
            draft.picks,
            title=draft.title,
            introduction=draft.introduction,
            edition_id=draft.edition_id,
            today=_date(draft.date),
        )
        templates = PerspectiveTemplates(own.template_path, own.settings.language)
        edition = apply_changes(
            edition,
            edits_for(own.store, draft.edition_id),
            choices=choices_for(own.store, draft.edition_id),
            templates=templates,
            language=own.settings.language,
        )
        edition = replace(
            edition,
            subject=draft.subject.strip() or edition.subject,
            preheader=draft.preheader.strip() or edition.preheader,
        )
        # build_edition stored its own subject/preheader; keep the editor's instead.
        draft.save(own.store)
        rendered, html_path, text_path = pipeline.render(own, edition)
        checks = run_preflight(edition, rendered, own.settings)
    return BuildResult(edition, rendered, html_path, text_path, checks, version)


def _date(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


@dataclass
class AddResult:
    """What adding sources did, as text the app can show."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def add(ctx: pipeline.Context, sources: list[str], *, with_sample_subscribers: bool = False) -> AddResult:
    """Ingest ``sources``; optionally import the sample subscribers when there are none yet."""
    with worker_context(ctx) as own:
        report = pipeline.add_sources(own, sources)
        if with_sample_subscribers and not subscribers.listing(own.store):
            subscribers.import_csv(own.store, seeds_dir() / "subscribers.csv")
    return AddResult(
        added=[a.id for a in report.added],
        duplicates=[a.title for a, _ in report.duplicates],
        errors=[str(e) for e in report.errors],
    )


def sample_sources() -> list[str]:
    """The shipped sample articles."""
    return [str(p) for p in sorted(seeds_dir().glob("*.txt"))]


def send_test(ctx: pipeline.Context, rendered: RenderedEdition, address: str) -> str:
    """Send one proof; returns the transport's name."""
    with worker_context(ctx) as own:
        transport = pipeline.make_transport(own)
        pipeline.send_test(own, rendered, address, transport)
        return transport.name
