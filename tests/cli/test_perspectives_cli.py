"""`composer perspectives`: checkable JSON, every source part exactly the text at its span."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SEEDS, run_cli


def test_perspectives_jsonl_is_grounded(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": p.stem, "article": p.read_text(encoding="utf-8")})
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    lines.insert(2, "{broken")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("perspectives", "--input", str(src), "--output", str(out))
    assert result.returncode == 3
    assert f"{src}:3:" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == [p.stem for p in sorted(SEEDS.glob("*.txt"))]
    kinds = ["recap", "neutral", "example", "optimistic", "pessimistic"]
    sources = 0
    for record in records:
        spans = [(p["start"], p["end"]) for s in record["sections"] for p in s["parts"] if p["kind"] == "source"]
        assert len(spans) == len(set(spans)), record["id"]  # no sentence twice in an entry
        assert [s["kind"] for s in record["sections"]] == kinds
        for section in record["sections"]:
            assert section["heading"] and isinstance(section["empty"], bool)
            for part in section["parts"]:
                assert part["kind"] in ("template", "source")
                if part["kind"] == "source":
                    sources += 1
                    assert record["text"][part["start"] : part["end"]] == part["text"]
    assert sources >= 25  # five seeds: sections are honestly empty where an article has no such material
