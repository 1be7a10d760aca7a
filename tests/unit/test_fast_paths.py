"""The speed rewrites must give exactly what the plain forms give.

The summarizer's hot paths use regexes and loops written for speed (see the comments next to
each).  Each test here compares one against the straightforward form it replaces, on tricky
strings and on seeded random text, so a change that alters a single token, span or count
fails here rather than as a small ROUGE drift.
"""

from __future__ import annotations

import random
import re

import pytest

from composer.summarize.features import _CAP
from composer.text.sentences import _GLUED, _last_token, _punkt, _spanner, ends_like_sentence
from composer.text.words import _FR_WORD

TRICKY = [
    "",
    " ",
    "M. Macron est arrivé. Il a parlé.",
    "Il hésita... Puis il partit.",
    "Wait . . . what? Yes.",
    "Oui -- non. Peut-être.",
    "Very bad acting!!! I promise.",
    "How?! You knew?!",
    "(Hi there.) Bye.",
    "« Je suis là. » Il a dit cela.",
    'Il a dit "Bonjour." Puis il est parti.',
    "No. 5 est là. Fin.",
    "Le 2.600e. Il vit aux U.S.A. depuis 2010. Il travaille.",
    "a.\nb. C.",
    "Fin.\u2028Début. Suite",
    "x . . . . y. Z",
    "Dr.\tDupont. Bien.\r\nOui.",
    "J.-L. Mélenchon. Voilà",
    "?!. ! ? .",
    "..--..",
    "l'l'avion d'aujourd'hui jusqu'à qu'il l' × Éa ÷ _x_ c’est",
    "Le × Paris. Rome, Berlin ×a.",
]
ALPHABET = [
    *"..----  \t\n\u2028\u00a0aéZÉ×÷!?«»\"')(]}’”,;:…_'",
    "M.",
    "etc.",
    ". . .",
    "...",
    " Il",
    " le",
    " 2.600",
    "U.S.A.",
    "Venise.Selon",
    "2018.Alors",
    '".Le',
    "%).Le",
    " ».Le",
    "l'",
    "qu’",
    "jusqu'",
    " Paris",
    "\n\n",
    "» Il",
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    randoms = ("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(count))
    return [*TRICKY, *randoms]


def test_fast_punkt_spans_equal_punkts_own() -> None:
    punkt = pytest.importorskip("punkt")
    fast = _spanner("fr")
    assert type(fast).__name__ == "FastSpans", "the fast path should apply to punkt's default rules"
    reference = punkt.tokenizer_for("french")
    for text in _random_texts(3000, 1):
        assert fast(text) == list(reference.span_tokenize(text)), repr(text)


def test_fast_multi_char_pattern_matches_punkts() -> None:
    punkt = pytest.importorskip("punkt")
    original = re.compile(punkt.tokenizer_for("french").rules.multi_char_punct_pattern)
    fast = re.compile(_punkt("fr").rules.multi_char_punct_pattern)
    for text in _random_texts(3000, 2):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in original.finditer(text)]


def test_french_word_pattern_matches_the_plain_one() -> None:
    elisions = "l|d|j|m|n|s|t|c|ç|qu|jusqu|lorsqu|puisqu|quoiqu|presqu"
    plain = re.compile(rf"\b(?:(?:{elisions})['’])?(\w+(?:[-'’]\w+)*)")
    for text in _random_texts(3000, 3):
        assert _FR_WORD.findall(text.lower()) == plain.findall(text.lower()), repr(text)


def test_capital_and_glued_patterns_match_the_plain_ones() -> None:
    cap = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][a-zà-ÿ]+")
    glued = re.compile(r"(?<=(?:[a-zà-ÿ]{2}|\d{2}|[\w%][\"»”)]|\s[»”])[.!?])(?=[A-ZÀ-Ý][a-zà-ÿ]+\b)")
    for text in _random_texts(3000, 4):
        assert _CAP.findall(text) == cap.findall(text), repr(text)
        assert [m.end() for m in _GLUED.finditer(text)] == [m.start() for m in glued.finditer(text)]


def test_ends_like_sentence_matches_the_regex_form() -> None:
    def plain(text: str) -> bool:
        return bool(re.search(r"[.!?…][\"'”»)\]]*\s*$", text)) or bool(re.search(r"[»\"”]\s*$", text))

    for text in _random_texts(3000, 5):
        assert ends_like_sentence(text) == plain(text), repr(text)


def test_last_token_matches_the_regex_form() -> None:
    last = re.compile(r"(\S+)\.[\"'”»)\]]*\s*$")
    for text in _random_texts(3000, 6):
        tail = (text + ".").rstrip()
        m = last.search(tail)
        assert _last_token(tail) == (m.group(1) if m else ""), repr(tail)
