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
from dataclasses import dataclass

from composer.models import Sentence
from composer.text.sentences import ends_like_sentence
from composer.text.words import stem, stop_words, tokenize_words

FEATURES: tuple[str, ...] = (
    "first", "second", "third", "inv_pos", "rel_pos", "log_pos",
    "log_words", "words_30", "words_30_sq", "short",
    "title_recall", "title_cos", "centroid_cos", "mean_idf", "content_ratio",
    "numbers", "names", "quote", "starts_quote", "question", "exclaim", "colon",
    "connective", "pronoun", "log_sents", "parens", "first_person", "dates",
    "centroid_rank", "title_rank", "first_title_cos", "prev_title_cos",
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
_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][a-zà-ÿ]+")
_FIRST_WORD = re.compile(r"^[\W_]*([\w']+)")
_MIN_WORDS = 6
_DEFAULT_IDF = 9.0


@dataclass(frozen=True)
class ArticleFeatures:
    """Candidate sentences (headings and fragments removed) and their feature rows."""

    candidates: list[Sentence]
    rows: list[list[float]]
    words: list[int]


def _cos(a: dict[str, float], b: dict[str, float], na: float, nb: float) -> float:
    if not na or not nb:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b) / (na * nb)


def _norm(v: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in v.values()))


def _ranks(values: list[float]) -> list[float]:
    """Rank of each value (0 = highest) scaled to [0, 1]."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0.0] * len(values)
    denom = max(len(values) - 1, 1)
    for r, i in enumerate(order):
        out[i] = r / denom
    return out


def article_features(
    sentences: list[Sentence], title: str, idf: dict[str, float], language: str = "fr"
) -> ArticleFeatures:
    """Feature rows (in ``FEATURES`` order) for the sentences a summary may use."""
    stops = stop_words(language)
    default_idf = idf.get("__default__", _DEFAULT_IDF)
    bags: list[Counter[str]] = []
    tokens_per: list[list[str]] = []
    for s in sentences:
        toks = tokenize_words(s.text, language)
        tokens_per.append(toks)
        bags.append(Counter(stem(w, language) for w in toks if w not in stops and len(w) > 1))
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    title_vec = {t: idf.get(t, default_idf) for t in {stem(w, language) for w in tokenize_words(title, language)
                                                      if w not in stops and len(w) > 1}}
    title_norm = _norm(title_vec)
    n = len(sentences)
    cand_idx = [
        i for i, s in enumerate(sentences)
        if len(tokens_per[i]) >= _MIN_WORDS and ends_like_sentence(s.text)
    ]
    if not cand_idx:
        cand_idx = [i for i in range(n) if tokens_per[i]][:1]
    vecs = [{t: c * idf.get(t, default_idf) for t, c in bags[i].items()} for i in range(n)]
    norms = [_norm(v) for v in vecs]
    title_cos_all = [_cos(vecs[i], title_vec, norms[i], title_norm) for i in range(n)]
    centroid = {t: c * idf.get(t, default_idf) for t, c in total.items()}
    centroid_sq = sum(w * w for w in centroid.values())
    rows: list[list[float]] = []
    centroid_vals: list[float] = []
    title_vals: list[float] = []
    for i in cand_idx:
        s, toks, bag, vec = sentences[i], tokens_per[i], bags[i], vecs[i]
        # cos(v, C - v) without building C - v: v.(C-v) = v.C - |v|², |C-v|² = |C|² - 2v.C + |v|².
        dot = sum(w * centroid[t] for t, w in vec.items())
        vsq = norms[i] ** 2
        rest_sq = centroid_sq - 2 * dot + vsq
        centroid_cos = (dot - vsq) / (norms[i] * math.sqrt(rest_sq)) if norms[i] and rest_sq > 1e-9 else 0.0
        nw = len(toks)
        title_recall = (sum(1 for t in title_vec if t in bag) / len(title_vec)) if title_vec else 0.0
        content = sum(bag.values())
        mean_idf = sum(idf.get(t, default_idf) * c for t, c in bag.items()) / content if content else 0.0
        fw = _FIRST_WORD.match(s.text)
        first_word = fw.group(1).lower().split("'")[0] if fw else ""
        lowered = set(toks)
        text = s.text
        row = [
            float(i == 0), float(i == 1), float(i == 2), 1.0 / (1 + i), i / max(n - 1, 1), math.log1p(i),
            math.log(nw), nw / 30.0, (nw / 30.0) ** 2, float(nw < 12),
            title_recall, title_cos_all[i], centroid_cos, mean_idf / 10.0, content / nw,
            math.log1p(len(_NUMBER.findall(text))), len(_CAP.findall(text)) / nw,
            float("«" in text or '"' in text or "“" in text), float(text[:1] in "«\"“"),
            float("?" in text), float("!" in text), float(":" in text),
            float(first_word in _CONNECTIVES), float(first_word in _PRONOUNS), math.log(n),
            float("(" in text), float(bool(lowered & _FIRST_PERSON)), float(bool(lowered & _DATES)),
            0.0, 0.0, title_cos_all[0], title_cos_all[i - 1] if i else 0.0,
        ]
        rows.append(row)
        centroid_vals.append(centroid_cos)
        title_vals.append(title_cos_all[i])
    c_rank = FEATURES.index("centroid_rank")
    t_rank = FEATURES.index("title_rank")
    for row, cr, tr in zip(rows, _ranks(centroid_vals), _ranks(title_vals), strict=True):
        row[c_rank] = cr
        row[t_rank] = tr
    return ArticleFeatures(
        [sentences[i] for i in cand_idx], rows, [len(tokens_per[i]) for i in cand_idx]
    )
