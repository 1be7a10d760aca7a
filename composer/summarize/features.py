"""Per-sentence features for the learned ranker, computed in one pass over an article.

What makes a good chapô sentence on French news (OrangeSum) is mostly *where* it is and
*what it shares* with the title and the rest of the article: the lead sentences, sentences
naming the title's entities, and sentences central to the article's vocabulary.  Each feature
below is cheap (one tokenization, cached stems, sparse dot products) because the ranker must
run in well under a millisecond per article.

The same function serves training and inference, so there is no train/serve skew.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import chain, repeat
from operator import mul

from composer.models import Sentence
from composer.text.sentences import ends_like_sentence
from composer.text.words import stop_words, tokenize_words

FEATURES: tuple[str, ...] = (
    "first", "second", "third", "inv_pos", "rel_pos", "log_pos",
    "log_words", "words_30", "words_30_sq", "short",
    "title_recall", "title_cos", "centroid_cos", "mean_idf", "content_ratio",
    "numbers", "names", "quote", "starts_quote", "question", "exclaim", "colon",
    "connective", "pronoun", "log_sents", "parens", "first_person", "dates",
    "centroid_rank", "title_rank", "first_title_cos", "prev_title_cos",
    "keep_mean", "keep_max", "keep_sum", "keep_rel", "title_rel", "centroid_rel",
)

_CENTROID_RANK = FEATURES.index("centroid_rank")
_TITLE_RANK = FEATURES.index("title_rank")
# (feature, its source): the source minus the article's best, as the ranker compares within one article.
_RELATIVE = tuple(
    (FEATURES.index(name), FEATURES.index(source))
    for name, source in (("keep_rel", "keep_mean"), ("title_rel", "title_cos"),
                         ("centroid_rel", "centroid_cos"))
)
_CONNECTIVES = frozenset(
    "mais et pourtant cependant ainsi alors aussi donc or toutefois néanmoins enfin puis ensuite "
    "d'ailleurs également autrement sinon car".split()
)
_PRONOUNS = frozenset("il elle ils elles ce cela ça celui celle ceux celles c on lui leur".split())
_FIRST_PERSON = frozenset("je j me m moi nous nos notre mon ma mes".split())
_DATES = frozenset(
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin juillet "
    "août septembre octobre novembre décembre hier aujourd'hui demain".split()
)
_NUMBER = re.compile(r"\d")
# Capitalised words not opening the text or a sentence.  Same matches as
# ``(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][a-zà-ÿ]+``, written capital first so that ``re`` jumps from
# capital to capital; the lookbehinds then check the word boundary ("×", inside À-Ý, is the
# one non-word character there) and the sentence start.
_CAP = re.compile(r"[A-ZÀ-Ý](?<=[^\w][A-ZÀ-ÖØ-Ý]|\w×)(?<![.!?]\s[A-ZÀ-Ý])[a-zà-ÿ]+")
_FIRST_WORD = re.compile(r"^[\W_]*([\w']+)")
_MIN_WORDS = 6
TERM_PREFIX = 7


def terms(words: list[str], language: str = "fr") -> list[str]:
    """Content terms for similarity: non-stop words cut to 7 letters.

    A prefix is a crude stem, but it costs nothing, whereas pure-Python Snowball costs ~50 µs per
    unseen word and would be most of the summarizer's time; on OrangeSum the two score the same.
    """
    stops = stop_words(language)
    return [w[:TERM_PREFIX] for w in words if w not in stops and len(w) > 1]


def near_repeat(a: AbstractSet[str], b: AbstractSet[str], share: float, *, strict: bool = False) -> bool:
    """Whether two sentences' content words overlap in at least ``share`` of the smaller set
    (more than, with ``strict``): the same statement twice, as pages repeat their lead or a
    pull quote.  Empty sets never repeat anything."""
    smaller = min(len(a), len(b))
    if not smaller:
        return False
    shared = len(a & b)
    return shared > share * smaller if strict else shared >= share * smaller


def _count(items: list[str]) -> dict[str, int]:
    """``Counter(items)`` as a plain dict (same keys in the same order); cheaper for a sentence."""
    bag = dict.fromkeys(items, 0)
    for t in items:
        bag[t] += 1
    return bag


_DEFAULT_IDF = 9.0


@dataclass(frozen=True)
class ArticleFeatures:
    """Candidate sentences (headings and fragments removed) and their feature rows.

    ``tokens`` and ``stems`` are each candidate's words and content terms (``terms``), kept so
    that later stages (the set scorer) do not tokenize the same sentences again.
    """

    candidates: list[Sentence]
    rows: list[list[float]]
    words: list[int]
    tokens: list[list[str]]
    stems: list[list[str]]


def _cos(a: dict[str, float], b: dict[str, float], na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b[t] for t, w in a.items() if t in b]) / (na * nb)


def _norm(v: dict[str, float]) -> float:
    values = v.values()
    return math.sqrt(sum(map(mul, values, values)))


def _ranks(values: list[float]) -> list[float]:
    """Rank of each value (0 = highest) scaled to [0, 1]."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    denom = max(len(values) - 1, 1)
    for r, i in enumerate(order):
        out[i] = r / denom
    return out


