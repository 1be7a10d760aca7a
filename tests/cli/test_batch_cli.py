"""The batch commands benchmarks call: same order, ids kept, bad lines named, the rest written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

ARTICLE = (
    "Le conseil municipal a voté mardi un budget de 2,5 millions d'euros pour rénover les écoles. "
    "Les travaux commenceront en juillet et dureront deux ans selon le maire. "
    "L'opposition dénonce une hausse des impôts locaux et promet un recours."
)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_summarize_keeps_ids_and_order_and_names_bad_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "b", "title": "Budget", "article": ARTICLE}),
            "{not json",
            json.dumps({"id": 7, "article": ARTICLE}),
            json.dumps({"id": "empty", "article": "   "}),
            json.dumps({"article": ARTICLE}),
            json.dumps({"id": "a", "article": ARTICLE}),
        ],
    )
    out = tmp_path / "out.jsonl"
    result = run_cli(
        "summarize", "--input", str(src), "--output", str(out), "--method", "lead", "--sentences", "1"
    )
    assert result.returncode == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["b", 7, "a"]
    assert rows[0]["summary"] == ARTICLE.split(". ")[0] + "."
    for number in (2, 4, 5):
        assert f"{src}:{number}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_summary_is_a_chapo_of_source_sentences(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": "x", "article": ARTICLE})])
    out = tmp_path / "out.jsonl"
    assert run_cli("summarize", "--input", str(src), "--output", str(out)).returncode == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["summary"] and row["spans"]
    # Every kept piece is the article's text at its span, and the summary is those pieces in
    # order (with "[…]" where a piece of a sentence was left out), nothing else.
    pieces = [ARTICLE[start:end] for start, end in row["spans"]]
    assert all(p.strip() == p and p for p in pieces)
    assert row["summary"].replace("[…]", " ").split() == " ".join(pieces).split()


def test_a_page_without_punctuation_gets_a_chapo_a_reader_can_read(tmp_path: Path) -> None:
    # A transcript or a page that lost its stops is one "sentence" of thousands of words; the
    # chapô is its first words and "[…]", still an exact span of the article.
    blob = " ".join(["le conseil municipal a voté la rénovation du gymnase et la création d'une piste"] * 300)
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": "blob", "title": "Conseil", "article": blob})])
    out = tmp_path / "out.jsonl"
    for method in ("default", "lexrank"):
        result = run_cli("summarize", "--input", str(src), "--output", str(out), "--method", method)
        assert result.returncode == 0
        row = json.loads(out.read_text(encoding="utf-8"))
        ((start, end),) = row["spans"]
        assert start == 0 and blob[start:end].split() == row["summary"].removesuffix(" […]").split()
        assert row["summary"].endswith(" […]") and len(row["summary"].split()) <= 61


def test_polarity_labels_and_bad_lines(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": "a", "text": "Une réussite remarquable, un progrès formidable pour tous."}),
            json.dumps({"id": 2, "text": "Un échec lamentable, des licenciements et une crise grave."}),
            json.dumps({"text": "no id"}),
            json.dumps({"id": "c", "text": "Le conseil municipal se réunit mardi."}),
        ],
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("polarity", "--input", str(src), "--output", str(out))
    assert result.returncode == 3 and f"{src}:3:" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, "c"]
    assert set(rows[0]) == {"id", "polarity", "label"}
    assert rows[0]["label"] == "positive" and rows[1]["label"] == "negative"
    assert -1 <= rows[2]["polarity"] <= 1


def test_output_never_destroys_the_input_or_a_folder(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [json.dumps({"id": "a", "article": ARTICLE})])
    before = src.read_bytes()
    same = run_cli("summarize", "--input", str(src), "--output", str(src))
    assert same.returncode != 0 and "also the input" in same.stderr
    assert src.read_bytes() == before
    folder = run_cli("summarize", "--input", str(src), "--output", str(tmp_path))
    assert folder.returncode != 0 and "is a folder" in folder.stderr
    kept = _write(tmp_path / "kept.jsonl", ['{"id": "old"}'])
    missing = run_cli("summarize", "--input", str(tmp_path / "nope.jsonl"), "--output", str(kept))
    assert missing.returncode != 0 and kept.read_text() == '{"id": "old"}\n'
    ingest = run_cli("ingest", str(tmp_path / "in.jsonl"), "-o", str(tmp_path))
    assert ingest.returncode != 0 and "Traceback" not in ingest.stderr
    assert not list(tmp_path.glob(".*.tmp"))
    stdout = run_cli("summarize", "--input", str(src), "--output", "-", "--method", "lead")
    assert json.loads(stdout.stdout.splitlines()[0])["id"] == "a"
