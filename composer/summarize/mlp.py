"""The small numpy MLPs both summarizer stages ship as JSON: loading them and scoring rows.

A model file holds ``mean`` and ``std`` (feature scaling) and ``layers`` ([[W, b], …]; tanh
between layers, linear output), plus whatever its stage adds (idf tables, salience, policy).
No pickle, no torch: numpy is imported only when a model is loaded or used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def load_mlp(path: str | Path) -> dict[str, Any]:
    """The JSON model at ``path`` with its arrays built (``_mean``, ``_std``, ``_layers``)."""
    import numpy as np

    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    raw["_mean"] = np.asarray(raw["mean"])
    raw["_std"] = np.asarray(raw["std"])
    raw["_layers"] = [(np.asarray(w), np.asarray(b)) for w, b in raw["layers"]]
    return raw


_BLAS_CHUNK = 64


def _matmul(h: Any, w: Any) -> Any:
    """``h @ w``, by blocks of at most 64 output columns.

    Past a size threshold numpy's BLAS spreads one product over every core; at a newsletter's
    sizes (tens of rows) the threads mostly spin, and the set scorer's 320 hidden units cost
    twice the CPU for the same wall time.  Blocks of 64 stay under the threshold.
    """
    import numpy as np

    if w.shape[1] <= _BLAS_CHUNK:
        return h @ w
    return np.hstack([h @ w[:, k : k + _BLAS_CHUNK] for k in range(0, w.shape[1], _BLAS_CHUNK)])


def mlp_scores(model: dict[str, Any], rows: Any) -> list[float]:
    """Predicted ROUGE of each feature row (tanh hidden layers, linear output)."""
    import numpy as np

    layers = model.get("_layers") or [(np.asarray(w), np.asarray(b)) for w, b in model["layers"]]
    # Not ``model.get("_mean", np.asarray(...))``: the default would be built on every call.
    mean = model["_mean"] if "_mean" in model else np.asarray(model["mean"])
    std = model["_std"] if "_std" in model else np.asarray(model["std"])
    h = (np.asarray(rows, dtype=float) - mean) / std
    for k, (w, b) in enumerate(layers):
        h = _matmul(h, w) + b
        if k < len(layers) - 1:
            h = np.tanh(h)
    return h.reshape(-1).tolist()
