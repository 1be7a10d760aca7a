"""Batch JSONL commands used by scripts and benchmarks: summarize, perspectives, framing, polarity."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from composer.cli import _err, _report_errors, cli


def _batch(in_path: Path, out_path: Path, required: tuple[str, ...], transform: Callable[..., Any]) -> None:
    from composer.jsonl import process_jsonl

    def progress(count: int) -> None:
        if count % 500 == 0:
            _err(f"… {count} done")

    count, errors = process_jsonl(in_path, out_path, required, transform, progress=progress)
    _report_errors(errors)
    _err(f"{count} written to {out_path}, {len(errors)} failed")
    if errors:
        sys.exit(3)


_IN = click.option("--input", "in_path", required=True, type=click.Path(path_type=Path), help="JSONL in.")
_OUT = click.option("--output", "out_path", required=True, type=click.Path(path_type=Path), help="JSONL out.")


@cli.command()
@_IN
@_OUT
@click.option("--method", default="default", show_default=True, help="Summary method (lead, lexrank, …).")
@click.option("--sentences", type=click.IntRange(1, 50), default=None, help="Number of sentences.")
def summarize(in_path: Path, out_path: Path, method: str, sentences: int | None) -> None:
    """Summarize JSONL articles: {"id", "title"?, "article"} in, {"id", "summary"} out."""
    from composer.summarize import get_method
    from composer.summarize import summarize as run

    get_method(method)  # fail early on an unknown method

    def transform(record: dict[str, Any]) -> dict[str, Any]:
        chosen = run(record["article"], record.get("title") or "", method=method, sentences=sentences)
        return {
            "id": record.get("id"),
            "summary": " ".join(s.shown for s in chosen),
            "spans": [[s.start, s.end] for s in chosen],
        }

    _batch(in_path, out_path, ("id", "article"), transform)


@cli.command()
@_IN
@_OUT
def perspectives(in_path: Path, out_path: Path) -> None:
    """Per article, the five sections with each source sentence's span (JSON)."""
    from composer.edition.export import perspectives_record

    _batch(in_path, out_path, ("id", "article"), perspectives_record)


@cli.command()
@_IN
@_OUT
def framing(in_path: Path, out_path: Path) -> None:
    """News framing of sentences: {"id", "text"} in, {"id", "framing", "score"} out.

    framing is optimistic | pessimistic | neither (good news, bad news or neither, about the
    story); score is higher the more optimistic, in [-1, 1].  This is the scorer behind the
    optimistic and pessimistic sections.
    """
    from composer.errors import InputError
    from composer.perspectives.framing import score as framing_score

    def transform(record: dict[str, Any]) -> dict[str, Any]:
        text = record["text"]
        if not isinstance(text, str):
            raise InputError("'text' must be a string")
        result = framing_score(text)
        return {"id": record.get("id"), "framing": result.label, "score": round(result.score, 4)}

    _batch(in_path, out_path, ("id", "text"), transform)


@cli.command()
@_IN
@_OUT
def polarity(in_path: Path, out_path: Path) -> None:
    """Sentiment of sentences (reviews, tweets): {"id", "text"} in, {"id", "polarity", "label"} out.

    For good news / bad news in articles use ``composer framing``: sentiment is not framing.
    """
    from composer.perspectives.polarity import label, score

    def transform(record: dict[str, Any]) -> dict[str, Any]:
        value = score(record["text"])
        return {"id": record.get("id"), "polarity": round(value, 4), "label": label(value)}

    _batch(in_path, out_path, ("id", "text"), transform)
