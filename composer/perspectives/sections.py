"""Building one article's entry: chapô, "L'essentiel", recap and the five perspective sections.

Every piece is a unit of the article (:mod:`composer.perspectives.units`: a whole sentence or a
whole quotation with its speaker), and every unit is used at most once per entry, so a reader
never meets the same sentence twice.  Units are handed out in the order that protects the reader
most:

1. the chapô (the summarizer's lead) and the article's own "L'essentiel" bullets;
2. the optimistic and pessimistic views — only units the framing scorer is *confident* carry
   that side (an absolute decision, never a rank within the article); none means the template's
   honest empty line;
3. the example — the most concrete free unit (a quotation, a figure with its unit, a named case);
4. "L'essentiel" (when the article has none) and the recap, by the summarizer's ranking;
5. the neutral view — its own material: the best-ranked free unit that leans neither way, then
   a favourable and a critical unit that the side views do not already quote.

Jinja2 templates give the framing words: a template refers to a chosen unit through a marker,
and rendering splits the output back into template parts and source parts, so each source part
keeps its exact span in the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from composer.models import Article, Part, Section, SectionKind, Sentence
from composer.perspectives.examples import example_strength
from composer.perspectives.framing import FramingScore, score_many
from composer.perspectives.templates import PerspectiveTemplates
from composer.perspectives.units import Unit, quotable_units

_MARKER = re.compile(r"\x00(\d+)\x00")
_SPACES = re.compile(r"[ \t\r\n]+")
SIDE_COUNT = 2
POINT_COUNT = 3
RECAP_COUNT = 3
MIN_EXAMPLE = 1.0
SURE = 0.8  # probability a neutral view's favourable or critical sentence must reach
_MIN_REPEAT = 20  # characters: shorter texts ("Il a dit non.") may repeat without being a repeat
_OPENING_QUOTES = "«\"“„"


def _quotation(unit: Unit) -> bool:
    """A quotation rather than the article's own statement: several quoted sentences with their
    speaker, or a sentence that opens on a quotation mark."""
    return unit.kind == "quote" or unit.sentence.text.lstrip("-–—• ")[:1] in _OPENING_QUOTES


def _said(text: str) -> str:
    """A sentence as compared for repeats: spaces folded, case ignored."""
    return _SPACES.sub(" ", text).strip().lower()


@dataclass(frozen=True)
class Scored:
    """A unit with its framing."""

    unit: Unit
    framing: FramingScore

    @property
    def index(self) -> int:
        """The index of the unit's first sentence (its place in the article)."""
        return self.unit.sentence.index


@dataclass
class Selection:
    """What each part of an entry quotes; ``reasons`` says why a section is empty."""

    key_points: list[Sentence] = field(default_factory=list)
    recap: list[Scored] = field(default_factory=list)
    neutral: list[Scored] = field(default_factory=list)
    neutral_sides: dict[str, int] = field(default_factory=dict)
    example: list[Scored] = field(default_factory=list)
    optimistic: list[Scored] = field(default_factory=list)
    pessimistic: list[Scored] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def picks(self, kind: SectionKind) -> list[Scored]:
        """The units quoted by section ``kind``."""
        return list(getattr(self, kind))


def score_units(units: list[Unit], language: str) -> list[Scored]:
    """Each unit with its framing, scored in one pass."""
    framings = score_many([u.sentence.text for u in units], language)
    return [Scored(u, f) for u, f in zip(units, framings, strict=True)]


