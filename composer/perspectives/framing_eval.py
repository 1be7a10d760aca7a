"""Scoring a framing scorer the way ``../shared/bench/framing/README`` says: AUC and macro-F1.

Shared by ``bench/framing.py``, ``scripts/train_framing.py`` and the floor tests, so the number
the README prints, the number training chooses settings by and the number CI pins are one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from composer.perspectives.framing import LABELS
from composer.perspectives.polarity_eval import REPO, auc


def shared_framing_valid() -> Path | None:
    """``<repo>/../shared/bench/framing/valid.jsonl`` when the shared bench data sits beside the checkout."""
    candidate = REPO.parent / "shared" / "bench" / "framing" / "valid.jsonl"
    return candidate if candidate.is_file() else None


def load_rows(path: Path) -> list[dict[str, str]]:
    """Labeled sentences (``text``, ``label``) of a JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 of the three labels."""
    scores = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class FramingMetrics:
    """ROC AUC of the score between optimistic and pessimistic sentences, and macro-F1."""

    auc: float
    macro_f1: float
    count: int


def framing_metrics(gold: Sequence[str], scores: Sequence[float], predicted: Sequence[str]) -> FramingMetrics:
    """The two figures of the framing benchmark for one scorer's output."""
    opt = [s for g, s in zip(gold, scores, strict=True) if g == "optimistic"]
    pes = [s for g, s in zip(gold, scores, strict=True) if g == "pessimistic"]
    return FramingMetrics(auc(opt, pes), macro_f1(gold, predicted), len(gold))
