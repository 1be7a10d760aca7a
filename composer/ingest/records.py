"""One road from a JSONL record to an Article, for ``add``, ``ingest``, ``perspectives`` and the benches.

A record carries its own title, so its body is cleaned *without* header detection: the lead
stays once, in the body, where the summarizer and the sections find it, and a title cut with
"…" is never glued back onto the text.  Before this module there were two roads (``add``
prepended the title and let the cleaner find it again; ``perspectives`` put a derived headline
back into the body, so the lead was printed twice) and the benchmark measured a text readers
never got.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from composer.errors import InputError
from composer.ingest.cleaning import CleanDocument, clean_text_document
from composer.models import Article

RECORD_SHAPE = '{"id", "title", "article"}'
# JSON may spell a lone surrogate ("\\udce9"); Python keeps it, SQLite and terminals refuse it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any) -> str:
    """A record field as storable text: lone surrogates become U+FFFD (a pair was already joined)."""
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def article_from_record(record: Mapping[str, Any], source: str = "jsonl") -> Article:
    """The Article of one record ``{"id", "title"?, "article", "author"?, "date"?, "url"?}``.

    Raises :class:`InputError` naming ``source`` when the record is not an article.
    """
    from composer.ingest.sources import article_from_document

    if not isinstance(record, Mapping):
        raise InputError(f"{source}: not an article line (a JSON object is needed); expected {RECORD_SHAPE}")
    body = record.get("article")
    if not isinstance(body, str) or not body.strip():
        raise InputError(f"{source}: not an article line (no text under 'article'); expected {RECORD_SHAPE}")
    title = " ".join(_text(record.get("title") or "").split())
    doc = clean_text_document(_text(body), header=not title)
    doc = CleanDocument(
        title=title or doc.title,
        blocks=doc.blocks,
        subtitle=doc.subtitle,
        author=_text(record.get("author") or doc.author),
        date=_text(record.get("date") or doc.date),
        url=_text(record.get("url") or doc.url),
    )
    return article_from_document(doc, source=source, article_id=_text(record.get("id", "")))
