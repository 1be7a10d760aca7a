"""Turning a French sentence into the sparse features of the polarity model.

The same function runs at training time and at scoring time, so the two can never drift. It is
pure Python (no numpy) because a call scores one article's ~40 sentences and must stay far under
10 ms: dictionary lookups beat building arrays at that size.

Linguistic rules, applied to every word before it becomes a feature:

- negation: ``ne … pas/plus/jamais/rien/guère``, bare ``pas``, ``sans``, ``aucun``, ``ni`` mark the
  following words (up to a clause boundary or 3 words after the particle); the words between ``ne``
  and its particle (the verb) are marked too. ``ne … que`` is restriction, not negation.
- intensifiers (très, vraiment…) scale the next opinion word up, diminishers (un peu, assez…) down;
  bare ``peu`` and ``moins`` half-invert it ("peu convaincant").
- contrast: after ``mais/pourtant/cependant…`` words weigh 1.5, before it 0.5; a concessive clause
  (``malgré``, ``bien que``, ``même si``) weighs 0.5 up to the next comma.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

_URL = re.compile(r"https?://\S*|\bhttp\b|www\.\S+")
_USER = re.compile(r"@\w+")
_TOKEN = re.compile(r"[^\W\d_]+(?:'|(?:-[^\W\d_]+)*)|\d+(?:[.,]\d+)?|[!?]+|[.,;:…()«»\"]", re.UNICODE)
_ELIDED = {
    "l'": "le",
    "d'": "de",
    "j'": "je",
    "m'": "me",
    "t'": "te",
    "s'": "se",
    "c'": "ce",
    "n'": "ne",
    "qu'": "que",
    "jusqu'": "jusque",
    "lorsqu'": "lorsque",
    "puisqu'": "puisque",
    "quoiqu'": "quoique",
}
_CLAUSE_END = frozenset('.,;:!?…()«»"')
_PARTICLES = frozenset({"pas", "plus", "jamais", "rien", "guère", "point", "nullement", "aucunement"})
_OPENERS = frozenset({"sans", "aucun", "aucune", "ni", "jamais", "rien", "nullement", "aucunement"})
_CONTRAST = frozenset({"mais", "pourtant", "cependant", "toutefois", "néanmoins", "hélas"})
_CONCESSIVE = frozenset({"malgré", "quoique", "bien que", "même si", "certes"})
_NOT_NEGATION = frozenset({"pas mal", "sans doute", "sans cesse", "pas que", "ne que"})
_BOOST = 1.5
_DAMP = 0.6
# Degree adverbs adapted from vaderSentiment-fr's BOOSTER_DICT (MIT licence, C.J. Hutto et al.).
_BOOSTERS = frozenset(
    """absolument archi beaucoup bigrement carrément complètement considérablement
davantage diablement drôlement entièrement exceptionnellement excessivement extrêmement
fabuleusement fortement grandement hyper incroyablement infiniment merveilleusement particulièrement
prodigieusement profondément rudement sacrément spécialement superbement tellement terriblement
totalement trop très ultra vachement vraiment énormément si aussi tout franchement
hautement parfaitement réellement massivement""".split()
)
_DAMPENERS = frozenset(
    """approximativement assez difficilement environ légèrement plutôt presque quasi
quasiment rarement relativement moyennement""".split()
)
_HALF_INVERT = frozenset({"peu", "moins", "insuffisamment", "guère"})
_LIGHT = frozenset(
    """du de des la le les un une tout très vraiment si assez trop aussi être été
