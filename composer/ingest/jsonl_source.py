"""JSONL files of articles, read record by record so that one bad record costs one line.

A benchmark or export file holds thousands of records; a stray byte or one oversized record must
not cost the others.  So the file is read as bytes and each line is decoded on its own (text mode
would raise on the first invalid UTF-8 byte and lose every later line), each line is read with a
bound (a 2 GB line with no newline must not be loaded to be refused), and a file whose lines are
all bad — a CSV, a Latin-1 export — yields its first errors and one summary line, not a wall.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from composer.errors import InputError
from composer.ingest.records import RECORD_SHAPE, article_from_record
from composer.ingest.sources import MAX_BYTES, Outcome

MAX_ERRORS_SHOWN = 20
_SKIP = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _skip_line(handle: IO[bytes]) -> int:
    """Read past the rest of an oversized line without keeping it; the bytes skipped."""
    skipped = 0
    while True:
        piece = handle.readline(_SKIP)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def _records(handle: IO[bytes], shown: str) -> Iterator[Outcome]:
    """One outcome per non-blank line (errors included), in file order."""
    number = 0
    while True:
        line = handle.readline(MAX_BYTES + 1)
        if not line:
            return
        number += 1
        where = f"{shown}:{number}"
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            size = len(line) + _skip_line(handle)
            message = (
                f"{where}: the record is {_megabytes(size)}, over the {MAX_BYTES // (1024 * 1024)} MB "
                "limit for one article; split it or leave it out"
            )
            yield Outcome(where, error=InputError(message))
            continue
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            message = (
                f"{where}: not UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8"
            )
            yield Outcome(where, error=InputError(message))
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            detail = exc if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            message = f"{where}: not an article line ({detail}); expected {RECORD_SHAPE}"
            yield Outcome(where, error=InputError(message))
            continue
        try:
            yield Outcome(where, article=article_from_record(record, source=where))
        except InputError as exc:
            yield Outcome(where, error=exc)


def read_jsonl(path: Path, *, source: str = "") -> Iterator[Outcome]:
    """Articles of a JSONL file with ``id``, ``title``, ``article`` (and optional ``date``, ``url``).

    ``source`` is how the file is named in messages (default: the path).  Every bad record is
    reported with its line number and the others come in; past :data:`MAX_ERRORS_SHOWN` errors
    in one file the rest are counted in one last line.
    """
    shown = source or str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Outcome(shown, error=InputError(f"{shown}: cannot read it ({exc.strerror})"))
        return
    errors = 0
    first_hidden = 0
    with handle:
        try:
            for outcome in _records(handle, shown):
                if outcome.error is not None:
                    errors += 1
                    if errors > MAX_ERRORS_SHOWN:
                        first_hidden = first_hidden or int(outcome.source.rsplit(":", 1)[1])
                        continue
                yield outcome
        except OSError as exc:
            yield Outcome(shown, error=InputError(f"{shown}: reading stopped ({exc.strerror or exc})"))
    if errors > MAX_ERRORS_SHOWN:
        hidden = errors - MAX_ERRORS_SHOWN
        message = (
            f"{shown}: {hidden} more bad lines from line {first_hidden} on (the first "
            f"{MAX_ERRORS_SHOWN} are above); is it a UTF-8 JSONL file of {RECORD_SHAPE} lines?"
        )
        yield Outcome(shown, error=InputError(message))
