"""Train composer's news-framing model: ``python scripts/train_framing.py`` (``make train-framing``).

Fits a three-class logistic regression (numpy, full-batch Adam, deterministic) on the committed
hand labels ``bench/framing_labels/train.jsonl`` (sentences of OrangeSum *train* articles labeled by
``GUIDE.md``), with class weights so the rarer optimistic class counts as much as the others.

Two settings are then chosen on OrangeSum *valid*, which is never trained on: the logit offsets of
the argmax (macro-F1 of the three labels on ``../shared/bench/framing/valid.jsonl``) and, per side,
the smallest probability at which a unit may be quoted in that side's section (``--precision``: the
share of the units of 90 hand-labeled valid articles, ``bench/framing_labels/sections_valid.jsonl``,
that must carry the label).  Without ``../shared`` the defaults below are kept.  Writes
``composer/perspectives/data/framing_model.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from train_polarity import _matrix as design  # noqa: E402  (the same sparse design matrix)
from train_polarity import vocabulary  # noqa: E402

from composer.perspectives.framing import LABELS, _Softmax  # noqa: E402
from composer.perspectives.framing_eval import macro_f1, shared_framing_valid  # noqa: E402
from composer.perspectives.framing_features import framing_features as features  # noqa: E402
from composer.perspectives.polarity_eval import auc  # noqa: E402

LABELS_FILE = ROOT / "bench" / "framing_labels" / "train.jsonl"
VALID = shared_framing_valid()
OUT = ROOT / "composer" / "perspectives" / "data" / "framing_model.json"
SECTIONS = ROOT / "bench" / "framing_labels" / "sections_valid.jsonl"
ORANGESUM_VALID = ROOT.parent / "shared" / "bench" / "orangesum" / "valid.jsonl"
DEFAULTS = {"l2": 3e-5, "min_df": 2, "epochs": 500, "lr": 0.05, "precision": 0.85}


def load(path: Path) -> list[dict[str, str]]:
    """JSONL rows with ``text`` and ``label``."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _logits(coo: tuple[np.ndarray, ...], n: int, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    rows, cols, vals = coo
    z = np.zeros((n, 3))
    for c in range(3):
        z[:, c] = np.bincount(rows, weights=vals * w[cols, c], minlength=n)
    return z + b


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(
    feats: list[dict[str, float]], y: np.ndarray, params: dict[str, float]
) -> tuple[dict[str, list[float]], list[float]]:
    """Weights (feature → 3 floats) and biases of a class-weighted L2 softmax regression."""
    names = vocabulary(feats, int(params["min_df"]))
    index = {k: i for i, k in enumerate(names)}
    coo = design(feats, index)
    n, d = len(y), len(names)
    counts = np.bincount(y, minlength=3)
    sample_w = (n / (3.0 * counts))[y]
    onehot = np.eye(3)[y]
    w, b = np.zeros((d, 3)), np.zeros(3)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros(3), np.zeros(3)
    rows, cols, vals = coo
    for step in range(1, int(params["epochs"]) + 1):
        p = _softmax(_logits(coo, n, w, b))
        g = (p - onehot) * sample_w[:, None] / sample_w.sum()
        grad_w = np.zeros_like(w)
        for c in range(3):
            grad_w[:, c] = np.bincount(cols, weights=vals * g[rows, c], minlength=d)
        grad_w += params["l2"] * w
        grad_b = g.sum(axis=0)
        for param, grad, m, v in ((w, grad_w, m_w, v_w), (b, grad_b, m_b, v_b)):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= params["lr"] * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    weights = {k: [round(float(x), 4) for x in w[i]] for k, i in index.items() if np.abs(w[i]).max() >= 1e-4}
    return weights, [round(float(x), 5) for x in b]


def predict(weights: dict[str, list[float]], bias: list[float], feats: list[dict[str, float]]) -> np.ndarray:
    """Probabilities (n, 3) in LABELS order, computed by the shipped model's own code."""
    model = _Softmax(
        weights={k: (v[0], v[1], v[2]) for k, v in weights.items()},
        bias=(bias[0], bias[1], bias[2]),
        decision=(0.0, 0.0, 0.0),
        place={},
    )
    return np.array([model.probabilities(f) for f in feats])


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 of label codes, by the benchmark's own function."""
    return macro_f1([LABELS[i] for i in y], [LABELS[i] for i in pred])


