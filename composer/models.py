"""The frozen records that flow through composer, stage by stage.

Article → Digest → Section → Edition → Email.  Every stage is a plain function over these
records, so the TUI, the CLI, cron and the tests build exactly the same objects.  They are
frozen because an edition that went out must be reproducible from what was stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ParagraphKind = Literal["heading", "paragraph", "bullet", "quote"]
SectionKind = Literal["recap", "neutral", "example", "optimistic", "pessimistic"]
PartKind = Literal["template", "source"]

SECTION_KINDS: tuple[SectionKind, ...] = ("recap", "neutral", "example", "optimistic", "pessimistic")


@dataclass(frozen=True)
class Paragraph:
    """One block of an article's cleaned text, with its offsets into ``Article.text``.

    Headings, bullets and quotes stay distinct from running paragraphs so that a summary never
    starts with a section heading and a newsletter can render bullets as bullets.
    """

    kind: ParagraphKind
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """A cleaned article: the text a reader would see plus what we know about where it came from.

    ``text`` is the cleaned body, paragraphs separated by blank lines; every offset elsewhere in
    composer (sentences, provenance of perspective parts) refers to it.
    """

    id: str
    title: str
    text: str
    subtitle: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    source: str = ""
    language: str = "fr"
    paragraphs: tuple[Paragraph, ...] = ()

    @property
    def word_count(self) -> int:
        """Words in the body, the figure editors use to judge an article's weight."""
        return len(self.text.split())


ELISION = "[…]"


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, identified by its index and character span in ``Article.text``.

    A summary may quote a sentence in pieces (``composer.summarize.compress``): each kept piece
    is then a ``Sentence`` of its own, with the sentence's index, the piece's exact span and
    ``cut_before`` / ``cut_after`` saying that something of the sentence was left out there.
    ``text`` stays the exact span; ``shown`` is what a reader sees, with the elision marked.
    """

    index: int
    start: int
    end: int
    text: str
    cut_before: bool = False
    cut_after: bool = False

    @property
    def shown(self) -> str:
        """``text`` with "[…]" where part of the sentence was left out."""
        if not (self.cut_before or self.cut_after):
            return self.text
        before = ELISION + " " if self.cut_before else ""
        return before + self.text + (" " + ELISION if self.cut_after else "")


@dataclass(frozen=True)
class Digest:
    """What the summarizer made of an article: the chapô, "L'essentiel" and the factual recap.

    All are the article's own sentences (never reworded), in source order, and they do not
    repeat one another, so a reader never meets the same sentence three times.
    """

    article_id: str
    method: str
    summary: tuple[Sentence, ...]
    key_points: tuple[Sentence, ...] = ()
    recap: tuple[Sentence, ...] = ()

    @property
    def summary_text(self) -> str:
        """The chapô as one string, pieces joined by a space, elisions marked "[…]"."""
        return " ".join(s.shown for s in self.summary)


@dataclass(frozen=True)
class Part:
    """A piece of a perspective section: framing words from a template, or a source sentence.

    Source parts carry their span so that ``article.text[start:end] == text`` always holds:
    that equality is the whole of composer's promise that nothing is invented.
    """

    kind: PartKind
    text: str
    start: int | None = None
    end: int | None = None
    sentence_index: int | None = None
    polarity: float | None = None


@dataclass(frozen=True)
class Section:
    """One perspective section of an article ("Point de vue optimiste", …)."""

    kind: SectionKind
    heading: str
    parts: tuple[Part, ...]
    empty: bool = False

    @property
    def text(self) -> str:
        """The section as it reads in the newsletter."""
        return " ".join(p.text for p in self.parts)


@dataclass(frozen=True)
class ToneBalance:
    """Share of positive, negative and neutral articles in an edition, for the editor's warning."""

    positive: float
    negative: float
    neutral: float
    warning: str = ""


@dataclass(frozen=True)
class EditionItem:
    """One article as it appears in an edition: the article, its digest and its sections."""

    article: Article
    digest: Digest
    sections: tuple[Section, ...]
    tone: float = 0.0
    edited: tuple[str, ...] = ()
    """Blocks the editor rewrote ("chapo", "essentiel", section kinds): they carry a note."""


@dataclass(frozen=True)
class Edition:
    """A newsletter issue: ordered items plus the editor's framing."""

    id: str
    title: str
    date: str
    items: tuple[EditionItem, ...]
    introduction: str = ""
    subject: str = ""
    preheader: str = ""
    balance: ToneBalance | None = None


@dataclass(frozen=True)
class Subscriber:
    """A newsletter recipient and the state of their subscription."""

    email: str
    name: str = ""
    status: str = "active"
    id: int | None = None


@dataclass(frozen=True)
class RenderedEdition:
    """An edition rendered once, before it is personalised per subscriber."""

    edition_id: str
    subject: str
    preheader: str
    html: str
    text: str


@dataclass(frozen=True)
class DeliveryReport:
    """What a send did: how many went, which were rejected or deferred, and why."""

    transport: str
    sent: int = 0
    skipped: int = 0
    failed: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    deferred: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    held: int = 0
    """Readers left for a later run by the daily quota (``max_per_day``): not a failure."""

    @property
    def ok(self) -> bool:
        """True when every recipient of this run got the message."""
        return not self.failed and not self.deferred
