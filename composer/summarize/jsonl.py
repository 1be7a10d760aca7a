"""Summarize a JSONL file line by line: ``{"id", "title"?, "article"}`` → ``{"id", "summary"}``.

Streaming (one line in memory at a time) so a 20,000-article benchmark file costs nothing, and
forgiving: a malformed line is reported with its line number and skipped, the others go on,
because one broken record must not cost a whole batch run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from composer.summarize.registry import get_method, summarize


def _record_error(record: object, number: int) -> str | None:
    if not isinstance(record, dict):
        return f"line {number}: expected a JSON object with \"id\" and \"article\""
    article = record.get("article")
    if not isinstance(article, str) or not article.strip():
        return f"line {number}: missing or empty \"article\"; each line needs \"id\" and \"article\""
    title = record.get("title", "")
    if title is not None and not isinstance(title, str):
        return f"line {number}: \"title\" must be a string"
    return None


def summarize_jsonl(
    in_path: str | Path,
    out_path: str | Path,
    method: str = "default",
    sentences: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """Write one ``{"id", "summary"}`` line per valid input line, in order.

    Returns (summaries written, error messages naming their line numbers).  An unknown
    ``method`` raises ``UsageError`` before anything is written.
    """
    get_method(method)
    ok = 0
    errors: list[str] = []
    with (
        Path(in_path).open(encoding="utf-8") as src,
        Path(out_path).open("w", encoding="utf-8") as dst,
    ):
        for number, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {number}: not valid JSON ({exc.msg})")
                continue
            problem = _record_error(record, number)
            if problem:
                errors.append(problem)
                continue
            title = record.get("title") or ""
            chosen = summarize(record["article"], title, method=method, sentences=sentences)
            out = {"id": record.get("id"), "summary": " ".join(s.text for s in chosen)}
            dst.write(json.dumps(out, ensure_ascii=False) + "\n")
            ok += 1
            if progress is not None:
                progress(ok)
    return ok, errors
