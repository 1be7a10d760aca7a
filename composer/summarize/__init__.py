"""Extractive summarizers in a registry keyed by the names the CLI accepts.

Every method takes the article's sentences and returns a subset of them, so summaries are
always the source's own words with their offsets.
"""

from __future__ import annotations

from composer.summarize.registry import available_methods, get_method, key_points, summarize

__all__ = ["available_methods", "get_method", "key_points", "summarize"]
