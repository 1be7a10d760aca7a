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
from composer.tui.state import NLP, DigestCache, Draft, worker_context


@dataclass(frozen=True)
class BuildResult:
    """An edition built, rendered and checked, tagged with the editor's change counter."""

    edition: Edition
    rendered: RenderedEdition
    html_path: Path
    text_path: Path
    checks: list[Check]
    version: int


def build(ctx: pipeline.Context, draft: Draft, version: int, cache: DigestCache | None = None) -> BuildResult:
    """Store the draft, compose its entries (reusing the ones the editor reviewed), render, check.

    The entries are the review tab's own (same function, same article, same choice), so the
    edition built is the one reviewed; edits are applied by reading the stored edition back.
    """
    with worker_context(ctx) as own, NLP.foreground():
        draft.save(own.store)
        row = own.store.edition_row(draft.edition_id)
        if row is not None and row["status"] == "draft":
            pipeline.build_edition(
                own, draft.picks, edition_id=draft.edition_id, cached=cache.get if cache else None
            )
        edition = pipeline.load_edition(own, draft.edition_id)
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
