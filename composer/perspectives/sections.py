"""Building the five perspective sections of an article from its own sentences.

Selection picks source units — sentences, or a whole quotation with its attribution — by the
summarizer (recap), by polarity rank within the article (optimistic, pessimistic), by balance
(neutral) and by concreteness (example).  Jinja2 templates give the framing words: a template
refers to a chosen unit through a marker, and rendering splits the output back into template
parts and source parts, so each source part keeps its exact span in the article text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from composer.models import Article, Digest, Paragraph, Part, Section, SectionKind, Sentence
from composer.perspectives.polarity import score_many
from composer.perspectives.templates import PerspectiveTemplates

_MARKER = re.compile(r"\x00(\d+)\x00")
_SPACES = re.compile(r"[ \t\r\n]+")
MIN_WORDS = 6
MAX_QUOTE_WORDS = 90
# How far from the article's median a sentence must lean, and which sign it must have, to count
# as clearly optimistic or pessimistic (scores are in [-1, 1]).
LEAN = 0.3
SIGN = 0.15
_ATTRIBUTION = re.compile(
    r"\s[-–—]\s*(?:u/)?[\w.-]+.*\(\d+ points?\)\s*$|\b(?:déclare|a déclaré|explique|a expliqué|selon|"
    r"affirme|a affirmé|estime|souligne|confie|a confié|témoigne|raconte|said|says)\b",
    re.IGNORECASE,
)
_QUOTE_MARKS = re.compile(r"[«»“”\"]")
_FIGURE = re.compile(r"\d+(?:[.,\u202f ]\d{3})*(?:[.,]\d+)?\s*(?:%|€|\$|millions?|milliards?)?")
_ANECDOTE = re.compile(
    r"\b(?:par exemple|imaginez|prenons l[’']exemple|for example|imagine)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Unit:
    """A quotable piece of the article (a sentence, or a whole quotation) with its polarity."""

    sentence: Sentence
    polarity: float
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


def quotable_units(article: Article, sentences: list[Sentence]) -> list[Unit]:
    """Units worth quoting, in source order: never headings, never fragments.

    A quotation paragraph of reasonable length is kept whole, so its attribution travels with
    it and no quote is cut open.
    """
    chosen: list[tuple[Sentence, str]] = []
    for para in paragraphs_of(article):
        if para.kind == "heading":
            continue
        inside = [s for s in sentences if para.start <= s.start < para.end]
        text = article.text[para.start : para.end]
        if para.kind == "quote" and inside and len(text.split()) <= MAX_QUOTE_WORDS:
            chosen.append((Sentence(inside[0].index, para.start, para.end, text), "quote"))
            continue
        kind = "bullet" if para.kind == "bullet" else "sentence"
        chosen += [(s, kind) for s in inside if len(s.text.split()) >= MIN_WORDS]
    scores = score_many([s.text for s, _ in chosen], article.language)
    return [Unit(s, p, k) for (s, k), p in zip(chosen, scores, strict=True)]


def _concreteness(unit: Unit) -> float:
    text = unit.sentence.text
    score = 0.0
    if unit.kind == "quote" or (_QUOTE_MARKS.search(text) and _ATTRIBUTION.search(text)):
        score += 3.0
    score += min(len(_FIGURE.findall(text)), 3) * 1.0
    if _ANECDOTE.search(text):
        score += 2.0
    return score - 0.01 * abs(len(text.split()) - 30)  # prefer readable lengths


def _prefer_unseen(ranked: list[Unit], shown: set[int], count: int = 2) -> list[Unit]:
    """The ``count`` strongest units, skipping those the reader already met in the chapô,
    "L'essentiel" or the recap — unless nothing else leans that way."""
    fresh = [u for u in ranked if u.sentence.index not in shown]
    return (fresh or ranked)[:count]


def select(units: list[Unit], digest: Digest) -> dict[SectionKind, list[Unit]]:
    """Choose the units of every section; a list is empty when the article has no such material.

    Polarity is used by rank within the article (lexicons find most tech news positive): the
    optimistic side takes units that lean clearly above the article's median and are positive,
    the pessimistic side clearly below and negative, so no unit can serve both.
    """
    by_index = {u.sentence.index: u for u in units}
    recap = [by_index.get(s.index) or Unit(s, 0.0, "sentence") for s in digest.recap or digest.summary]
    summary_ids = {s.index for s in digest.summary} | {s.index for s in digest.key_points}
    median = statistics.median(u.polarity for u in units) if units else 0.0
    shown = summary_ids | {u.sentence.index for u in recap}
    positive = _prefer_unseen(
        sorted((u for u in units if u.polarity >= max(median + LEAN, SIGN)), key=lambda u: -u.polarity), shown
    )
    negative = _prefer_unseen(
        sorted((u for u in units if u.polarity <= min(median - LEAN, -SIGN)), key=lambda u: u.polarity), shown
    )
    # The example may repeat a key point (a figure often is one) but not another section.
    used = {u.sentence.index for u in positive + negative} | {u.sentence.index for u in recap}
    concrete = sorted(
        (u for u in units if u.sentence.index not in used and _concreteness(u) >= 1.0),
        key=lambda u: -_concreteness(u),
    )
    # The central fact is the most even-toned recap sentence; each side adds its strongest
    # other sentence, so the neutral view never quotes the same sentence twice.
    pool = recap or [u for u in units if u.sentence.index in summary_ids]
    central = sorted(pool, key=lambda u: abs(u.polarity - median))[:1]
    central_ids = {u.sentence.index for u in central}
    pro = [u for u in positive if u.sentence.index not in central_ids][:1]
    con = [u for u in negative if u.sentence.index not in central_ids][:1]
    neutral = central + pro + con
    return {
        "recap": recap,
        "neutral": neutral,
        "example": concrete[:1],
        "optimistic": sorted(positive, key=lambda u: u.sentence.index),
        "pessimistic": sorted(negative, key=lambda u: u.sentence.index),
    }


def build_sections(
    article: Article,
    digest: Digest,
    templates: PerspectiveTemplates,
    sentences: list[Sentence],
    *,
    variant_seed: int = 0,
) -> tuple[Section, ...]:
    """The five sections of ``article``, in the order of seeds/004.

    ``variant_seed`` (the article's position in the edition) rotates the template phrasings so
    an edition does not repeat itself.
    """
    chosen = select(quotable_units(article, sentences), digest)
    sections = []
    for offset, kind in enumerate(templates.kinds):
        picks = chosen[kind]
        parts = _render(templates, kind, picks, variant_seed + offset, article, sides=_sides(kind, picks))
        sections.append(Section(kind=kind, heading=templates.heading(kind), parts=parts, empty=not picks))
    return tuple(sections)


def _sides(kind: SectionKind, picks: list[Unit]) -> dict[str, int]:
    """For the neutral section: which of its picks are the favourable and the critical one."""
    if kind != "neutral" or len(picks) < 2:
        return {}
    sides = {}
    for i, unit in enumerate(picks[1:], 1):
        sides["pro" if unit.polarity > picks[0].polarity else "con"] = i
    return sides


def _render(
    templates: PerspectiveTemplates,
    kind: SectionKind,
    picks: list[Unit],
    seed: int,
    article: Article,
    *,
    sides: dict[str, int],
) -> tuple[Part, ...]:
    markers = [f"\x00{i}\x00" for i in range(len(picks))]
    context = {
        "sentences": markers,
        "first": markers[0] if markers else "",
        "others": markers[1:],
        "count": len(markers),
        "title": article.title,
        "pro": markers[sides["pro"]] if "pro" in sides else "",
        "con": markers[sides["con"]] if "con" in sides else "",
    }
    rendered = templates.render(kind, seed, empty=not picks, **context)
    parts: list[Part] = []
    pos = 0
    for match in _MARKER.finditer(rendered):
        _append_template(parts, rendered[pos : match.start()])
        unit = picks[int(match.group(1))]
        s = unit.sentence
        parts.append(Part("source", s.text, s.start, s.end, s.index, round(unit.polarity, 4)))
        pos = match.end()
    _append_template(parts, rendered[pos:])
    return tuple(parts)


def _append_template(parts: list[Part], text: str) -> None:
    text = _SPACES.sub(" ", text).strip(" ")  # ASCII white space only: keep no-break spaces
    if text:
        parts.append(Part("template", text))
