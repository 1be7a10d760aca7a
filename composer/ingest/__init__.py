"""Turning sources (files, pages, feeds, JSONL) into clean Articles."""
