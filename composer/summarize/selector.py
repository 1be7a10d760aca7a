"""The chapô as a set: which one or two units, whole or clipped, make the best summary together.

The sentence ranker (``ranker.py``) scores sentences one at a time; a chapô is judged as a
whole: two good sentences that say the same thing, or a good sentence and its long tail, make a
worse summary than one sentence clipped to its fact.  So the second stage takes the ranker's
top sentences (``TOP_K`` = 6 in training, the shipped ``top_k`` = 4 at run time), every shorter
version of each (``compress.variants``), and every set of one or two of those units from
different sentences under ``MAX_TOKENS``; a second small MLP, trained *listwise* (softmax over
one article's sets against the softmax of their ROUGE, see ``scripts/train_selector.py``)
scores each set from what makes a set good:

* the ranker's features and score of each unit's sentence, and its rank;
* what the unit keeps and drops (kinds of cuts, share of the sentence kept, elision marks);
* how "abstract-like" its words are: the mean, max and min salience of its unigrams and bigrams
  (``grams``), learned on OrangeSum train as the average ROUGE gain of sentences holding them;
* the set: length against the abstracts' ~32 words, title terms covered, redundancy between
  the two units, their order and adjacency.

Parameters ship as JSON (``selector_params.json``); numpy only, nothing downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, repeat
from math import fsum
from pathlib import Path
from typing import Any

from composer.models import Sentence
from composer.summarize.compress import KINDS, Clip, quotes_pair_up, variants
from composer.summarize.features import ArticleFeatures, near_repeat, terms
from composer.summarize.mlp import load_mlp, mlp_scores
from composer.summarize.rouge import rouge_tokens
from composer.text.words import tokenize_words

PARAMS = Path(__file__).with_name("selector_params.json")
TOP_K = 6
MAX_TOKENS = 60
MAX_CUTS = 3
_PRONOUNS = frozenset("il elle ils elles ce cela ça celui celle ceux celles c on lui leur".split())

UNIT_FEATURES: tuple[str, ...] = (
    "score", "rank", "inv_pos", "rel_pos", "tokens", "kept_ratio", *(f"cut_{k}" for k in KINDS),
    "cut_before", "cut_after", "pronoun_start", "lower_start",
    "gram_mean", "gram_max", "gram_min", "gram_sum",
)
SET_FEATURES: tuple[str, ...] = (
    "pair", "tokens", "length_gap", "title_recall", "keep_mean", "keep_sum", "keep_max",
    "redundancy", "swapped", "adjacent",
)


def feature_names(ranker_features: tuple[str, ...]) -> list[str]:
    """Column names of a set's row: set, unit A, unit B, A's ranker row, B's ranker row."""
    return [
        *SET_FEATURES,
        *(f"a_{n}" for n in UNIT_FEATURES), *(f"b_{n}" for n in UNIT_FEATURES),
        *(f"a_{n}" for n in ranker_features), *(f"b_{n}" for n in ranker_features),
    ]


def grams(tokens: list[str]) -> set[str]:
    """Unigrams and bigrams (space-joined) of ROUGE tokens: what the salience table is keyed by."""
    return {*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))}


Salience = dict[str | tuple[str, str], float]


def salience_index(table: dict[str, float]) -> Salience:
    """The salience table keyed for lookup: unigrams by string, bigrams by (first, second).

    Building a tuple per bigram (``pairwise``) is cheaper than formatting "first second" strings.
    """
    return {(tuple(k.split(" ", 1)) if " " in k else k): v for k, v in table.items()}  # type: ignore[misc]


def _gram_keys(tokens: list[str]) -> set[str | tuple[str, str]]:
    return {*tokens, *pairwise(tokens)}


@dataclass(frozen=True)
class Unit:
    """A candidate unit: a clip of one of the ranker's top sentences, with what scoring needs."""

    clip: Clip
    candidate: int  # index into the ranker's candidates (its feature row)
    rank: int
    tokens: int
    stems: frozenset[str]
    row: tuple[float, ...]


def _stems(text: str, language: str) -> frozenset[str]:
    return frozenset(terms(tokenize_words(text, language), language))


def units(
    feats: ArticleFeatures, scores: list[float], n_sentences: int, salience: Salience,
    language: str = "fr", top_k: int = TOP_K,
) -> list[Unit]:
    """The clips of the ``top_k`` best candidates with their unit features.

    A whole sentence reuses the words and terms ``article_features`` already found; only the
    clipped versions are tokenized here.
    """
    candidates = feats.candidates
    order = sorted(range(len(scores)), key=lambda i: -scores[i])[:top_k]
    out: list[Unit] = []
    denom = max(n_sentences - 1, 1)
    lookup = salience.get
    for rank, ci in enumerate(order):
        sentence = candidates[ci]
        whole_tokens = 0
        for clip in variants(sentence, MAX_CUTS):
            kept = clip.kept
            toks = rouge_tokens(kept)
            whole_tokens = whole_tokens or len(toks) or 1  # the first variant is the whole sentence
            values = list(map(lookup, _gram_keys(toks), repeat(0.0))) or [0.0]
            if clip.cuts:
                words = tokenize_words(kept, language)
                stems = frozenset(terms(words, language))
            else:
                words, stems = feats.tokens[ci], frozenset(feats.stems[ci])
            lead = kept.lstrip("«\"“( ")[:1]
            row = (
                scores[ci], rank / 5, 1 / (1 + sentence.index), sentence.index / denom, len(toks) / 30,
                len(toks) / whole_tokens, *(float(k in clip.cuts) for k in KINDS),
                float(clip.pieces[0].cut_before), float(clip.pieces[-1].cut_after),
                float(bool(words) and words[0] in _PRONOUNS), float(lead.islower()),
                fsum(values) / len(values), max(values), min(values), fsum(values) / 20,
            )
            out.append(Unit(clip, ci, rank, len(toks), stems, row))
    return out


