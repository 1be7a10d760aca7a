"""A tiny offline language guesser: French or English by their commonest function words.

Good enough to choose stop words, stems and template language; it needs no model file.
"""

from __future__ import annotations

import re

_FR = frozenset(
    "le la les des une est dans pour que qui pas sur avec du au aux ce cette sont mais nous".split()
)
_EN = frozenset("the and is are of to in that for with on not this was be by from at have it".split())
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]+")


def detect_language(text: str, default: str = "fr") -> str:
    """``fr`` or ``en``, whichever has more function words in the first few thousand characters."""
    words = _WORD.findall(text[:5000].lower())
    fr = sum(w in _FR for w in words)
    en = sum(w in _EN for w in words)
    if fr == en:
        return default
    return "fr" if fr > en else "en"
