"""Measuring the polarity scorer: labelled data, ROC AUC and the seed-004 gold check.

Shared by ``bench/polarity.py``, ``scripts/train_polarity.py`` and the floor tests so the three
always compute the same numbers. Pure Python: no sklearn, and nothing here runs in production.
"""

from __future__ import annotations

import contextlib
import json
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_HEADINGS = (
    "Récapitulatif factuel",
    "Point de vue neutre",
    "Exemple",
    "Point de vue optimiste",
    "Point de vue pessimiste",
    "Redirection en cours",
)


def shared_polarity_dir() -> Path | None:
    """``<repo>/../shared/bench/polarity`` when the shared bench data sits beside the checkout."""
    candidate = REPO.parent / "shared" / "bench" / "polarity"
    return candidate if (candidate / "valid.jsonl").exists() else None


def load_jsonl(path: Path) -> list[dict[str, str]]:
    """Rows of a labelled JSONL file (``text``, ``label``, ``source``)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    ranked = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum = 0.0
    i = 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid_rank = (i + j + 1) / 2.0  # average 1-based rank of the tie group
        rank_sum += mid_rank * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)


def _repair(text: str) -> str:
    """Undo UTF-8-read-as-ISO-8859-16 piece by piece; pieces that were fine stay as they are.

    Pieces are split at spaces and typographic apostrophes, which ISO-8859-16 cannot encode and
    would otherwise block the repair of a whole word ("l’arrivĂ©e").
    """
    out = []
    for piece in re.split(r"([ ’“”…])", text):
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            piece = piece.encode("iso8859_16").decode("utf-8")
        out.append("à" if piece == "Ă" else piece)
    return "".join(out)


@dataclass(frozen=True)
class Seed:
    """The seed-004 article split into sentences, with its two opinion sections singled out."""

    sentences: list[str]
    optimistic: list[str]
    pessimistic: list[str]


def load_seed004(repo: Path = REPO) -> Seed:
    """Sentences of ``seeds/004_*.txt`` (repaired), by section heading."""
    from composer.text.sentences import split_sentences

    path = next((repo / "seeds").glob("004_*.txt"))
    section = "title"
    by_section: dict[str, list[str]] = {}
    for line in _repair(path.read_text(encoding="utf-8")).splitlines():
        line = line.strip()
        heading = next((h for h in _HEADINGS if line.startswith(h)), None)
        if heading:
            section = heading
            continue
        if not line or line.startswith("Article en référence") or section == "Redirection en cours":
            continue
        by_section.setdefault(section, []).extend(s.text for s in split_sentences(line))
    return Seed(
        [s for group in by_section.values() for s in group],
        by_section["Point de vue optimiste"],
        by_section["Point de vue pessimiste"],
    )


def seed_metrics(score_many: Callable[[list[str]], list[float]], seed: Seed) -> tuple[float, float]:
    """(AUC optimistic vs pessimistic, share of both sections on their side of the article median)."""
    median = statistics.median(score_many(seed.sentences))
    opt, pes = score_many(seed.optimistic), score_many(seed.pessimistic)
    right = sum(v > median for v in opt) + sum(v < median for v in pes)
    return auc(opt, pes), right / (len(opt) + len(pes))


@dataclass(frozen=True)
class Metrics:
    """The numbers the bench table and the floor tests report."""

    reviews_accuracy: float
    tweets_auc: float
    tweets_accuracy3: float


def valid_metrics(rows: list[dict[str, str]], scores: list[float], label: Callable[[float], str]) -> Metrics:
    """Review accuracy (sign), tweet pos/neg AUC and tweet 3-class accuracy (``label``)."""
    reviews = [(r, s) for r, s in zip(rows, scores, strict=False) if r["source"].startswith("allocine")]
    tweets = [(r, s) for r, s in zip(rows, scores, strict=False) if r["source"].startswith("deft")]
    acc = sum((s > 0) == (r["label"] == "positive") for r, s in reviews) / max(1, len(reviews))
    tweet_auc = auc(
        [s for r, s in tweets if r["label"] == "positive"], [s for r, s in tweets if r["label"] == "negative"]
    )
    acc3 = sum(label(s) == r["label"] for r, s in tweets) / max(1, len(tweets))
    return Metrics(acc, tweet_auc, acc3)
