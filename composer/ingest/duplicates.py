"""Near-duplicate articles: the same story re-published with a changed line or two.

Exact duplicates (same text up to white space, same canonical URL) are the store's business; this
module finds the rest — an agency dispatch on two sites, an article updated after publication —
so the editor is warned instead of sending the same story twice.  Similarity is the Jaccard index
of word 5-gram shingles, the classic measure for near-duplicate documents: robust to a few edited
words, blind to word order beyond five words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from composer.models import Article

SHINGLE = 5
THRESHOLD = 0.8
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """Hashes of the text's overlapping ``size``-word sequences, case- and punctuation-blind."""
    words = _WORD.findall(text.casefold())
    if len(words) < size:
        return frozenset({hash(tuple(words))}) if words else frozenset()
    return frozenset(hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|A ∩ B| / |A ∪ B|; 0 for two empty sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class NearDuplicate:
    """``article`` resembles ``other`` with this Jaccard ``score``."""

    article: Article
    other: Article
    score: float

    def message(self) -> str:
        """The warning line the CLI prints."""
        return (
            f"{self.article.source or self.article.id} ({self.article.title[:60]!r}, id {self.article.id}) "
            f"is {self.score:.0%} similar to {self.other.source or self.other.id} "
            f"({self.other.title[:60]!r}, id {self.other.id}); remove one if they are the same story"
        )


@dataclass
class DuplicateIndex:
    """Articles seen so far (stored and earlier in the batch), checked as each new one arrives."""

    threshold: float = THRESHOLD
    _entries: list[tuple[Article, frozenset[int]]] = field(default_factory=list)

    def add(self, article: Article) -> None:
        """Remember ``article`` for later checks."""
        self._entries.append((article, shingles(article.text)))

    def check(self, article: Article) -> list[NearDuplicate]:
        """Known articles at least ``threshold`` similar to ``article`` (itself excluded), best first."""
        mine = shingles(article.text)
        found = []
        for other, theirs in self._entries:
            if other.id == article.id:
                continue
            # Jaccard can only reach the threshold when the sizes are close: skip the rest cheaply.
            small, large = sorted((len(mine), len(theirs)))
            if not large or small / large < self.threshold:
                continue
            score = jaccard(mine, theirs)
            if score >= self.threshold:
                found.append(NearDuplicate(article, other, score))
        return sorted(found, key=lambda d: -d.score)


def near_duplicates(
    article: Article, known: Iterable[Article], threshold: float = THRESHOLD
) -> list[NearDuplicate]:
    """Articles of ``known`` at least ``threshold`` similar to ``article`` — one-off convenience."""
    index = DuplicateIndex(threshold)
    for other in known:
        index.add(other)
    return index.check(article)
