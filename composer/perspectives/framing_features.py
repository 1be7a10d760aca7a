"""Features of the news-framing model: the polarity features plus *direction* composition.

Why the extra: news states good and bad news as a direction applied to a quantity — "le chômage a
reculé", "les contaminations repartent à la hausse", "la dette baisse" — and a bag of words reads
"chômage" as bad news whatever happens to it.  For every direction word (up: hausse, augmente,
bondit…; down: baisse, recul, chute…) the words around it (±4 tokens, same clause) become paired
features ("down·chômage"), and their lexicon polarity, signed by the direction, becomes a number:
a fall of something bad is good news, a rise of something bad is bad news.  The pairs learn
what the lexicons do not know ("down·contamin", "up·vente").
"""

from __future__ import annotations

from composer.perspectives.polarity_features import (
    _CLAUSE_END,
    _lookup,
    features,
    lexicons,
    normalize,
    stem,
)

WINDOW = 4


def _sentiment():  # type: ignore[no-untyped-def]
    from composer.perspectives.polarity import _models

    return _models()["default"]


_UP = (
    "hauss", "augment", "progress", "bond", "grimp", "croiss", "accroiss", "envol", "flamb",
    "explos", "record", "multipli", "doubl", "tripl", "rebond", "remont", "accélér",
)  # fmt: skip
_DOWN = (
    "baiss", "recul", "diminu", "chut", "repli", "effondr", "rédui", "réduct", "ralenti",
    "dégringol", "plong", "décroi", "divis", "fond", "résorb", "endigu", "freiné", "perdu", "perte",
)  # fmt: skip
_SKIP = frozenset(
    "le la les de des du un une à au aux en et a été est ont sont sa son ses leur leurs ce".split()
)


def _direction(token: str) -> int:
    """+1 for a word saying "up", -1 for "down", 0 otherwise."""
    if len(token) < 4 or not token.isalpha():
        return 0
    if token.startswith(_UP):
        return 1
    if token.startswith(_DOWN):
        return -1
    return 0


def framing_features(text: str) -> dict[str, float]:
    """Sparse features of ``text`` for the framing model (same function at training and scoring)."""
    feats = features(text)
    sentiment = _sentiment().score(feats)  # the review/tweet model's view, as one more signal
    feats["S:sentiment"] = sentiment
    tokens = normalize(text)
    lex = lexicons()
    composed = 0.0
    for i, token in enumerate(tokens):
        sign = _direction(token)
        if not sign:
            continue
        feats["F:up" if sign > 0 else "F:down"] = 1.0
        name = "up" if sign > 0 else "down"
        for j in range(max(0, i - WINDOW), min(len(tokens), i + WINDOW + 1)):
            other = tokens[j]
            if j == i or other in _SKIP or not other.isalpha() or _direction(other):
                continue
            between = tokens[min(i, j) : max(i, j)]
            if any(t in _CLAUSE_END for t in between):
                continue
            key = f"d:{name}·{stem(other)}"
            feats[key] = feats.get(key, 0.0) + 1.0
            hit = _lookup(other, lex)
            if hit is not None:
                composed += sign * (hit[0] + hit[2]) / 2.0
    if composed:
        feats["F:composed+" if composed > 0 else "F:composed-"] = min(abs(composed), 3.0)
    return feats
