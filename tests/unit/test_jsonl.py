"""Batch JSONL: same order, ids kept, a bad line named by number while the rest go on."""

from __future__ import annotations

import json
from pathlib import Path

from composer.jsonl import process_jsonl


def test_bad_lines_are_named_and_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "a"}\nnot json\n\n{"id": "3"}\n{"id": "4", "text": "d"}\n')
    out = tmp_path / "out.jsonl"
    count, errors = process_jsonl(src, out, ("text",), lambda r: {"id": r["id"], "n": len(r["text"])})
    assert count == 2
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["1", "4"]
    assert [str(e).split(":")[1] for e in errors] == ["2", "4"]
