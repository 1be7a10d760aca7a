"""``composer ingest``: cleaned articles to JSONL, without a workspace.

The same cleaning as ``composer add`` but the result goes to a file, so the intake can be checked,
diffed or fed to the benchmark scripts without creating or touching a workspace.  The file is
written to a temporary name and renamed at the end, so an interrupted run never leaves half a file
where a previous good one was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.errors import ComposerError
from composer.ingest.duplicates import DuplicateIndex, NearDuplicate, duplicate_warnings
from composer.ingest.sources import Outcome
from composer.jsonl import atomic_output
from composer.models import Article
from composer.store import content_hash


def article_record(article: Article) -> dict[str, Any]:
    """One JSONL line: the benchmark's fields plus what composer knows about the article."""
    return {
        "id": article.id,
        "title": article.title,
        "subtitle": article.subtitle,
        "author": article.author,
        "date": article.date,
        "url": article.url,
        "language": article.language,
        "source": article.source,
        "text": article.text,
        "paragraphs": [[p.kind, p.start, p.end] for p in article.paragraphs],
    }


@dataclass
class IngestReport:
    """What ``ingest`` wrote, skipped as a duplicate, warned about and failed on."""

    written: list[Article] = field(default_factory=list)
    duplicates: list[tuple[Article, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[ComposerError] = field(default_factory=list)


def write_articles(
    outcomes: Iterable[Outcome],
    out_path: Path,
    *,
    on_article: Callable[[Article], None] | None = None,
) -> IngestReport:
    """Write each new article of ``outcomes`` as a JSON line; collect duplicates, warnings, errors.

    Near-duplicates are written too and warned about once the batch is done: each pair when
    there are few, else one summary line and the first examples.
    """
    report = IngestReport()
    seen_hashes: dict[str, Article] = {}
    seen_urls: dict[str, Article] = {}
    index = DuplicateIndex()
    similar: list[list[NearDuplicate]] = []
    with atomic_output(out_path) as out:
        for outcome in outcomes:
            report.warnings.extend(outcome.warnings)
            if outcome.error is not None:
                report.errors.append(outcome.error)
                continue
            article = outcome.article
            assert article is not None
            digest = content_hash(article.text)
            earlier = seen_hashes.get(digest) or (seen_urls.get(article.url) if article.url else None)
            if earlier is not None:
                report.duplicates.append((earlier, outcome.source))
                continue
            found = index.check(article, remember=True)
            if found:
                similar.append(found)
            seen_hashes[digest] = article
            if article.url:
                seen_urls[article.url] = article
            out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
            report.written.append(article)
            if on_article:
                on_article(article)
    report.warnings.extend(duplicate_warnings(similar))
    return report
