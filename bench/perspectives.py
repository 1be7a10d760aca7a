"""Perspectives bench: grounding, emptiness and speed on OrangeSum, and selection on seed 004.

    python bench/perspectives.py [--limit 500]

Grounding: share of source parts whose text equals the article text at their span (must be
100 %).  Speed: median and 95th percentile of one article's digest + five sections, after
warm-up.  Seed 004 carries its own hand-written "Point de vue optimiste/pessimiste"
sections: the table shows how many of composer's optimistic (pessimistic) picks fall inside
the matching gold section, from the article's full text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from composer.edition import compose_item  # noqa: E402
from composer.ingest.sources import read_text_file  # noqa: E402
from composer.paths import templates_dir  # noqa: E402
from composer.perspectives.export import article_from_record  # noqa: E402
from composer.perspectives.templates import PerspectiveTemplates  # noqa: E402

DATA = REPO.parent / "shared" / "bench" / "orangesum" / "test_public.jsonl"


def orangesum(limit: int) -> list:  # type: ignore[type-arg]
    articles = []
    with DATA.open(encoding="utf-8") as handle:
        for line in handle:
            articles.append(article_from_record(json.loads(line), source="orangesum"))
            if len(articles) >= limit:
                break
    return articles


def seed004(templates: PerspectiveTemplates) -> tuple[str, str]:
    article = read_text_file(next((REPO / "seeds").glob("004_*.txt")))
    text = article.text
    opt_start = text.index("Point de vue optimiste")
    pes_start = text.index("Point de vue pessimiste")
    item = compose_item(article, templates)
    sections = {s.kind: s for s in item.sections}
    out = []
    for kind, lo, hi in (("optimistic", opt_start, pes_start), ("pessimistic", pes_start, len(text))):
        parts = [p for p in sections[kind].parts if p.kind == "source"]
        inside = sum(1 for p in parts if p.start is not None and lo <= p.start < hi)
        out.append(f"{inside}/{len(parts)}")
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    templates = PerspectiveTemplates([templates_dir()], "fr")
    if not DATA.is_file():
        raise SystemExit(f"no benchmark data at {DATA}")
    articles = orangesum(args.limit)
    for article in articles[:10]:
        compose_item(article, templates)  # warm-up: model and lexicon loading is one-off
    times, parts, grounded = [], 0, 0
    empty = {k: 0 for k in ("recap", "neutral", "example", "optimistic", "pessimistic")}
    for position, article in enumerate(articles):
        start = time.perf_counter()
        item = compose_item(article, templates, position)
        times.append((time.perf_counter() - start) * 1000)
        for section in item.sections:
            empty[section.kind] += section.empty
            for part in section.parts:
                if part.kind == "source":
                    parts += 1
                    grounded += article.text[part.start : part.end] == part.text
    times.sort()
    opt, pes = seed004(templates)
    print(f"Perspectives on {len(articles)} OrangeSum test_public articles (cleaned text)\n")
    print("| metric | value |\n|---|---|")
    share = 100 * grounded / parts
    print(f"| source parts equal to the text at their span | {grounded}/{parts} ({share:.1f} %) |")
    print(f"| median time per article (digest + 5 sections) | {statistics.median(times):.1f} ms |")
    print(f"| 95th percentile | {times[int(0.95 * (len(times) - 1))]:.1f} ms |")
    for kind, count in empty.items():
        print(f"| articles with no {kind} material (section says so) | {100 * count / len(articles):.0f} % |")
    print(f"| seed 004: optimistic picks inside its own optimistic section | {opt} |")
    print(f"| seed 004: pessimistic picks inside its own pessimistic section | {pes} |")


if __name__ == "__main__":
    main()