vraiment encore forcément toujours""".split()
)  # words that do not use up a negation's reach
_MODIFIERS = _BOOSTERS | _DAMPENERS | _HALF_INVERT
_NEG_SCALE = -0.75  # VADER's empirical negation scalar: a negated word flips and loses some strength


@dataclass(frozen=True)
class Lexicons:
    """Word → value tables (exact form first, then light stem) for the three lexicons."""

    exact: dict[str, tuple[float, float, float]]
    stems: dict[str, tuple[float, float, float]]


def _read_tsv(path: Path, columns: int) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        values = [float(p) if p else None for p in parts[1 : 1 + columns]]
        out[parts[0]] = values + [None] * (columns - len(values))
    return out


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Load the shipped lexicons once: (vader, textblob, news) values for each known word."""
    general = _read_tsv(DATA / "lexicon_fr.tsv", 2)
    news = _read_tsv(DATA / "news_fr.tsv", 1)
    exact: dict[str, tuple[float, float, float]] = {}
    for word in sorted(set(general) | set(news)):  # sorted: stem averages must not vary by run
        v, b = general.get(word, [None, None])
        (n,) = news.get(word, [None])
        exact[word] = (v or 0.0, b or 0.0, n or 0.0)
    grouped: dict[str, list[tuple[float, float, float]]] = {}
    for word, values in exact.items():
        if word.isalpha() and len(word) > 3:
            grouped.setdefault(stem(word), []).append(values)
    stems = {
        s: tuple(sum(col) / len(vals) for col in zip(*vals, strict=False)) for s, vals in grouped.items()
    }
    return Lexicons(exact, stems)  # type: ignore[arg-type]