def candidate_sets(
    found: list[Unit], ranker_rows: list[list[float]], title_stems: frozenset[str],
    keep: dict[str, float], max_tokens: int = MAX_TOKENS,
) -> tuple[list[tuple[Unit, Unit | None]], Any]:
    """Every set of one unit, or two from different sentences, within ``max_tokens``; and their rows.

    The rows are a numpy array (sets × ``feature_names``): the set's own features are computed
    here, the two units' and their sentences' rows are gathered by index, a blank row standing
    for the missing second unit of a single.
    """
    import numpy as np

    default_keep = keep.get("__default__", 0.0)
    sets: list[tuple[Unit, Unit | None]] = []
    own: list[list[float]] = []
    first: list[int] = []
    second: list[int] = []
    blank = len(found)
    position = {id(u): k for k, u in enumerate(found)}
    n = len(found)
    for i in range(n):
        for j in range(i, n):
            a, b = found[i], (found[j] if j > i else None)
            if b is not None and (b.candidate == a.candidate or a.tokens + b.tokens > max_tokens):
                continue
            if b is not None and b.rank < a.rank:
                a, b = b, a
            tokens = a.tokens + (b.tokens if b else 0)
            stems = a.stems | b.stems if b else a.stems
            # fsum: exact, so the row does not depend on the order a set of strings iterates in
            # (hash randomisation), which keeps training reproducible bit for bit.
            values = [keep.get(t, default_keep) for t in stems] or [default_keep]
            first_idx = a.clip.index
            own.append([
                float(b is not None), tokens / 30, ((tokens - 32) / 10) ** 2,
                len(title_stems & stems) / len(title_stems) if title_stems else 0.0,
                fsum(values) / len(values), fsum(values) / 10, max(values),
                len(a.stems & b.stems) / max(1, min(len(a.stems), len(b.stems))) if b else 0.0,
                float(b is not None and b.clip.index < first_idx),
                float(b is not None and abs(b.clip.index - first_idx) == 1),
            ])
            first.append(position[id(a)])
            second.append(position[id(b)] if b is not None else blank)
            sets.append((a, b))
    if not sets:
        return sets, np.zeros((0, len(SET_FEATURES)))
    unit_rows = np.array([u.row for u in found] + [[0.0] * len(UNIT_FEATURES)])
    width = len(ranker_rows[0]) if ranker_rows else 0
    sentence_rows = np.array([ranker_rows[u.candidate] for u in found] + [[0.0] * width]).reshape(-1, width)
    ia, ib = np.array(first), np.array(second)
    rows = np.hstack([np.array(own), unit_rows[ia], unit_rows[ib], sentence_rows[ia], sentence_rows[ib]])
    return sets, rows


@lru_cache(maxsize=2)
def load_selector(path: str = str(PARAMS)) -> dict[str, Any] | None:
    """The shipped set scorer, or None when the file is absent (the ranker's policy is used then)."""
    file = Path(path)
    if not file.exists():
        return None
    raw = load_mlp(file)
    raw["_salience"] = salience_index(raw["salience"])
    return raw


REPEAT = 0.8


def _repeats(a: Unit, b: Unit) -> bool:
    return near_repeat(a.stems, b.stems, REPEAT)


def allowed(sets: list[tuple[Unit, Unit | None]]) -> list[int]:
    """Indices of the sets a chapô may be: no pair that repeats itself, and no half quotation
    unless every set has one (see ``best_set``).  Training scores the same sets."""
    ok = [k for k, (a, b) in enumerate(sets) if b is None or not _repeats(a, b)]
    whole = {id(u): quotes_pair_up(u.clip.sentence.text) for pair in sets for u in pair if u is not None}
    quoted_whole = [k for k in ok if all(whole[id(u)] for u in sets[k] if u is not None)]
    return quoted_whole or ok


def best_set(
    feats: ArticleFeatures, scores: list[float], n_sentences: int, title: str, model: dict[str, Any],
    keep: dict[str, float], language: str = "fr",
) -> list[Sentence]:
    """The chapô: the pieces of the best-scored set, in source order.

    A pair whose two units say nearly the same words (``REPEAT`` of the shorter one's content
    stems) is never chosen, whatever its score: pages repeat sentences, and a chapô that says
    the same thing twice is wrong to a reader even when ROUGE does not mind much.  Nor is a
    unit that is half of a quotation the splitter cut in two ('…correcte", a relevé le
    ministre': the reader sees a quote closed that never opened, its start left out) unless
    every set has one.
    """
    found = units(feats, scores, n_sentences, model["_salience"], language, model.get("top_k", TOP_K))
    limit = model.get("max_tokens", MAX_TOKENS)
    sets, rows = candidate_sets(found, feats.rows, _stems(title, language), keep, limit)
    if not sets:
        return []
    predicted = mlp_scores(model, rows)
    a, b = sets[max(allowed(sets), key=predicted.__getitem__)]
    chosen = sorted((u.clip for u in (a, b) if u is not None), key=lambda c: c.index)
    return [piece for clip in chosen for piece in clip.pieces]
