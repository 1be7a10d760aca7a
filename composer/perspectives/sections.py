"""Building the five perspective sections of an article from its own sentences.

Selection picks source sentences (by the summarizer, by polarity rank within the article, by
concreteness); Jinja2 templates give the framing words.  A template refers to a chosen sentence
through a marker, and rendering splits the output back into template parts and source parts,
so each source part keeps its exact span in the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from composer.models import Article, Digest, Part, Section, SectionKind, Sentence
from composer.perspectives.polarity import score_many
from composer.perspectives.templates import PerspectiveTemplates
from composer.text.sentences import split_sentences

_MARKER = re.compile(r"\x00(\d+)\x00")
_CONCRETE = re.compile(r"\d|[«“\"]|\bpar exemple\b|\bimaginez\b|\bexemple\b|\bcomme\b", re.IGNORECASE)
MIN_WORDS = 6


@dataclass(frozen=True)
class Candidate:
    """A sentence that may appear in a section, with its polarity."""

    sentence: Sentence
    polarity: float


def candidate_sentences(article: Article) -> list[Candidate]:
    """Body sentences worth quoting: not headings, not fragments, scored for polarity once."""
    headings = [(p.start, p.end) for p in article.paragraphs if p.kind == "heading"]
    chosen = [
        s
        for s in split_sentences(article.text, article.language)
        if len(s.text.split()) >= MIN_WORDS and not any(a <= s.start < b for a, b in headings)
    ]
    scores = score_many([s.text for s in chosen], article.language)
    return [Candidate(s, p) for s, p in zip(chosen, scores, strict=True)]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def select(article: Article, digest: Digest, candidates: list[Candidate]) -> dict[str, list[Candidate]]:
    """Choose the sentences of every section; lists may be empty when the article has no material.

    Polarity is used by rank within the article (lexicons find most tech news positive): the
    optimistic side takes sentences clearly above the article's median, the pessimistic side
    clearly below it, and a sentence never serves both.
    """
    by_index = {c.sentence.index: c for c in candidates}
    recap = [by_index.get(s.index) or Candidate(s, 0.0) for s in digest.summary]
    recap_ids = {c.sentence.index for c in recap}
    pool = [c for c in candidates if c.sentence.index not in recap_ids] or candidates
    median = _median([c.polarity for c in candidates]) if candidates else 0.0
    margin = 0.05
    positive = sorted((c for c in pool if c.polarity > median + margin), key=lambda c: -c.polarity)[:2]
    negative = sorted((c for c in pool if c.polarity < median - margin), key=lambda c: c.polarity)[:2]
    used = {c.sentence.index for c in positive + negative} | recap_ids
    concrete = [c for c in candidates if c.sentence.index not in used and _CONCRETE.search(c.sentence.text)]
    concrete.sort(key=lambda c: -len(_CONCRETE.findall(c.sentence.text)))
    central = recap[:1]
    neutral = central + positive[:1] + negative[:1] if positive and negative else central
    return {
        "recap": recap,
        "neutral": neutral,
        "example": concrete[:1],
        "optimistic": sorted(positive, key=lambda c: c.sentence.index),
        "pessimistic": sorted(negative, key=lambda c: c.sentence.index),
    }


def build_sections(
    article: Article,
    digest: Digest,
    templates: PerspectiveTemplates,
    *,
    variant_seed: int = 0,
) -> tuple[Section, ...]:
    """The five sections of ``article``, in the order of seeds/004.

    ``variant_seed`` (the article's position in the edition) rotates the template phrasings so
    an edition does not repeat itself.
    """
    chosen = select(article, digest, candidate_sentences(article))
    sections = []
    for offset, kind in enumerate(templates.kinds):
        picks = chosen[kind]
        parts = _render(templates, kind, picks, variant_seed + offset, article)
        sections.append(Section(kind=kind, heading=templates.heading(kind), parts=parts, empty=not picks))
    return tuple(sections)


def _render(
    templates: PerspectiveTemplates, kind: SectionKind, picks: list[Candidate], seed: int, article: Article
) -> tuple[Part, ...]:
    markers = [f"\x00{i}\x00" for i in range(len(picks))]
    context = {
        "sentences": markers,
        "first": markers[0] if markers else "",
        "others": markers[1:],
        "count": len(markers),
        "title": article.title,
    }
    rendered = templates.render(kind, seed, empty=not picks, **context)
    parts: list[Part] = []
    pos = 0
    for match in _MARKER.finditer(rendered):
        _append_template(parts, rendered[pos : match.start()])
        cand = picks[int(match.group(1))]
        s = cand.sentence
        parts.append(Part("source", s.text, s.start, s.end, s.index, round(cand.polarity, 4)))
        pos = match.end()
    _append_template(parts, rendered[pos:])
    return tuple(parts)


def _append_template(parts: list[Part], text: str) -> None:
    text = " ".join(text.split())
    if text:
        parts.append(Part("template", text))
