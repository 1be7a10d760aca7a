"""French sentence polarity, offline (first version: a small lexicon with negation)."""

from __future__ import annotations

from composer.text.words import tokenize_words

_POSITIVE = set("""bénéfique bénéfiques croissance innovation innovant innovante démocratisation
extraordinaire riche incroyablement progrès réussite succès salutaire améliorer améliore opportunité
puissants enthousiaste profitera meilleur favorable espoir catalyseurs accélérer""".split())
_NEGATIVE = set("""pertes perte licenciements licencié menace menaces crise surveillance militarisation
inquiétante dangereuse sombres troublant terrifiante asservissement dérive alarmante échec poison
scandale risque risques défiance peur bousillé effondré frustration préoccupant""".split())
_NEGATORS = {"pas", "plus", "jamais", "rien", "sans", "aucun", "aucune", "ni"}


def score(text: str, language: str = "fr") -> float:
    """Polarity of ``text`` in [-1, 1]; negation flips the next few words."""
    total = 0.0
    hits = 0
    flip_until = -1
    for i, word in enumerate(tokenize_words(text, language)):
        if word in _NEGATORS:
            flip_until = i + 3
            continue
        value = 1.0 if word in _POSITIVE else -1.0 if word in _NEGATIVE else 0.0
        if value:
            total += -value if i <= flip_until else value
            hits += 1
    return max(-1.0, min(1.0, total / (hits + 1))) if hits else 0.0


def label(value: float, threshold: float = 0.1) -> str:
    """positive | negative | neutral for a polarity value."""
    if value > threshold:
        return "positive"
    if value < -threshold:
        return "negative"
    return "neutral"


def score_many(texts: list[str], language: str = "fr") -> list[float]:
    """Polarity of each text, in order."""
    return [score(t, language) for t in texts]
