"""Extractive summarizers in a registry keyed by the names the CLI accepts.

Every method takes the article's sentences and returns a subset of them, so summaries are
always the source's own words with their offsets.  Methods: ``lead``, sumy's seven
algorithms through composer's own tokenizer (``sumy_methods``) and ``default``, the learned
ranker (``ranker``) trained by ``scripts/train_summarizer.py``.
"""

from __future__ import annotations

from composer.summarize.registry import (
    available_methods,
    get_method,
    key_points,
    register,
    summarize,
    summarize_sentences,
)

__all__ = ["available_methods", "get_method", "key_points", "register", "summarize", "summarize_sentences"]