def choose_decision(p: np.ndarray, y: np.ndarray) -> list[float]:
    """Logit offsets (pessimistic, neither, optimistic) that maximise macro-F1 on valid."""
    grid = np.round(np.arange(-1.0, 1.01, 0.1), 2)
    logp = np.log(p + 1e-12)
    best, best_off = -1.0, (0.0, 0.0, 0.0)
    for d0, d2 in itertools.product(grid, grid):
        off = np.array([d0, 0.0, d2])
        f1 = _f1(y, (logp + off).argmax(axis=1))
        if f1 > best + 1e-9:
            best, best_off = f1, (float(d0), 0.0, float(d2))
    return list(best_off)


def article_units(weights: dict[str, list[float]], bias: list[float]) -> list[tuple[np.ndarray, set[str]]]:
    """Every quotable unit of the hand-labeled valid articles: its probabilities and its labels.

    ``bench/framing_labels/sections_valid.jsonl`` labels every sentence of 90 OrangeSum valid
    articles; a unit carries the labels of the sentences it covers.  This is the mix a side
    section meets, so its thresholds are chosen here rather than on the balanced sentence set.
    """
    from composer.ingest.records import article_from_record
    from composer.perspectives.units import quotable_units
    from composer.text.sentences import split_sentences

    if not SECTIONS.is_file() or not ORANGESUM_VALID.is_file():
        return []
    by_article: dict[str, list[dict[str, object]]] = {}
    for row in load(SECTIONS):
        by_article.setdefault(str(row["article_id"]), []).append(row)  # type: ignore[arg-type]
    out = []
    for record in load(ORANGESUM_VALID):
        rows = by_article.get(str(record["id"]))
        if not rows:
            continue
        article = article_from_record(record, source="orangesum")
        units = quotable_units(article, split_sentences(article.text, article.language))
        probs = predict(weights, bias, [features(u.sentence.text) for u in units])
        for unit, prob in zip(units, probs, strict=True):
            span = unit.sentence
            got = {str(r["label"]) for r in rows if int(r["start"]) < span.end and span.start < int(r["end"])}  # type: ignore[call-overload]
            out.append((prob, got))
    return out


def choose_place(units: list[tuple[np.ndarray, set[str]]], side: int, precision: float) -> float:
    """Smallest probability of ``side`` at which the units quoted reach ``precision`` (≥ 10 of them)."""
    name = LABELS[side]
    ranked = sorted(units, key=lambda u: -u[0][side])
    hits = 0
    best = 0.95
    for i, (prob, got) in enumerate(ranked, 1):
        hits += name in got
        if i >= 10 and hits / i >= precision:
            best = float(prob[side])
    return round(best, 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS_FILE)
    parser.add_argument("--precision", type=float, default=DEFAULTS["precision"])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = load(args.labels)
    code = {label: i for i, label in enumerate(LABELS)}
    y = np.array([code[r["label"]] for r in rows])
    feats = [features(r["text"]) for r in rows]
    params = dict(DEFAULTS)
    weights, bias = fit(feats, y, params)
    model: dict[str, object] = {
        "trained_on": f"{args.labels.relative_to(ROOT) if args.labels.is_relative_to(ROOT) else args.labels}"
        f" ({len(rows)} hand-labeled OrangeSum train sentences)",
        "labels": list(LABELS),
        "params": params,
        "bias": bias,
        "decision": [0.0, 0.0, 0.0],
        "place": {"optimistic": 0.6, "pessimistic": 0.6},
    }
    if VALID is not None:
        valid = load(VALID)
        yv = np.array([code[r["label"]] for r in valid])
        pv = predict(weights, bias, [features(r["text"]) for r in valid])
        model["decision"] = choose_decision(pv, yv)
        units = article_units(weights, bias)
        model["place"] = {
            "optimistic": choose_place(units, 2, args.precision),
            "pessimistic": choose_place(units, 0, args.precision),
        }
        score = pv[:, 2] - pv[:, 0]
        pred = (np.log(pv + 1e-12) + np.array(model["decision"])).argmax(axis=1)
        model["valid"] = {
            "auc": round(auc(list(score[yv == 2]), list(score[yv == 0])), 4),
            "macro_f1": round(_f1(yv, pred), 4),
        }
        print(f"valid: {model['valid']}, decision {model['decision']}, place {model['place']}")
    model["weights"] = weights
    args.out.write_text(json.dumps(model, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(weights)} features, {len(rows)} sentences)")


if __name__ == "__main__":
    main()
