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
        spans = [
            (p["start"], p["end"]) for s in record["sections"] for p in s["parts"] if p["kind"] == "source"
        ]
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


def test_framing_jsonl_keeps_order_and_names_bad_lines(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Aucun blessé n'est à déplorer, tous les passagers sont sains et saufs."},
        {"id": "b", "text": "Le bilan s'élève à douze morts et des dizaines de blessés graves."},
        {"id": "c", "text": 5},
        {"id": "d", "text": "Le conseil municipal se réunira mardi à 18 heures."},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("framing", "--input", str(src), "--output", str(out))
    assert result.returncode == 3
    assert f"{src}:3:" in result.stderr and "Traceback" not in result.stderr
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == ["a", "b", "d"]
    assert all(set(g) == {"id", "framing", "score"} for g in got)
    assert all(g["framing"] in ("optimistic", "pessimistic", "neither") for g in got)
    assert got[0]["score"] > got[2]["score"] > got[1]["score"]
    assert got[1]["framing"] == "pessimistic"


def test_perspectives_on_odd_articles_gives_results_or_named_errors(tmp_path: Path) -> None:
    rows = [
        {"id": "empty", "title": "Vide", "article": "   "},
        {"id": "one", "title": "Phrase", "article": "Les pompiers ont sauvé trois enfants d'un incendie."},
        {
            "id": "quotes",
            "title": "Citations",
            "article": "« Nous sommes soulagés, tout le monde est sain et sauf », a déclaré le maire.\n\n"
            "« C'est une catastrophe pour la commune », a regretté un habitant.\n\n"
            "« Nous reconstruirons l'école d'ici l'été », a promis la préfète.",
        },
        {
            "id": "english",
            "title": "Council",
            "article": "The council approved the budget on Monday. Three people were injured in the crash, "
            "police said. The rescue team saved everyone on board.",
        },
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli("perspectives", "--input", str(src), "--output", str(out))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert f"{src}:1: missing or empty 'article'" in result.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(records) == {"one", "quotes", "english"}
    for record in records.values():
        assert len(record["sections"]) == 5
        for section in record["sections"]:
            for part in section["parts"]:
                if part["kind"] == "source":
                    assert record["text"][part["start"] : part["end"]] == part["text"]
    headings = [s["heading"] for s in records["english"]["sections"]]
    assert headings[0] == "Factual recap"  # an English article gets the English templates
