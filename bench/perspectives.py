"""Perspectives bench: what a reader gets, judged on hand-labeled articles and on 500 unseen ones.

    python bench/perspectives.py [--limit 500]

1. Judged sections — ``bench/framing_labels/sections_valid.jsonl``: every sentence of 90 OrangeSum
   *valid* articles (300–389, none of them in ``framing/valid.jsonl``) labeled by the guide
   (framing, "is example material", "is a whole sentence"), used to choose settings; and
   ``sections_test.jsonl``, 72 *test_public* articles labeled the same way, for reporting (no
   setting is chosen on them).  For each article composer builds its
   entry through ``compose_item`` — the function the newsletter, the editor and ``composer
   perspectives`` use — and every placed unit is judged by the labels of the sentences it covers.
2. Structure on ``test_public`` (500 articles, never tuned on): sentences repeated within an entry,
   fragments, lead printed twice, grounding (every source part equal to the text at its span),
   time per article on one core.
3. Seed 004: how many optimistic (pessimistic) picks fall inside its own hand-written sections.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from composer.edition import compose_item  # noqa: E402
from composer.ingest.records import article_from_record  # noqa: E402
from composer.ingest.sources import read_text_file  # noqa: E402
from composer.models import EditionItem  # noqa: E402
from composer.paths import templates_dir  # noqa: E402
from composer.perspectives.templates import PerspectiveTemplates  # noqa: E402

SHARED = REPO.parent / "shared" / "bench" / "orangesum"
LABELS = REPO / "bench" / "framing_labels" / "sections_valid.jsonl"
HELD_OUT = REPO / "bench" / "framing_labels" / "sections_test.jsonl"
SETS = {  # name: (labels, the OrangeSum file their articles come from)
    "valid": (LABELS, SHARED / "valid.jsonl"),
    "held out": (HELD_OUT, SHARED / "test_public.jsonl"),
}
SIDES = ("optimistic", "pessimistic")
OPPOSITE = {"optimistic": "pessimistic", "pessimistic": "optimistic"}


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:  # type: ignore[type-arg]
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if limit and len(rows) >= limit:
                break
    return rows


def quoted_spans(item: EditionItem) -> list[tuple[str, int, int]]:
    """Every quoted span of an entry with the part it sits in: chapô, points, recap, sections."""
    spans = [("chapo", s.start, s.end) for s in item.digest.summary]
    spans += [("points", s.start, s.end) for s in item.digest.key_points]
    for section in item.sections:
        if section.kind == "recap":  # the recap section quotes digest.recap: count it once
            spans += [("recap", s.start, s.end) for s in item.digest.recap]
            continue
        spans += [(section.kind, p.start, p.end) for p in section.parts if p.kind == "source"]  # type: ignore[misc]
    return spans


def repeats(item: EditionItem) -> int:
    """Sentences (by character span overlap) quoted more than once in one entry."""
    spans = sorted((start, end) for _, start, end in quoted_spans(item))
    return sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])


_LOWER_START = re.compile(r"^[\s«\"“(]*[a-zà-ÿ]")


def looks_fragment(text: str) -> bool:
    """An independent check (not the selector's own): lowercase start, no end mark, unbalanced quotes."""
    t = text.strip()
    unbalanced = t.count("«") != t.count("»") or t.count("“") != t.count("”") or t.count('"') % 2
    ends = re.search(r"(?:[.!?…][\s\"'»”)\]]*|[»”\"]\s*|\(\d+ points?\))$", t)
    return bool(_LOWER_START.match(t) or unbalanced or not ends)


def judge_sections(templates: PerspectiveTemplates, which: str = "valid") -> dict[str, object] | None:
    """Every labeled article's entry judged by its labels (None without the data); see module doc."""
    labels_path, source = SETS[which]
    if not source.is_file() or not labels_path.is_file():
        return None
    labels = read_jsonl(labels_path)
    by_article: dict[str, list[dict]] = collections.defaultdict(list)  # type: ignore[type-arg]
    for row in labels:
        by_article[row["article_id"]].append(row)
    records = {str(r["id"]): r for r in read_jsonl(source) if str(r["id"]) in by_article}
    placed = {k: 0 for k in (*SIDES, "neutral pro/con", "example")}
    right = dict.fromkeys(placed, 0)
    have = dict.fromkeys(SIDES, 0)
    shown = dict.fromkeys(SIDES, 0)
    counts = collections.Counter()  # type: ignore[var-annotated]
    for article_id, rows in by_article.items():
        article = article_from_record(records[article_id], source="orangesum")
        item = compose_item(article, templates)
        spans = {(r["start"], r["end"]): r for r in rows}
        if any(article.text[s:e] != spans[(s, e)]["text"] for s, e in spans):
            counts["unmatched"] += 1
            continue
        counts["articles"] += 1

        def covered(start: int, end: int) -> list[dict]:  # type: ignore[type-arg]
            return [r for (s, e), r in spans.items() if s < end and start < e]  # noqa: B023

        counts["repeats"] += repeats(item)
        sections = {s.kind: s for s in item.sections}
        for side in SIDES:
            if any(r["label"] == side for r in rows):
                have[side] += 1
                shown[side] += not sections[side].empty
            for part in sections[side].parts:
                if part.kind != "source":
                    continue
                got = {r["label"] for r in covered(part.start, part.end)}  # type: ignore[arg-type]
                placed[side] += 1
                right[side] += side in got and OPPOSITE[side] not in got
                counts["opposite"] += OPPOSITE[side] in got and side not in got
        for part, want in _neutral_sides(sections["neutral"]):
            got = {r["label"] for r in covered(part.start, part.end)}  # type: ignore[arg-type]
            placed["neutral pro/con"] += 1
            right["neutral pro/con"] += want in got
        for part in (p for p in sections["example"].parts if p.kind == "source"):
            placed["example"] += 1
            right["example"] += any(r["example"] for r in covered(part.start, part.end))  # type: ignore[arg-type]
        says_none = sections["example"].empty and "ni chiffre" in sections["example"].text
        counts["example wrongly empty"] += says_none and any(r["example"] for r in rows)
        for kind, start, end in quoted_spans(item):
            if kind == "chapo":
                continue
            inside = covered(start, end)
            counts["quoted units"] += 1
            if len(inside) == 1 and (inside[0]["start"], inside[0]["end"]) == (start, end):
                counts["fragments"] += not inside[0]["whole"]  # the labeled sentence itself
            else:  # a span cut differently from the labeled sentences: the independent check
                counts["fragments"] += looks_fragment(article.text[start:end])
    return {"placed": placed, "right": right, "have": have, "shown": shown, "counts": counts}


def judged(templates: PerspectiveTemplates, which: str) -> None:
    """Table 1: the sections judged against the hand labels."""
    result = judge_sections(templates, which)
    if result is None:
        print(f"(judged sections skipped: no data for the {which} set)\n")
        return
    placed, right, have, shown = result["placed"], result["right"], result["have"], result["shown"]
    counts = result["counts"]
    n = counts["articles"]  # type: ignore[index]
    source = SETS[which][1].name
    print(f"Judged sections ({which}): {n} OrangeSum {source} articles, every sentence hand-labeled\n")
    print("| measure | value |\n|---|---|")
    for key in placed:  # type: ignore[union-attr]
        share = 100 * right[key] / placed[key] if placed[key] else float("nan")  # type: ignore[index]
        print(f"| {key}: placed units carrying that label | {right[key]}/{placed[key]} ({share:.0f} %) |")  # type: ignore[index]
    print(f"| units placed on the opposite side | {counts['opposite']} |")  # type: ignore[index]
    for side in SIDES:
        share = 100 * shown[side] / have[side] if have[side] else float("nan")  # type: ignore[index]
        print(
            f"| articles with a {side} sentence that get a non-empty {side} view | "
            f"{shown[side]}/{have[side]} ({share:.0f} %) |"  # type: ignore[index]
        )
    wrong = counts["example wrongly empty"]  # type: ignore[index]
    print(f'| example wrongly empty ("ni chiffre, ni citation" over example material) | {wrong}/{n} |')
    print(f"| quoted units that are a fragment (labels) | {counts['fragments']}/{counts['quoted units']} |")  # type: ignore[index]
    print(f"| sentences repeated within an entry | {counts['repeats']} |")  # type: ignore[index]
    if counts["unmatched"]:  # type: ignore[index]
        print(f"| articles whose text no longer matches the labels (skipped) | {counts['unmatched']} |")  # type: ignore[index]
    print()


def _neutral_sides(section):  # type: ignore[no-untyped-def]
    """The neutral view's favourable and critical parts, by the template word before each."""
    out = []
    previous = ""
    for part in section.parts:
        if part.kind == "source":
            low = previous.lower()
            if any(
                w in low
                for w in ("favorable", "positif", "d'un côté", "favourable", "positive", "on the one")
            ):
                out.append((part, "optimistic"))
            elif any(
                w in low for w in ("critique", "négatif", "de l'autre", "critical", "negative", "other hand")
            ):
                out.append((part, "pessimistic"))
        else:
            previous = part.text
    return out


def structure(templates: PerspectiveTemplates, limit: int) -> None:
    """Table 2: repeats, fragments, lead twice, grounding and time on test_public."""
    path = SHARED / "test_public.jsonl"
    if not path.is_file():
        print("(structure skipped: ../shared/bench/orangesum/test_public.jsonl missing)\n")
        return
    articles = [article_from_record(r, source="orangesum") for r in read_jsonl(path, limit)]
    for article in articles[:10]:
        compose_item(article, templates)  # warm-up: model loading is one-off
    times, parts, grounded, rep, frags, quoted, lead_twice = [], 0, 0, 0, 0, 0, 0
    empty = collections.Counter()  # type: ignore[var-annotated]
    for article in articles:
        start = time.perf_counter()
        item = compose_item(article, templates)
        times.append((time.perf_counter() - start) * 1000)
        rep += repeats(item)
        lead = {(s.start, s.end) for s in item.digest.summary}
        lead_twice += any((s, e) in lead for k, s, e in quoted_spans(item) if k != "chapo")
        lead_twice += article.text.count(item.digest.summary[0].text) > 1 if item.digest.summary else 0
        for kind, s, e in quoted_spans(item):
            if kind != "chapo":
                quoted += 1
                frags += looks_fragment(article.text[s:e])
        for section in item.sections:
            empty[section.kind] += section.empty
            for part in section.parts:
                if part.kind == "source":
                    parts += 1
                    grounded += article.text[part.start : part.end] == part.text
    times.sort()
    n = len(articles)
    print(f"Structure on {n} OrangeSum test_public articles (one core)\n")
    print("| measure | value |\n|---|---|")
    print(f"| sentences repeated within an entry, per 100 articles | {100 * rep / n:.1f} |")
    print(
        f"| fragments among quoted units (independent check), per 100 articles | {100 * frags / n:.1f} "
        f"({frags}/{quoted}) |"
    )
    print(f"| entries whose lead is printed twice | {lead_twice} |")
    print(f"| source parts equal to the text at their span | {grounded}/{parts} |")
    print(
        f"| median / p95 time per article (digest + 5 sections) | {statistics.median(times):.1f} / "
        f"{times[int(0.95 * (n - 1))]:.1f} ms |"
    )
    for kind in ("optimistic", "pessimistic", "example", "neutral", "recap"):
        print(f"| articles with an empty {kind} section | {100 * empty[kind] / n:.0f} % |")
    print()


def seed004(templates: PerspectiveTemplates) -> None:
    """Table 3: seed 004's own optimistic/pessimistic sections as a gold check."""
    article = read_text_file(next((REPO / "seeds").glob("004_*.txt")))
    text = article.text
    opt_start, pes_start = text.index("Point de vue optimiste"), text.index("Point de vue pessimiste")
    item = compose_item(article, templates)
    sections = {s.kind: s for s in item.sections}
    print("| seed 004 | picks inside its own section |\n|---|---|")
    for kind, lo, hi in (("optimistic", opt_start, pes_start), ("pessimistic", pes_start, len(text))):
        picks = [p for p in sections[kind].parts if p.kind == "source"]
        inside = sum(1 for p in picks if p.start is not None and lo <= p.start < hi)
        print(f"| {kind} | {inside}/{len(picks)} |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # the budget is per core
    templates = PerspectiveTemplates([templates_dir()], "fr")
    judged(templates, "valid")
    judged(templates, "held out")
    structure(templates, args.limit)
    seed004(templates)


if __name__ == "__main__":
    main()
