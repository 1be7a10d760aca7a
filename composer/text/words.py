"""Words, stop words and stems for French and English, with nothing to download.

Accents are kept (``été`` and ``ete`` are different words in French) and elisions are cut
(``l'État`` → ``état``) so that counts and overlaps see the content word.  The French stop
list is complete on purpose: sumy's own list has 126 words and misses ``de``, ``un``, ``une``,
``à``, ``se``, ``ne``, ``plus``, ``cette``, which then dominate every frequency-based method.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
# One pass: an optional elided article or pronoun, then the word it is glued to.  Written for
# speed, with the same matches as the plain form
# ``\b(?:(?:l|d|…|presqu)['’])?(\w+(?:[-'’]\w+)*)``: a match can only start on a word character
# that follows a non-word one, so ``(?=\w)`` does the work of ``\b``; the elision is taken only
# when a word follows it, which is when the plain form keeps it; and as nothing follows the word,
# possessive quantifiers return what greedy ones would, without the backtracking bookkeeping.
_FR_WORD = re.compile(
    r"(?=\w)(?:(?:[ldjmnstcç]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)['’](?=\w))?+(\w++(?:[-'’]\w++)*+)",
    re.UNICODE,
)

_FR_STOP = """
a à â afin ah ai aie aient aies ait al alors as au aucun aucune auquel aura aurai auraient aurais
aurait auras aurez auriez aurions aurons auront aussi autant autre autres aux auxquelles auxquels
avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons
bah beaucoup bien bon c ça car ce ceci cela celle celles celui cependant certain certaine certaines
certains ces cet cette ceux chacun chacune chaque chez ci comme comment contre d dans de dedans
dehors déjà depuis derrière des dès desquelles desquels dessous dessus deux devant devers doit
doivent donc dont du duquel durant e eh elle elles en encore entre es est et étaient étais était
étant étiez étions été être eu eue eues eurent eus eusse eussent eusses eussiez eussions eut eût
eûmes eûtes eux fait faire fais faisait faites fois font furent fus fusse fussent fusses fussiez
fussions fut fût fûmes fûtes hors i ici il ils j je jusqu jusque l la là laquelle le lequel les
lesquelles lesquels leur leurs lors lorsque lui m ma mais me même mêmes merci mes moi moins mon n
ne néanmoins ni non nos notre nôtre nôtres nous o ô on ont ou où oui par parce parmi pas pendant
peu peut peuvent plupart plus plusieurs pour pourquoi pourtant près puis puisque qu quand que quel
quelle quelles quels qui quoi s sa sans sauf se sera serai seraient serais serait seras serez
seriez serions serons seront ses si sien sienne siennes siens sinon soi soient sois soit sommes
son sont sous soyez soyons suis sur t ta tandis tant te tel telle telles tels tes toi ton toujours
tous tout toute toutes très trop tu un une unes uns v va vais vers via voici voilà vont vos votre
vôtre vôtres vous vu y
"""
_EN_STOP = """
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves also would could may might must shall us
"""


def tokenize_words(text: str, language: str = "fr") -> list[str]:
    """Lowercase words with accents kept and French elisions (l', d', qu') removed.

    Hyphenated compounds stay one word ("porte-parole", "États-Unis"): splitting them would
    turn a named entity into two common words.
    """
    lowered = text.lower()
    words = _WORD.findall(lowered) if language == "en" else _FR_WORD.findall(lowered)
    if "’" in lowered or "_" in lowered:
        words = [w.replace("’", "'").strip("_") for w in words]
        words = [w for w in words if w]
    return words


@lru_cache(maxsize=4)
def stop_words(language: str = "fr") -> frozenset[str]:
    """Stop words of ``language`` (``fr`` or ``en``), lowercase with accents."""
    return frozenset((_EN_STOP if language == "en" else _FR_STOP).split())


_LOCAL = threading.local()


def _stemmer(language: str):  # type: ignore[no-untyped-def]
    """This thread's stemmer: Snowball keeps state inside ``stemWord``, so threads cannot share one."""
    stemmers = _LOCAL.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        import snowballstemmer

        stemmers[language] = snowballstemmer.stemmer("english" if language == "en" else "french")
    return stemmers[language]


@lru_cache(maxsize=200_000)
def _stem_cached(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stem(word: str, language: str = "fr") -> str:
    """Snowball stem of a lowercase word (cached: news reuses the same few thousand words)."""
    return _stem_cached(word, language)