def article_features(
    sentences: list[Sentence],
    title: str,
    idf: dict[str, float],
    language: str = "fr",
    keep: dict[str, float] | None = None,
) -> ArticleFeatures:
    """Feature rows (in ``FEATURES`` order) for the sentences a summary may use.

    ``idf`` weighs stems by rarity; ``keep`` is the learned log-odds that a stem present in an
    article also appears in its abstract (journalists keep "annoncé", figures, names; they drop
    "explique", "précise"), the one feature that says what abstracts are made of.

    Speed notes (this runs on every sentence of every article): each sentence is tokenized
    once; idf and keep are looked up once per distinct stem of the article; sums keep the
    order and the operands of the plain formulas, so the rows are bit-for-bit the same.
    """
    default_idf = idf.get("__default__", _DEFAULT_IDF)
    keep = keep or {}
    default_keep = keep.get("__default__", 0.0)
    stops = stop_words(language)
    tokens_per = [tokenize_words(s.text, language) for s in sentences]
    stems_per = [[w[:TERM_PREFIX] for w in toks if w not in stops and len(w) > 1] for toks in tokens_per]
    bags = [_count(stems) for stems in stems_per]
    total = Counter(chain.from_iterable(stems_per))
    weight = dict(zip(total, map(idf.get, total, repeat(default_idf)), strict=True))
    title_vec = {t: idf.get(t, default_idf) for t in terms(tokenize_words(title, language), language)}
    title_norm = _norm(title_vec)
    n = len(sentences)
    cand_idx = [
        i for i, s in enumerate(sentences)
        if len(tokens_per[i]) >= _MIN_WORDS and ends_like_sentence(s.text)
    ]
    if not cand_idx:
        cand_idx = [i for i in range(n) if tokens_per[i]][:1]
    vecs = [{t: c * weight[t] for t, c in bag.items()} for bag in bags]
    norms = [_norm(v) for v in vecs]
    title_cos_all = [_cos(vecs[i], title_vec, norms[i], title_norm) for i in range(n)]
    centroid = {t: c * weight[t] for t, c in total.items()}
    centroid_sq = sum(map(mul, centroid.values(), centroid.values()))
    kept = dict(zip(total, map(keep.get, total, repeat(default_keep)), strict=True)) if keep else None
    title_keys = title_vec.keys()
    centroid_at = centroid.__getitem__
    first_title_cos = title_cos_all[0]
    log_n = math.log(n)
    pos_denom = max(n - 1, 1)
    rows: list[list[float]] = []
    centroid_vals: list[float] = []
    title_vals: list[float] = []
    for i in cand_idx:
        text, toks, bag, vec, norm = sentences[i].text, tokens_per[i], bags[i], vecs[i], norms[i]
        # cos(v, C - v) without building C - v: v.(C-v) = v.C - |v|², |C-v|² = |C|² - 2v.C + |v|².
        dot = sum(map(mul, vec.values(), map(centroid_at, vec)))
        vsq = norm**2
        rest_sq = centroid_sq - 2 * dot + vsq
        centroid_cos = (dot - vsq) / (norm * math.sqrt(rest_sq)) if norm and rest_sq > 1e-9 else 0.0
        nw = len(toks)
        title_recall = len(title_keys & bag.keys()) / len(title_vec) if title_vec else 0.0
        content = len(stems_per[i])
        # Σ idf(t)·c over the bag is the sum of the sentence's own tf-idf vector, in the same order.
        mean_idf = sum(vec.values()) / content if content else 0.0
        fw = _FIRST_WORD.match(text)
        first_word = fw.group(1).lower().split("'")[0] if fw else ""
        if not bag:
            keep_stats: tuple[float, float, float] = (default_keep, default_keep, 0.0)
        else:
            values = list(map(kept.__getitem__, bag)) if kept is not None else [default_keep] * len(bag)
            keep_sum = sum(values)
            keep_stats = (keep_sum / len(values), max(values), keep_sum / 10.0)
        title_cos = title_cos_all[i]
        row = [
            float(i == 0), float(i == 1), float(i == 2), 1.0 / (1 + i), i / pos_denom, math.log1p(i),
            math.log(nw), nw / 30.0, (nw / 30.0) ** 2, float(nw < 12),
            title_recall, title_cos, centroid_cos, mean_idf / 10.0, content / nw,
            math.log1p(len(_NUMBER.findall(text))), len(_CAP.findall(text)) / nw,
            float("«" in text or '"' in text or "“" in text), float(text[:1] in "«\"“"),
            float("?" in text), float("!" in text), float(":" in text),
            float(first_word in _CONNECTIVES), float(first_word in _PRONOUNS), log_n,
            float("(" in text), float(not _FIRST_PERSON.isdisjoint(toks)), float(not _DATES.isdisjoint(toks)),
            0.0, 0.0, first_title_cos, title_cos_all[i - 1] if i else 0.0,
            *keep_stats, 0.0, 0.0, 0.0,
        ]
        rows.append(row)
        centroid_vals.append(centroid_cos)
        title_vals.append(title_cos)
    for row, cr, tr in zip(rows, _ranks(centroid_vals), _ranks(title_vals), strict=True):
        row[_CENTROID_RANK] = cr
        row[_TITLE_RANK] = tr
    for k, src in _RELATIVE:
        top = max((row[src] for row in rows), default=0.0)
        for row in rows:
            row[k] = row[src] - top
    return ArticleFeatures(
        [sentences[i] for i in cand_idx], rows, [len(tokens_per[i]) for i in cand_idx],
        [tokens_per[i] for i in cand_idx], [stems_per[i] for i in cand_idx],
    )
