"""Words, stop words and stems for French and English."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+(?:[-']\w+)*", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)

_FR_STOP = """a à au aux avec ce ces cette cet dans de des du elle en et eux il ils je la le les leur leurs
lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te
tes toi ton tu un une vos votre vous c d j l m n s t y été être avoir ai as avons avez ont est sont était
plus moins très tout tous toute toutes aussi bien comme si sans sous entre vers chez donc or ni car cela
ça ceci celui celle ceux celles dont lorsque puis encore déjà peu fait faire""".split()
_EN_STOP = """a an the and or but if of to in on at by for with from as is are was were be been being it
its this that these those he she they we you i me my our your their his her them not no so than then
there here what which who whom will would can could should do does did has have had""".split()


def tokenize_words(text: str, language: str = "fr") -> list[str]:
    """Lowercase words with accents kept and French elisions (l', d', qu') removed."""
    out = []
    for match in _WORD.finditer(text.replace("’", "'")):
        word = _ELISION.sub("", match.group().lower())
        if word:
            out.append(word)
    return out


@lru_cache(maxsize=4)
def stop_words(language: str = "fr") -> frozenset[str]:
    """Stop words of ``language`` (``fr`` or ``en``)."""
    return frozenset(_EN_STOP if language == "en" else _FR_STOP)


@lru_cache(maxsize=8)
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english" if language == "en" else "french")


def stem(word: str, language: str = "fr") -> str:
    """Snowball stem of a lowercase word."""
    return str(_stemmer(language).stemWord(word))
