"""Perspective sections built from templates and the article's own sentences."""