_SUFFIX_LIST = """issements issement ements ement ations ation atrices atrice ateurs ateur
euses euse eux eu ives ive ifs if ances ance ences ence ités ité iques ique ables able istes iste ismes
isme antes ante ants ant ées ée és é eront erons erez era ent ons ez er ir ait aient es e""".split()
# Longest first, grouped by length: one slice and one set lookup per length instead of 60 endswith.
_SUFFIXES = tuple(
    (n, frozenset(x for x in _SUFFIX_LIST if len(x) == n))
    for n in sorted({len(x) for x in _SUFFIX_LIST}, reverse=True)
)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Light French stem (plural, gender and common derivational endings stripped).

    Snowball in pure Python costs ~50 µs a word, too slow for a fresh article's vocabulary; this
    suffix stripper costs a few µs and is what training used, so features stay consistent.
    """
    if len(word) > 4 and word[-1] in "sx":
        word = word[:-1]
    for n, suffixes in _SUFFIXES:
        if len(word) - n >= 4 and word[-n:] in suffixes:
            return word[:-n]
    return word


def normalize(text: str) -> list[str]:
    """Lowercase tokens with elisions expanded, URLs/@users dropped, punctuation kept as tokens.

    Reviews in the training data are pre-tokenized and lowercased while news sentences are not;
    after this step both look the same.
    """
    text = text.replace("’", "'").replace("&amp;", "&").replace("#", " ").lower()
    text = _USER.sub(" ", _URL.sub(" ", text))
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.endswith("'"):
            out.append(_ELIDED.get(token, token[:-1]))
        elif "-" in token and token not in lexicons().exact:
            out.extend(p for p in token.split("-") if p)
        else:
            out.append(token)
    return out


def _clause_weights(tokens: list[str]) -> list[float]:
    """Contrast weight of every token: the clause after "mais" counts more than the one before."""
    weights = [1.0] * len(tokens)
    last = max((i for i, t in enumerate(tokens) if t in _CONTRAST), default=-1)
    if 0 < last < len(tokens) - 1 and any(t not in _CLAUSE_END for t in tokens[:last]):
        weights = [0.5 if i < last else 1.5 for i in range(len(tokens))]
    concessive = False
    for i, token in enumerate(tokens):
        pair = f"{tokens[i - 1]} {token}" if i else token
        if token in _CONCESSIVE or pair in _CONCESSIVE:
            concessive = True
        elif token in _CLAUSE_END and token not in '«»"':
            concessive = False
        if concessive:
            weights[i] *= 0.5
    return weights


def _negation_flags(tokens: list[str]) -> list[bool]:
    """Which tokens sit inside a negation scope (see the module docstring)."""
    flags = [False] * len(tokens)
    open_ne = -1  # index of a "ne" still waiting for its particle
    after = 0  # words still negated after a particle
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _CLAUSE_END or token in _CONTRAST:
            open_ne, after = -1, 0
            continue
        if f"{token} {nxt}" in _NOT_NEGATION or (open_ne >= 0 and token == "que"):
            if open_ne >= 0:
                flags[open_ne + 1 : i] = [False] * (i - open_ne - 1)
            open_ne, after = -1, 0
            continue
        if token == "ne":
            open_ne = i
            continue
        if token in _PARTICLES and (token != "plus" or open_ne >= 0):
            if nxt == "que":
                if open_ne >= 0:
                    flags[open_ne + 1 : i] = [False] * (i - open_ne - 1)
                open_ne, after = -1, 0
                continue
            open_ne, after = -1, 3
            continue
        if token in _OPENERS:
            after = 3
            continue
        if open_ne >= 0 and i - open_ne > 4:
            open_ne = -1
        if open_ne >= 0 or after > 0:
            flags[i] = True
            if open_ne < 0 and token not in _LIGHT:
                after -= 1
    return flags


def _modifiers(tokens: list[str]) -> list[float]:
    """Degree multiplier of each token from the adverb(s) just before it."""
    mods = [1.0] * len(tokens)
    for i, token in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        if token in _BOOSTERS or (token == "plus" and prev != "ne"):
            factor = _BOOST
        elif token in _DAMPENERS or (token == "peu" and prev == "un"):
            factor = _DAMP
        elif token in _HALF_INVERT:
            factor = -0.5
        else:
            continue
        for j in (i + 1, i + 2):
            if j < len(tokens) and tokens[j] not in _CLAUSE_END:
                mods[j] *= factor
    return mods


def _lookup(word: str, lex: Lexicons) -> tuple[float, float, float] | None:
    hit = lex.exact.get(word)
    if hit is None and len(word) > 3 and word.isalpha():
        hit = lex.stems.get(stem(word))
    return hit


def features(text: str) -> dict[str, float]:
    """Sparse feature vector of ``text``: lexicon aggregates plus negation-marked stems and bigrams."""
    lex = lexicons()
    tokens = normalize(text)
    weights = _clause_weights(tokens)
    negated = _negation_flags(tokens)
    mods = _modifiers(tokens)
    feats: dict[str, float] = {}
    sums = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]  # pos/neg for vader, textblob, news
    words = 0
    prev = "<s>"
    for i, token in enumerate(tokens):
        if token in _CLAUSE_END:
            if token[0] in "!?":
                feats["p:" + token[0]] = 1.0
            prev = "<p>"
            continue
        words += 1
        mark = "!" if negated[i] != (mods[i] < 0) else ""
        key = mark + (stem(token) if token.isalpha() else token)
        strength = weights[i] * abs(mods[i])
        if token not in _MODIFIERS:  # degree words act through ``mods``, not as opinions of their own
            feats["w:" + key] = feats.get("w:" + key, 0.0) + strength
        bigram = f"b:{prev}_{key}"
        feats[bigram] = feats.get(bigram, 0.0) + strength
        prev = key
        hit = _lookup(token, lex)
        if hit is None:
            continue
        scale = weights[i] * mods[i] * (_NEG_SCALE if negated[i] else 1.0)
        for k, value in enumerate(hit):
            contribution = value * scale
            if contribution > 0:
                sums[2 * k] += contribution
            elif contribution < 0:
                sums[2 * k + 1] -= contribution
    norm = 1.0 / math.sqrt(words + 1)
    for key in list(feats):
        feats[key] *= norm
    for k, name in enumerate(("vader", "blob", "news")):
        pos, neg = sums[2 * k], sums[2 * k + 1]
        feats[f"L:{name}+"] = math.log1p(pos)
        feats[f"L:{name}-"] = math.log1p(neg)
        feats[f"L:{name}"] = (pos - neg) * norm
    if any(negated):
        feats["n:neg"] = 1.0
    return feats


LEXICON_PREFIXES = ("L:", "n:", "p:")


def lexicon_features(feats: dict[str, float]) -> dict[str, float]:
    """Only the lexicon/rule features: the small variant that does not learn words from the corpus."""
    return {k: v for k, v in feats.items() if k.startswith(LEXICON_PREFIXES)}
