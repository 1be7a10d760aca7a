"""composer: multi-perspective summaries and newsletters built from the articles' own sentences."""

__version__ = "0.1.0"
