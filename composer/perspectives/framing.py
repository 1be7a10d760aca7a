"""News framing of a sentence: good news, bad news, or neither, about the story it belongs to.

Why not sentiment: the optimistic and pessimistic sections quote sentences that a reader must
take as good or bad news *about the story* — a rescue, a reopening, "aucun blessé" are good news;
a warning, a complaint, a setback are bad news — while the sentiment scorer (``polarity``) learned
from film reviews and tweets and reached 0.98 on seed 004 but about 0.74 on held-out news.  This
model is trained on news sentences hand-labeled by the guide ``../shared/bench/framing/GUIDE.md``
(the labels ship in ``bench/framing_labels/``; ``make train-framing`` rebuilds the weights).

Design: a three-class logistic model (softmax) over the polarity model's sparse features —
lexicon aggregates with negation, intensity and contrast rules, negation-marked stems and bigrams —
plus direction pairs and the sentiment score (:mod:`framing_features`), because it scores an
article's sentences in well under a millisecond each, in pure Python, with nothing downloaded.
Its decisions are *absolute*: a sentence is placed under "Point de vue optimiste" only when
``p_optimistic`` clears a confidence chosen on hand-labeled OrangeSum valid articles (``place`` in
the model file), never because it is the least bad sentence of its article.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from composer.perspectives.framing_features import framing_features as features
from composer.perspectives.polarity_features import DATA

Framing = Literal["optimistic", "pessimistic", "neither"]
LABELS: tuple[Framing, ...] = ("pessimistic", "neither", "optimistic")
MODEL_FILE = DATA / "framing_model.json"


@dataclass(frozen=True)
class FramingScore:
    """One sentence's framing: the label, the probabilities and a single ordered score.

    ``score`` = p(optimistic) − p(pessimistic), in [-1, 1]: higher is more optimistic, which is
    what ``composer framing`` prints and what the AUC of the benchmark ranks.
    """

    label: Framing
    score: float
    optimistic: float
    pessimistic: float
    neither: float

    def confident(self, side: Framing) -> bool:
        """True when the model is sure enough that this sentence is ``side`` to quote it there."""
        place = _model().place
        if side == "optimistic":
            return self.optimistic >= place["optimistic"] and self.score >= 0
        if side == "pessimistic":
            return self.pessimistic >= place["pessimistic"] and self.score <= 0
        return self.label == "neither"


@dataclass(frozen=True)
class _Softmax:
    """Trained weights: feature → (pessimistic, neither, optimistic) contributions, plus biases."""

    weights: dict[str, tuple[float, float, float]]
    bias: tuple[float, float, float]
    decision: tuple[float, float, float]  # added to the logits before argmax (macro-F1 on valid)
    place: dict[str, float]  # minimal probability to quote a sentence in a side section

    def probabilities(self, feats: dict[str, float]) -> tuple[float, float, float]:
        z0, z1, z2 = self.bias
        get = self.weights.get
        for key, value in feats.items():
            w = get(key)
            if w is not None:
                z0 += value * w[0]
                z1 += value * w[1]
                z2 += value * w[2]
        top = max(z0, z1, z2)
        e0, e1, e2 = math.exp(z0 - top), math.exp(z1 - top), math.exp(z2 - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total


@lru_cache(maxsize=1)
def _model() -> _Softmax:
    """Load the shipped JSON once per process."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    weights = {k: (float(v[0]), float(v[1]), float(v[2])) for k, v in data["weights"].items()}
    return _Softmax(
        weights=weights,
        bias=tuple(float(b) for b in data["bias"]),  # type: ignore[arg-type]
        decision=tuple(float(b) for b in data["decision"]),  # type: ignore[arg-type]
        place={k: float(v) for k, v in data["place"].items()},
    )


def score_many(texts: list[str], language: str = "fr") -> list[FramingScore]:
    """The framing of each text, in order.

    ``language`` is accepted for symmetry; the model is French.  Text in another language gets
    low-confidence scores from shared words and punctuation, so it is rarely placed in a side.
    """
    model = _model()
    d0, d1, d2 = model.decision
    out: list[FramingScore] = []
    for text in texts:
        pes, nei, opt = model.probabilities(features(text)) if text.strip() else (0.0, 1.0, 0.0)
        logits = (math.log(pes + 1e-12) + d0, math.log(nei + 1e-12) + d1, math.log(opt + 1e-12) + d2)
        label = LABELS[max(range(3), key=logits.__getitem__)]
        out.append(FramingScore(label, round(opt - pes, 6), opt, pes, nei))
    return out


def score(text: str, language: str = "fr") -> FramingScore:
    """The framing of one text."""
    return score_many([text], language)[0]
