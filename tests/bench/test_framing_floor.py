"""Quality floors of the framing scorer and of the sections built with it.

The valid floors need ``../shared/bench`` (framing/valid.jsonl, orangesum/valid.jsonl); the seed
floor only needs ``seeds/``.  Floors sit a little under the values ``python bench/framing.py``
and ``python bench/perspectives.py`` print, so a retrain or a rule change cannot silently regress.
"""

from __future__ import annotations

import pytest

from composer.perspectives import framing
from composer.perspectives.framing_eval import framing_metrics, load_rows, shared_framing_valid
from composer.perspectives.polarity_eval import load_seed004, seed_metrics


def test_framing_valid_floors() -> None:
    path = shared_framing_valid()
    if path is None:
        pytest.skip("shared bench data absent: no ../shared/bench/framing/valid.jsonl")
    rows = load_rows(path)
    out = framing.score_many([r["text"] for r in rows])
    m = framing_metrics([r["label"] for r in rows], [f.score for f in out], [f.label for f in out])
    assert m.auc >= 0.85
    assert m.macro_f1 >= 0.60


def test_seed004_optimistic_scores_above_pessimistic() -> None:
    seed_auc, _ = seed_metrics(lambda xs: [f.score for f in framing.score_many(xs)], load_seed004())
    assert seed_auc >= 0.88


def test_sections_judged_on_labeled_articles() -> None:
    from bench.perspectives import judge_sections
    from composer.paths import templates_dir
    from composer.perspectives.templates import PerspectiveTemplates

    result = judge_sections(PerspectiveTemplates([templates_dir()], "fr"))
    if result is None:
        pytest.skip("shared bench data absent: no ../shared/bench/orangesum/valid.jsonl")
    counts, placed, right = result["counts"], result["placed"], result["right"]
    assert counts["unmatched"] == 0 and counts["articles"] == 90
    assert counts["repeats"] == 0
    assert counts["fragments"] <= 0.02 * counts["quoted units"]
    assert counts["example wrongly empty"] <= 2
    assert right["pessimistic"] >= 0.80 * placed["pessimistic"]
    assert right["optimistic"] >= 0.60 * placed["optimistic"]
    assert counts["opposite"] <= 6


def test_held_out_articles_keep_entries_whole_and_disjoint() -> None:
    """The held-out set is for reporting: only structure is pinned on it, never a tuned figure."""
    from bench.perspectives import judge_sections
    from composer.paths import templates_dir
    from composer.perspectives.templates import PerspectiveTemplates

    result = judge_sections(PerspectiveTemplates([templates_dir()], "fr"), "held out")
    if result is None:
        pytest.skip("shared bench data absent: no ../shared/bench/orangesum/test_public.jsonl")
    counts = result["counts"]
    assert counts["unmatched"] == 0 and counts["articles"] == 72
    assert counts["repeats"] == 0
    assert counts["fragments"] <= 0.02 * counts["quoted units"]
    assert counts["example wrongly empty"] <= 2
