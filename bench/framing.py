"""Framing bench: ``python bench/framing.py`` prints how well each scorer tells good news from bad.

Rows: composer's framing scorer (the one the sections use), the sentiment scorer it replaced
(``composer polarity``, default and lexicon-only), a majority baseline.  Columns: ROC AUC of the
score between optimistic and pessimistic sentences and macro-F1 of the three labels on
``../shared/bench/framing/valid.jsonl`` (830 sentences; never trained on), seed 004's own
optimistic-vs-pessimistic AUC, and sentences scored per second on one core.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from composer.perspectives import framing, polarity
from composer.perspectives.framing_eval import framing_metrics, load_rows, shared_framing_valid
from composer.perspectives.polarity_eval import load_seed004, seed_metrics

Scorer = Callable[[list[str]], tuple[list[float], list[str]]]


def _framing(texts: list[str]) -> tuple[list[float], list[str]]:
    out = framing.score_many(texts)
    return [f.score for f in out], [f.label for f in out]


def _sentiment(variant: polarity.Variant) -> Scorer:
    def run(texts: list[str]) -> tuple[list[float], list[str]]:
        scores = polarity.score_many(texts, variant=variant)
        names = {"positive": "optimistic", "negative": "pessimistic", "neutral": "neither"}
        return scores, [names[polarity.label(v, polarity.threshold(variant))] for v in scores]

    return run


def _majority(texts: list[str]) -> tuple[list[float], list[str]]:
    return [0.0] * len(texts), ["neither"] * len(texts)


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    valid = shared_framing_valid()
    rows = load_rows(valid) if valid else []
    seed = load_seed004()
    scorers: list[tuple[str, Scorer]] = [
        ("composer framing (default)", _framing),
        ("composer polarity (sentiment, default)", _sentiment("default")),
        ("composer polarity (sentiment, lexicons only)", _sentiment("lexicon")),
        ("majority label (neither)", _majority),
    ]
    print(
        f"framing/valid: {len(rows)} sentences; seed 004: {len(seed.optimistic)} optimistic, "
        f"{len(seed.pessimistic)} pessimistic\n"
    )
    print("| scorer | valid AUC opt/pes | valid macro-F1 | seed-004 AUC | sentences/s (1 core) |")
    print("|---|---|---|---|---|")
    texts = [r["text"] for r in rows]
    for name, scorer in scorers:
        if rows:
            scorer(texts[:5])
            start = time.perf_counter()
            scores, labels = scorer(texts)
            speed = f"{len(texts) / (time.perf_counter() - start):,.0f}" if scorer is not _majority else "—"
            m = framing_metrics([r["label"] for r in rows], scores, labels)
            auc, f1 = f"{m.auc:.3f}", f"{m.macro_f1:.3f}"
        else:
            auc = f1 = speed = "n/a"
        seed_auc, _ = seed_metrics(lambda xs, s=scorer: s(xs)[0], seed)  # type: ignore[misc]
        print(f"| {name} | {auc} | {f1} | {seed_auc:.3f} | {speed} |")


if __name__ == "__main__":
    main()
