"""Extractive summarizers in a registry keyed by the names the CLI accepts.

Every method takes the article's sentences and returns spans of them, so summaries are always
the source's own words with their offsets.  Methods: ``lead``, sumy's seven algorithms through
composer's own tokenizer (``sumy_methods``), ``sentences``, the learned ranker alone
(``ranker``, trained by ``scripts/train_summarizer.py``), and ``default``, the ranker then the
set scorer (``selector``, ``scripts/train_selector.py``), whose chapô may quote a sentence in
pieces (``compress``): each piece a ``Sentence`` span with its elision flags.
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
