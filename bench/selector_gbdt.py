"""Would gradient-boosted trees pick better chapô sets than the shipped listwise MLP?

The set scorer (``composer.summarize.selector``) is a small MLP trained listwise on every
candidate set of one or two units (``scripts/train_selector.py``).  Trees often beat networks
on tabular features, so this measures LightGBM on exactly the same rows and targets: the same
featurization (train rows cross-fitted, valid rows with the full tables), the same pick (each
valid article's best-scored set) and the same ROUGE of what is picked.  It is a measurement,
not part of the product; LightGBM is not a dependency::

    .venv/bin/pip install lightgbm
    .venv/bin/python bench/selector_gbdt.py            # ~4 min on 2 cores

Objectives: ``lambdarank`` (graded relevance: each set's mean ROUGE as a share of its article's
best, in 6 levels) and ``regression`` on the mean ROUGE minus the article's best.  The shipped
MLP's figure on the same rows is printed by ``scripts/train_selector.py`` (valid R1/R2/RL,
best epoch of each of its five networks).  valid only; test_public is never read here.
"""

from __future__ import annotations

import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_selector as ts  # noqa: E402
from train_summarizer import build_keep, read_jsonl  # noqa: E402

from composer.summarize import selector  # noqa: E402
from composer.summarize.ranker import load_params  # noqa: E402

LEVELS = 6


def rows(workers: int = 2) -> tuple[np.ndarray, ...]:
    """Train and valid set rows, targets and offsets, as ``scripts/train_selector.py`` makes them."""
    base = ts.data_dir(None)
    train = read_jsonl(base / "train.jsonl.gz")
    valid = read_jsonl(base / "valid.jsonl")
    with Pool(workers) as pool:
        gains = pool.map(ts._gains, train, chunksize=64)
    tables = [ts.salience_table([r for k, g in enumerate(gains) if k % 2 == h for r in g]) for h in (0, 1)]
    full = ts.salience_table([r for g in gains for r in g])
    state = {"model": dict(load_params()), "keeps": [build_keep(train[1::2]), build_keep(train[0::2])],
             "tables": [selector.salience_index(t) for t in tables], "full": selector.salience_index(full)}
    with Pool(workers, initializer=ts._init, initargs=(state,)) as pool:
        xv, yv, offv = ts.stack(pool.map(ts.featurize, [(k, a, "valid") for k, a in enumerate(valid)], 32))
        x, y, off = ts.stack(pool.map(ts.featurize, [(k, a, "train") for k, a in enumerate(train)], 32))
    return x, y, off, xv, yv, offv


def per_article(values: np.ndarray, off: np.ndarray, fn) -> np.ndarray:  # type: ignore[no-untyped-def]
    """``fn(values of one article)`` for every article, as one array in row order."""
    out = np.zeros(len(values), dtype=float)
    for a in range(len(off) - 1):
        lo, hi = off[a], off[a + 1]
        if hi > lo:
            out[lo:hi] = fn(values[lo:hi])
    return out


def main() -> int:
    try:
        import lightgbm as lgb
    except ImportError:
        print("lightgbm is not installed: .venv/bin/pip install lightgbm", file=sys.stderr)
        return 2
    t0 = time.time()
    x, y, off, xv, yv, offv = rows()
    print(f"{len(x)} train sets, {len(xv)} valid sets ({time.time() - t0:.0f}s)")
    target, target_v = y[:, :3].mean(1), yv[:, :3].mean(1)

    def graded(t: np.ndarray, o: np.ndarray) -> np.ndarray:
        share = per_article(t, o, lambda s: s / s.max() if s.max() > 0 else 0 * s)
        return np.clip(np.floor(share * 10) - (10 - LEVELS), 0, None).astype(int)

    def gap(t: np.ndarray, o: np.ndarray) -> np.ndarray:
        return per_article(t, o, lambda s: s - s.max())

    groups = np.diff(off)
    base = {"learning_rate": 0.05, "num_leaves": 63, "min_data_in_leaf": 50, "feature_fraction": 0.8,
            "bagging_fraction": 0.8, "bagging_freq": 1, "verbose": -1, "num_threads": 2, "seed": 1}
    print("\n| objective | trees | valid R1 | R2 | RL | words |\n|---|---:|---:|---:|---:|---:|")
    for objective in ("lambdarank", "regression"):
        if objective == "lambdarank":
            params = {**base, "objective": objective, "lambdarank_truncation_level": 5}
            data = lgb.Dataset(x, graded(target, off), group=groups[groups > 0])
        else:
            params = {**base, "objective": objective}
            data = lgb.Dataset(x, gap(target, off))
        booster = lgb.train(params, data, num_boost_round=400)
        for trees in (100, 200, 400):
            r = ts.pick(booster.predict(xv, num_iteration=trees), yv, offv)
            print(f"| {objective} | {trees} | {100 * r[0]:.2f} | {100 * r[1]:.2f} | {100 * r[2]:.2f} "
                  f"| {r[3]:.1f} |", flush=True)
    oracle = ts.pick(target_v, yv, offv)
    print(f"| best set by the reference (oracle) | — | {100 * oracle[0]:.2f} | {100 * oracle[1]:.2f} "
          f"| {100 * oracle[2]:.2f} | {oracle[3]:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
