"""The default summarizer's first stage: a learned sentence ranker (and its old length policy).

A small MLP, trained on OrangeSum (``scripts/train_summarizer.py``), predicts how much ROUGE
each candidate sentence would score against a journalist's abstract, from cheap features
(position, length, similarity to the title and to the rest of the article, names, numbers,
quotes…; see ``features.py``).  Its ranking feeds "L'essentiel" and the recap directly, and
the chapô through the set scorer (``selector.py``), which picks one or two of the top sentences,
whole or clipped.  Without the set scorer (``--method sentences``) the best sentence is the
chapô and a second one is added when the length policy tuned on valid says it pays off.

Parameters ship as JSON (``default_params.json``): weights, feature scaling, the IDF table and
the policy.  No pickle, no torch, no sklearn; numpy is imported only when a summary is made.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from composer.models import Sentence
from composer.summarize.compress import quotes_pair_up, shorten
from composer.summarize.features import article_features, near_repeat
from composer.summarize.mlp import load_mlp, mlp_scores
from composer.summarize.registry import register
from composer.summarize.selector import best_set, load_selector
from composer.text.words import stop_words, tokenize_words

PARAMS = Path(__file__).with_name("default_params.json")


@dataclass(frozen=True)
class Policy:
    """When the chapô gets a second sentence.

    ``max_words``: budget for both sentences (0 = never two); ``min_first``: below this many
    words the first sentence always gets a companion; ``ratio``: otherwise add the runner-up
    when its predicted score is at least ``ratio`` × the best one's; ``max_second``: longest
    acceptable second sentence.
    """

    max_words: int
    min_first: int
    ratio: float
    max_second: int


@lru_cache(maxsize=2)
def load_params(path: str = str(PARAMS)) -> dict[str, Any]:
    """The shipped model, parsed once (numpy arrays built here)."""
    return load_mlp(path)


def choose(scores: list[float], words: list[int], policy: Policy) -> list[int]:
    """Indices (into the candidates) of the chapô: the best sentence, maybe a second."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    if not order:
        return []
    first = order[0]
    if policy.max_words <= 0:
        return [first]
    for j in order[1:]:
        if scores[j] == -math.inf:  # ruled out as a lead
            break
        if words[j] > policy.max_second or words[first] + words[j] > policy.max_words:
            continue
        if words[first] < policy.min_first or scores[j] >= policy.ratio * scores[first]:
            return [first, j]
        break
    return [first]


def _content(text: str, language: str) -> set[str]:
    stops = stop_words(language)
    return {w for w in tokenize_words(text, language) if w not in stops}


def top_distinct(cands: list[Sentence], scores: list[float], count: int, language: str) -> list[Sentence]:
    """The ``count`` best sentences, skipping near-repeats of one already chosen (key points)."""
    order = sorted(range(len(cands)), key=lambda i: -scores[i])
    picked: list[int] = []
    seen: list[set[str]] = []
    for i in order:
        bag = _content(cands[i].text, language)
        if any(near_repeat(bag, s, 0.6, strict=True) for s in seen):
            continue
        picked.append(i)
        seen.append(bag)
        if len(picked) == count:
            break
    texts = {cands[i].text for i in picked}
    for i in order:  # too few distinct sentences: fill with the rest, never the same text twice
        if len(picked) >= count:
            break
        if i not in picked and cands[i].text not in texts:
            picked.append(i)
            texts.add(cands[i].text)
    return [cands[i] for i in picked]


def chapo_and_ranking(
    sentences: list[Sentence], title: str, count: int, language: str, *, clip: bool = True
) -> tuple[list[Sentence], list[Sentence]]:
    """The default chapô and the ``count`` best distinct sentences, from one scoring pass.

    The chapô is the set scorer's choice (``selector.py``): one or two units, each a sentence
    whole or with pieces left out, returned as their kept pieces (``Sentence`` spans with
    elision flags).  ``clip=False``, or no shipped set scorer, gives whole sentences by the
    ranker's length policy (the summarizer before the set scorer, kept for comparison).

    The newsletter needs both for every article (chapô, then "L'essentiel" and the recap);
    computing the features once halves the summarizer's share of building an edition.  A
    chapô unit too long to read at once (a page without stops) is cut by ``compress.shorten``.
    """
    chapo, ranked = _chapo_and_ranking(sentences, title, count, language, clip=clip)
    return [shorten(s) for s in chapo], ranked


def _chapo_and_ranking(
    sentences: list[Sentence], title: str, count: int, language: str, *, clip: bool
) -> tuple[list[Sentence], list[Sentence]]:
    model = load_params()
    feats = article_features(sentences, title, model["idf"], language, keep=model.get("keep"))
    if not feats.candidates:
        return sentences[:1], sentences[:1]
    scores = mlp_scores(model, feats.rows)
    ranked = top_distinct(feats.candidates, scores, count, language) if count else []
    selector = load_selector() if clip else None
    if selector is not None:
        chapo = best_set(feats, scores, len(sentences), title, selector, model.get("keep") or {}, language)
        if chapo:
            return chapo, ranked
    # Half of a quotation cut by the splitter never leads (see ``selector.best_set``).
    whole = [quotes_pair_up(c.text) for c in feats.candidates]
    if any(whole):
        scores = [sc if ok else -math.inf for sc, ok in zip(scores, whole, strict=True)]
    picks = choose(scores, feats.words, Policy(**model["policy"]))
    if len(picks) == 2:  # a page that repeats its lead must not get a chapô that says it twice
        first, second = (_content(feats.candidates[i].text, language) for i in picks)
        if near_repeat(first, second, 0.8):
            picks = picks[:1]
    return [feats.candidates[i] for i in picks], ranked


@register("default")
def default(sentences: list[Sentence], title: str, count: int, language: str) -> list[Sentence]:
    """The learned ranker: a one-or-two-sentence chapô, or the ``count`` best sentences."""
    chapo, ranked = chapo_and_ranking(sentences, title, count, language)
    return ranked if count else chapo


@register("sentences")
def whole_sentences(sentences: list[Sentence], title: str, count: int, language: str) -> list[Sentence]:
    """The learned ranker alone: whole sentences by its length policy, no set scorer, no cuts."""
    chapo, ranked = chapo_and_ranking(sentences, title, count, language, clip=False)
    return ranked if count else chapo
