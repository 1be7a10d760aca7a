"""The checkable JSON form of an article's perspectives, for ``composer perspectives``.

Every source part carries ``start``/``end`` into ``text`` (the cleaned article text), so anyone
can verify ``text[start:end] == part["text"]`` without trusting composer.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from composer.ingest.records import article_from_record
from composer.models import Article, Section
from composer.paths import templates_dir
from composer.perspectives.templates import PerspectiveTemplates


@lru_cache(maxsize=2)
def _templates(language: str) -> PerspectiveTemplates:
    return PerspectiveTemplates([templates_dir()], language)


def section_json(section: Section) -> dict[str, Any]:
    """One section as JSON: kind, heading, empty and its parts."""
    parts: list[dict[str, Any]] = []
    for part in section.parts:
        if part.kind == "source":
            parts.append(
                {
                    "kind": "source",
                    "text": part.text,
                    "start": part.start,
                    "end": part.end,
                    "sentence": part.sentence_index,
                    "polarity": part.polarity,
                }
            )
        else:
            parts.append({"kind": "template", "text": part.text})
    return {"kind": section.kind, "heading": section.heading, "empty": section.empty, "parts": parts}


def article_perspectives(article: Article) -> dict[str, Any]:
    """Sections of an already-cleaned article as JSON."""
    from composer.edition import compose_item

    item = compose_item(article, _templates(article.language))
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "summary": [
            {"text": s.text, "start": s.start, "end": s.end, "shown": s.shown} for s in item.digest.summary
        ],
        "sections": [section_json(s) for s in item.sections],
    }


def perspectives_record(record: dict[str, Any]) -> dict[str, Any]:
    """A JSONL line ``{"id", "title"?, "article"}`` → its perspectives."""
    return article_perspectives(article_from_record(record))
