"""Streaming JSONL in and out, the shape every batch command shares.

One record in, one record out, same order; a malformed line is reported with its line number
and skipped while the rest go on, so one bad article never costs a benchmark run.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from composer.errors import ComposerError, InputError

Record = dict[str, Any]


def _open_in(path: Path) -> TextIO:
    if str(path) == "-":
        return sys.stdin
    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror}); check the path") from None


def _missing(record: Record, key: str) -> bool:
    # "id" may be any JSON value (benchmarks use numbers); text fields must be non-empty strings.
    if key == "id":
        return key not in record
    value = record.get(key)
    return not isinstance(value, str) or not value.strip()


def read_records(path: Path, required: Iterable[str]) -> Iterable[tuple[int, Record | InputError]]:
    """(line number, record or error) for each non-blank line of ``path``."""
    needed = tuple(required)
    handle = _open_in(path)
    try:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield (
                    number,
                    InputError(f"{path}:{number}: not valid JSON ({exc.msg}); fix or remove the line"),
                )
                continue
            if not isinstance(record, dict):
                yield number, InputError(f"{path}:{number}: expected a JSON object")
                continue
            missing = [k for k in needed if _missing(record, k)]
            if missing:
                yield (
                    number,
                    InputError(
                        f"{path}:{number}: missing or empty {', '.join(repr(m) for m in missing)}; "
                        f"each line needs {', '.join(needed)}"
                    ),
                )
                continue
            yield number, record
    except UnicodeDecodeError:
        yield 0, InputError(f"{path}: not UTF-8 text; convert it to UTF-8 JSONL")
    finally:
        if handle is not sys.stdin:
            handle.close()


@contextmanager
def atomic_output(out_path: Path, in_path: Path | None = None) -> Iterator[TextIO]:
    """Write ``out_path`` through a temporary file renamed into place only when all went well.

    A failed run never leaves a truncated output, and an output that is the input (or a
    folder) is refused before anything is touched.  ``-`` writes to stdout.
    """
    if str(out_path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    if out_path.is_dir():
        raise InputError(f"{out_path} is a folder; give a file name with --output")
    same = in_path is not None and str(in_path) != "-" and out_path.exists() and in_path.exists()
    if same and os.path.samefile(in_path, out_path):  # type: ignore[arg-type]
        raise InputError(f"{out_path} is also the input; write the output to another file")
    folder = out_path.parent if str(out_path.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(
            f"{out_path}: cannot write there ({exc.strerror}); choose another --output"
        ) from None
    tmp = Path(name)
    handle = os.fdopen(fd, "w", encoding="utf-8")
    try:
        yield handle
        handle.close()
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)  # mkstemp makes it private; the result is an ordinary file
        os.replace(tmp, out_path)
    except BaseException:
        handle.close()
        tmp.unlink(missing_ok=True)
        raise


def process_jsonl(
    in_path: Path,
    out_path: Path,
    required: Iterable[str],
    transform: Callable[[Record], Record],
    *,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[ComposerError]]:
    """Apply ``transform`` to every record of ``in_path`` and write the results to ``out_path``."""
    errors: list[ComposerError] = []
    count = 0
    if str(in_path) != "-" and not in_path.is_file():
        raise InputError(f"{in_path}: no such file; check --input")
    records = read_records(in_path, required)
    with atomic_output(out_path, in_path) as out:
        for number, item in records:
            if isinstance(item, InputError):
                errors.append(item)
                continue
            try:
                result = transform(item)
            except ComposerError as exc:
                errors.append(InputError(f"{in_path}:{number}: {exc}"))
                continue
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            count += 1
            if progress:
                progress(count)
    return count, errors
