"""Quotable units of an article: whole sentences, or a whole quotation with its speaker.

A reader who meets a quoted line in the newsletter must be able to read it alone: it starts
where a sentence starts, ends where one ends, and a quotation never loses its closing mark or
its "a déclaré X".  The splitter cuts at every full stop, so a quotation of several sentences
arrives in pieces; this module glues such pieces back (up to ``MAX_QUOTE_WORDS``) and drops
whatever still is not whole — a sentence starting in lowercase, a heading, leftover script,
unbalanced quote marks or brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from composer.models import Article, Paragraph, Sentence
from composer.text.sentences import quote_balance

MIN_WORDS = 6
MAX_QUOTE_WORDS = 90
MAX_PIECES = 4

_STARTS_WHOLE = re.compile(r"^[\s«\"“'(]*[A-ZÀ-ÖØ-Þ0-9]")  # a leading dash is a heading or dialogue
_ENDS_WHOLE = re.compile(r"(?:[.!?…][\s\"'»”)\]]*|[»”\"][\s.]*)$")
_ATTRIBUTION_START = re.compile(r"^\s*(?:[-–—]\s*\S|[a-zà-ÿ])")
# A quotation standing alone with no stop inside and no speaker is a heading ("L'unité nationale…").
_BARE_QUOTE = re.compile(r"^[«\"“]\s*[^«»\"“”]*[^.!?…\s]\s*[»\"”]$")
_LIST_AFTER_COLON = re.compile(r":\s*[-–•]\s")  # "extraits de cet entretien: - Quel est…"
_CODE = re.compile(r"[{}]|\bwindow\.|\bfunction\s*\(|=\s*new\b|https?://")


@dataclass(frozen=True)
class Unit:
    """A quotable piece of the article and the sentence indices it covers.

    ``sentence`` holds the unit's own span (its ``index`` is the first sentence's) so that a
    source part built from it is exactly ``article.text[start:end]``.
    """

    sentence: Sentence
    covers: frozenset[int]
    kind: str  # sentence | quote | bullet


def paragraphs_of(article: Article) -> tuple[Paragraph, ...]:
    """The article's paragraphs, or blank-line blocks when the source recorded none."""
    if article.paragraphs:
        return article.paragraphs
    blocks = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", article.text):
        if match.group().strip():
            blocks.append(Paragraph("paragraph", match.start(), match.end()))
    return tuple(blocks)


def is_whole(text: str) -> bool:
    """True when ``text`` reads as one whole sentence or quotation on its own."""
    stripped = text.strip()
    if len(stripped.split()) < MIN_WORDS or _CODE.search(stripped):
        return False
    if not _STARTS_WHOLE.match(stripped) or not _ENDS_WHOLE.search(stripped):
        return False
    if stripped.endswith((":", ",", ";")) or _LIST_AFTER_COLON.search(stripped):
        return False
    if quote_balance(stripped) != 0 or _BARE_QUOTE.match(stripped):
        return False
    return stripped.count("(") == stripped.count(")")


def _whole_quote(block: str) -> bool:
    """A quotation paragraph is whole when it starts like a sentence and closes every quote it
    opens; its end may be an attribution ("- u/name (12 points)") rather than a full stop."""
    stripped = block.strip()
    return (
        len(stripped.split()) >= MIN_WORDS
        and not _CODE.search(stripped)
        and bool(_STARTS_WHOLE.match(stripped))
        and quote_balance(stripped) == 0
    )


def quotable_units(article: Article, sentences: list[Sentence]) -> list[Unit]:
    """Units worth quoting, in source order: never headings, never fragments.

    A quotation paragraph of reasonable length is kept whole, so its attribution travels with
    it; a quotation spread over several sentences of a paragraph is one unit.
    """
    units: list[Unit] = []
    text = article.text
    for para in paragraphs_of(article):
        if para.kind == "heading":
            continue
        inside = [s for s in sentences if para.start <= s.start < para.end]
        if not inside:
            continue
        block = text[para.start : para.end]
        if para.kind == "quote" and len(block.split()) <= MAX_QUOTE_WORDS and _whole_quote(block):
            covers = frozenset(s.index for s in inside)
            units.append(Unit(Sentence(inside[0].index, para.start, para.end, block), covers, "quote"))
            continue
        kind = "bullet" if para.kind == "bullet" else "sentence"
        i = 0
        while i < len(inside):
            first = inside[i]
            j = i
            if quote_balance(first.text) > 0:  # an open quotation: extend to where it closes
                while j + 1 < len(inside) and j - i + 1 < MAX_PIECES:
                    j += 1
                    if quote_balance(text[first.start : inside[j].end]) == 0:
                        break
                # The speaker comes after the closing mark: "…", a-t-il dit. / "…" - u/x (3 points)
                if j + 1 < len(inside) and _ATTRIBUTION_START.match(inside[j + 1].text):
                    j += 1
            last = inside[j]
            span = text[first.start : last.end]
            if len(span.split()) <= MAX_QUOTE_WORDS and is_whole(span):
                covers = frozenset(s.index for s in inside[i : j + 1])
                unit_kind = kind if j == i else "quote"
                units.append(Unit(Sentence(first.index, first.start, last.end, span), covers, unit_kind))
            # Not whole: skip the whole stretch, so no piece of a cut quotation stands alone.
            i = j + 1
    return units

