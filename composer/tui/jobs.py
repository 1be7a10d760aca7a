"""The slow work the editor starts, as plain functions run in worker threads.

No widgets here: each function takes the UI's :class:`~composer.pipeline.Context` (for its
workspace and settings), opens its own database connection and returns a plain result that
the app shows.  Library errors propagate as :class:`~composer.errors.ComposerError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from composer import pipeline, subscribers
from composer.models import Edition, RenderedEdition
from composer.paths import seeds_dir
from composer.preflight import Check, run_preflight
from composer.tui.state import NLP, DigestCache, worker_context


@dataclass(frozen=True)
class BuildResult:
    """An edition built, rendered and checked, tagged with the editor's change counter."""

    edition: Edition
    rendered: RenderedEdition
    html_path: Path
    text_path: Path
    checks: list[Check]
    version: int


def build(
    ctx: pipeline.Context, edition_id: str, version: int, cache: DigestCache | None = None
) -> BuildResult:
    """Compose the stored draft's entries (reusing the ones the editor reviewed), render, check.

    The UI thread stores the editor's picks and fields before starting this, and this never
    writes them: a copy taken when the build started would overwrite a subject typed, or an
    article picked, while it runs (the store keeps only what the editor typed; an empty subject
    or preheader stays automatic and is filled in when the edition is read, not stored).
    The entries are the review tab's own (same function, same article, same choice), so the
    edition built is the one reviewed; edits are applied by reading the stored edition back.
    A ready edition is not composed again: it is read and rendered as approved.
    """
    from composer.edition import stored

    with worker_context(ctx) as own, NLP.foreground():
        row = own.store.edition_row(edition_id)
        if row is not None and row["status"] in stored.EDITABLE:
            cached = cache.get if cache else None
            stored.compose(own.store, edition_id, pipeline.templates(own), again=True, cached=cached)
        edition = pipeline.load_edition(own, edition_id)
        rendered, html_path, text_path = pipeline.render(own, edition)
        checks = run_preflight(edition, rendered, own.settings)
    return BuildResult(edition, rendered, html_path, text_path, checks, version)


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
