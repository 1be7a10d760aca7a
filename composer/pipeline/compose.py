"""Composing: articles in, a stored draft edition out (and read back as readers will get it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date

from composer.edition import stored
from composer.edition.edits import DigestChoice
from composer.errors import ComposerError, UsageError
from composer.models import Article, Edition, EditionItem
from composer.pipeline.context import Context, templates
from composer.render import edition_title


@dataclass
class AddReport:
    """What ``add`` did: new articles, duplicates skipped, errors per source."""

    added: list[Article] = field(default_factory=list)
    duplicates: list[tuple[Article, str]] = field(default_factory=list)
    errors: list[ComposerError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def add_sources(ctx: Context, sources: Sequence[str], *, timeout: float | None = None) -> AddReport:
    """Ingest ``sources`` into the workspace; a bad source or record is reported and the rest go on.

    Each article is stored in its own transaction, so an interrupted batch keeps what it stored
    and two ``composer add`` runs on one workspace interleave (SQLite waits for the other
    writer); a run that finds its article stored by the other one meanwhile reports a duplicate.
    The network follows the workspace settings (``fetch_timeout`` for one whole fetch, overridden
    by ``timeout``; ``feed_timeout`` for one feed's linked pages; ``fetch_private``).  A JSONL
    record whose id another article holds is that record's error, not the batch's end.
    Near-duplicates of stored or same-batch articles are stored too and reported in
    ``warnings``: each pair when there are few, else one summary line and the first examples
    (a thousand copies of one story must not print a thousand lines), with every such article
    and its closest matches in ``logs/duplicates.tsv``.
    """
    from composer.errors import InputError, WorkspaceError
    from composer.ingest.duplicates import (
        EXAMPLES,
        DuplicateIndex,
        NearDuplicate,
        duplicate_warnings,
        write_pairs,
    )
    from composer.ingest.fetch import FetchPolicy
    from composer.ingest.sources import read_sources

    report = AddReport()
    policy = FetchPolicy.from_settings(ctx.settings)
    index: DuplicateIndex | None = None  # built on the first new article: most re-adds add nothing
    similar: list[list[NearDuplicate]] = []
    for outcome in read_sources(list(sources), timeout=timeout, policy=policy):
        report.warnings.extend(outcome.warnings)
        if outcome.error is not None:
            report.errors.append(outcome.error)
            continue
        article = outcome.article
        assert article is not None
        try:
            try:
                stored, new = ctx.store.add_article(article)
            except WorkspaceError:
                # Another run may have stored the same text since we looked: then it is a duplicate.
                stored, new = ctx.store.add_article(article)
        except WorkspaceError:
            holder = ctx.store.article(article.id)
            if holder is None:
                raise
            report.errors.append(
                InputError(
                    f"{outcome.source}: id {article.id!r} is already used by another article "
                    f"({holder.title[:60]!r}); give this record its own id"
                )
            )
            continue
        except UnicodeEncodeError:
            message = f"{outcome.source}: holds text that cannot be stored as UTF-8; convert it to UTF-8"
            report.errors.append(InputError(message))
            continue
        if not new:
            report.duplicates.append((stored, outcome.source))
            continue
        if index is None:
            index = DuplicateIndex()
            for known in ctx.store.articles():
                if known.id != stored.id:
                    index.add(known)
        found = index.check(stored, remember=True)
        if found:
            similar.append(found)
        report.added.append(stored)
    if similar:
        listed = None
        if len(similar) > EXAMPLES:
            try:
                listed = write_pairs(similar, ctx.workspace.logs / "duplicates.tsv")
            except OSError as exc:
                report.warnings.append(f"cannot write the list of likely duplicates ({exc.strerror or exc})")
        report.warnings.extend(duplicate_warnings(similar, listed_in=listed))
    return report


def build_edition(
    ctx: Context,
    article_ids: Sequence[str] | None = None,
    *,
    title: str = "",
    introduction: str = "",
    today: Date | None = None,
    edition_id: str = "",
    new: bool = False,
    cached: Callable[[str, DigestChoice], EditionItem | None] | None = None,
) -> Edition:
    """Create or update a draft edition, compose its entries and store them; return it as it reads.

    With ``edition_id`` that draft is updated; else the latest draft is (unless ``new``); else a
    draft is created from ``article_ids`` (default: every article not sent yet).  Updating adds
    ``article_ids`` after the draft's own articles, composes the entries again and keeps the
    editor's edits, subject, preheader and fields: ``title`` and ``introduction`` replace the
    stored ones only when given.  (Removing or reordering articles is `composer edition edit`.)
    """
    store = ctx.store
    row = None
    if edition_id:
        row = store.edition_row(edition_id)
    elif not new:
        row = store.latest_edition(("draft",))
    if row is not None:
        stored.require_status(store, row["id"], stored.EDITABLE, "rebuild")
        eid = row["id"]
        if article_ids:
            stored.articles_of(store, article_ids)
            store.set_edition_articles(eid, [*store.edition_article_ids(eid), *article_ids])
        elif not store.edition_items(eid):
            store.set_edition_articles(eid, [a.id for a in _unsent_or_error(ctx)])
        fields = {k: v for k, v in (("title", title), ("introduction", introduction)) if v}
        store.update_edition(eid, **fields)
    else:
        articles = stored.articles_of(store, article_ids) if article_ids else _unsent_or_error(ctx)
        day = (today or Date.today()).isoformat()
        eid = stored.create_draft(
            store,
            day,
            title or edition_title(ctx.settings.newsletter_name, day, ctx.settings.language),
            [a.id for a in articles],
            edition_id=edition_id,
            introduction=introduction,
        )
    stored.compose(store, eid, templates(ctx), again=True, cached=cached)
    return stored.load(store, eid, templates(ctx))


def _unsent_or_error(ctx: Context) -> list[Article]:
    articles = ctx.store.unsent_articles()
    if not articles:
        raise UsageError("no articles to put in an edition; add some with `composer add SOURCE`")
    return articles


def load_edition(ctx: Context, edition_id: str | None = None) -> Edition:
    """The stored edition (the latest by default) as readers get it: stored entries, edits applied."""
    return stored.load(ctx.store, edition_id, templates(ctx))
