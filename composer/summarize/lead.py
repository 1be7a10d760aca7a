"""LEAD: the first sentences, the baseline every summarizer must beat."""

from __future__ import annotations

from composer.models import Sentence
from composer.summarize.registry import register


@register("lead")
def lead(sentences: list[Sentence], title: str, count: int, language: str) -> list[Sentence]:
    """The first ``count`` sentences (two by default)."""
    return sentences[: count or 2]
