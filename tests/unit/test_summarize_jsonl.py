"""The batch function behind `composer summarize`: same order, ids kept, bad lines reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from composer.errors import UsageError
from composer.summarize.jsonl import summarize_jsonl

TEXT = "Le navire a heurté le quai dimanche à Venise. Quatre personnes ont été blessées. Les secours sont là."


def test_streams_in_order_and_reports_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "title": "Venise", "article": TEXT}),
        "{not json",
        json.dumps({"id": "b", "article": ""}),
        "",
        json.dumps({"id": 7, "article": TEXT}),
        json.dumps(["list"]),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    seen: list[int] = []
    ok, errors = summarize_jsonl(src, tmp_path / "out.jsonl", "lead", 1, progress=seen.append)
    out = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ok == 2 and seen == [1, 2]
    assert [o["id"] for o in out] == ["a", 7]
    assert out[0]["summary"] == "Le navire a heurté le quai dimanche à Venise."
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 3", "line 6"]


def test_unknown_method_fails_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "article": TEXT}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError):
        summarize_jsonl(src, tmp_path / "out.jsonl", "nope", None)
    assert not (tmp_path / "out.jsonl").exists()