def select(
    scored: list[Scored],
    chapo: list[Sentence],
    own_points: list[Sentence],
    ranking: list[Sentence],
) -> Selection:
    """Hand out the units to the parts of an entry, each unit at most once (see module docstring)."""
    used: set[int] = {s.index for s in chapo} | {s.index for s in own_points}
    shown = [(s.start, s.end) for s in (*chapo, *own_points)]
    for item in scored:  # a unit that overlaps the chapô or a bullet is already on the page
        span = item.unit.sentence
        if any(start < span.end and span.start < end for start, end in shown):
            used.update(item.unit.covers)
    chosen = Selection(key_points=list(own_points))
    # Pages repeat sentences (a lead quoted again lower down, a pull quote): the same words at
    # another place are the same sentence to a reader, so they are quoted once per entry too.
    said = [_said(s.text) for s in (*chapo, *own_points) if len(s.text) >= _MIN_REPEAT]

    def repeats(item: Scored) -> bool:
        text = _said(item.unit.sentence.text)
        return len(text) >= _MIN_REPEAT and any(text in s or s in text for s in said)

    def free(item: Scored) -> bool:
        return not (item.unit.covers & used) and not repeats(item)

    def take(items: list[Scored], count: int) -> list[Scored]:
        """The first ``count`` free items, in order, each marked used as it is taken."""
        out: list[Scored] = []
        for item in items:
            if len(out) == count:
                break
            if free(item):
                used.update(item.unit.covers)
                said.append(_said(item.unit.sentence.text))
                out.append(item)
        return out

    def confident(side: str) -> list[Scored]:
        key = (
            (lambda s: -s.framing.optimistic) if side == "optimistic" else (lambda s: -s.framing.pessimistic)
        )
        return sorted((s for s in scored if free(s) and s.framing.confident(side)), key=key)  # type: ignore[arg-type]

    for side in ("optimistic", "pessimistic"):
        picks = take(confident(side), SIDE_COUNT)
        setattr(chosen, side, sorted(picks, key=lambda s: s.index))
        if not picks:
            sure = any(s.framing.confident(side) for s in scored)  # type: ignore[arg-type]
            chosen.reasons[side] = "quoted" if sure else "none"

    strength = {id(s): example_strength(s.unit.sentence.text) for s in scored}  # once per unit
    concrete = sorted(
        (s for s in scored if free(s) and strength[id(s)] >= MIN_EXAMPLE),
        key=lambda s: (-strength[id(s)], abs(len(s.unit.sentence.text.split()) - 28)),
    )
    chosen.example = take(concrete, 1)
    if not chosen.example:
        anywhere = any(value >= MIN_EXAMPLE for value in strength.values())
        chosen.reasons["example"] = "quoted" if anywhere else "none"

    by_sentence = {i: s for s in scored for i in s.unit.covers}
    ranked: list[Scored] = []
    for sentence in ranking:
        item = by_sentence.get(sentence.index)
        if item is not None and item not in ranked:
            ranked.append(item)

    # "L'essentiel", the recap and the neutral view state the article's facts in its own voice: a quotation (a
    # reader's comment, a minister's words) comes after every statement of the article's own,
    # and is the example's material first.
    own_voice = [s for s in ranked if not _quotation(s.unit)] + [s for s in ranked if _quotation(s.unit)]
    if not own_points:
        points = take(own_voice, POINT_COUNT)
        chosen.key_points = sorted((s.unit.sentence for s in points), key=lambda s: s.index)
    chosen.recap = sorted(take(own_voice, RECAP_COUNT), key=lambda s: s.index)
    if not chosen.recap:
        chosen.reasons["recap"] = "quoted" if scored else "none"

    central = take([s for s in own_voice if s.framing.label == "neither"], 1)
    # Favourable / critical sentences beyond the side views must be surer still: the neutral
    # view labels them, and a mislabeled side there misleads as much as in the side views.
    pro = take([s for s in confident("optimistic") if s.framing.optimistic >= SURE], 1) if central else []
    con = take([s for s in confident("pessimistic") if s.framing.pessimistic >= SURE], 1) if central else []
    chosen.neutral = central + pro + con
    if pro:
        chosen.neutral_sides["pro"] = 1
    if con:
        chosen.neutral_sides["con"] = 1 + len(pro)
    if not central:
        chosen.reasons["neutral"] = "none"
    return chosen


def build_sections(
    article: Article,
    selection: Selection,
    templates: PerspectiveTemplates,
    *,
    variant_seed: int = 0,
) -> tuple[Section, ...]:
    """The five sections of ``article``, in the order of seeds/004.

    ``variant_seed`` (fixed per article, see ``edition.compose.variant_seed``) rotates the
    template phrasings so an edition does not repeat itself.
    """
    sections = []
    for offset, kind in enumerate(templates.kinds):
        picks = selection.picks(kind)
        sides = selection.neutral_sides if kind == "neutral" else {}
        reason = selection.reasons.get(kind, "")
        parts = _render(templates, kind, picks, variant_seed + offset, article, sides=sides, reason=reason)
        sections.append(Section(kind=kind, heading=templates.heading(kind), parts=parts, empty=not picks))
    return tuple(sections)


def entry_units(article: Article, sentences: list[Sentence]) -> list[Scored]:
    """The article's quotable units with their framing (what selection chooses from)."""
    return score_units(quotable_units(article, sentences), article.language)


def _render(
    templates: PerspectiveTemplates,
    kind: SectionKind,
    picks: list[Scored],
    seed: int,
    article: Article,
    *,
    sides: dict[str, int],
    reason: str,
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
        "reason": reason,
    }
    rendered = templates.render(kind, seed, empty=not picks, **context)
    parts: list[Part] = []
    pos = 0
    for match in _MARKER.finditer(rendered):
        _append_template(parts, rendered[pos : match.start()])
        item = picks[int(match.group(1))]
        s = item.unit.sentence
        parts.append(Part("source", s.text, s.start, s.end, s.index, round(item.framing.score, 4)))
        pos = match.end()
    _append_template(parts, rendered[pos:])
    return tuple(parts)


def _append_template(parts: list[Part], text: str) -> None:
    text = _SPACES.sub(" ", text).strip(" ")  # ASCII white space only: keep no-break spaces
    if text:
        parts.append(Part("template", text))
