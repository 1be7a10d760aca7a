"""Near-duplicate articles: the same story re-published with a changed line or two.

Exact duplicates (same text up to white space, same canonical URL) are the store's business; this
module finds the rest — an agency dispatch on two sites, an article updated after publication —
so the editor is warned instead of sending the same story twice.  Similarity is the Jaccard index
of word 5-gram shingles, the classic measure for near-duplicate documents: robust to a few edited
words, blind to word order beyond five words.

Comparing every pair is quadratic (minutes for a benchmark's thousands of articles), so the index
keeps a MinHash signature per article and only compares the articles that share a band of it
(locality-sensitive hashing); the score reported is the exact Jaccard of those candidates.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from composer.models import Article

SHINGLE = 5
THRESHOLD = 0.8
# 32 bands of 2 rows: an 0.8-similar pair shares a band with probability 1 - (1 - 0.8²)³² ≈ 1.
BANDS, ROWS = 32, 2
_PRIME = 4_294_967_311  # the first prime above 2³², so a·x + b stays below 2⁶⁴
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> frozenset[int]:
    """CRC-32s of the text's overlapping ``size``-word sequences, case- and punctuation-blind."""
    words = _WORD.findall(text.casefold())
    spans = [words] if len(words) < size else [words[i : i + size] for i in range(len(words) - size + 1)]
    return frozenset(zlib.crc32(" ".join(span).encode()) for span in spans if span)


@functools.cache
def _coefficients() -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(20240612)  # fixed: signatures must agree within and across runs
    a = rng.integers(1, 2**32, size=BANDS * ROWS, dtype=np.uint64)
    b = rng.integers(0, 2**32, size=BANDS * ROWS, dtype=np.uint64)
    return a, b


def _signature(hashes: frozenset[int]) -> Any:
    """The MinHash signature (BANDS × ROWS minima of random affine hashes) of a shingle set."""
    import numpy as np

    a, b = _coefficients()
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    return ((np.outer(a, values) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)


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
    _articles: list[Article] = field(default_factory=list)
    _buckets: dict[tuple[int, bytes], list[int]] = field(default_factory=lambda: defaultdict(list))

    def _bands(self, hashes: frozenset[int]) -> list[tuple[int, bytes]]:
        if not hashes:
            return []
        signature = _signature(hashes)
        return [(band, signature[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]

    def add(self, article: Article) -> None:
        """Remember ``article`` for later checks."""
        self._remember(article, self._bands(shingles(article.text)))

    def _remember(self, article: Article, bands: list[tuple[int, bytes]]) -> None:
        self._articles.append(article)
        for key in bands:
            self._buckets[key].append(len(self._articles) - 1)

    def check(self, article: Article, *, remember: bool = False) -> list[NearDuplicate]:
        """Known articles at least ``threshold`` similar to ``article`` (itself excluded), best first.

        With ``remember``, ``article`` is then added, sparing a second shingling.
        """
        mine = shingles(article.text)
        bands = self._bands(mine)
        candidates = sorted({i for key in bands for i in self._buckets.get(key, ())})
        found = []
        for index in candidates:
            other = self._articles[index]
            if other.id == article.id:
                continue
            score = jaccard(mine, shingles(other.text))
            if score >= self.threshold:
                found.append(NearDuplicate(article, other, score))
        if remember:
            self._remember(article, bands)
        return sorted(found, key=lambda d: -d.score)


def near_duplicates(
    article: Article, known: Iterable[Article], threshold: float = THRESHOLD
) -> list[NearDuplicate]:
    """Articles of ``known`` at least ``threshold`` similar to ``article`` — one-off convenience."""
    index = DuplicateIndex(threshold)
    for other in known:
        index.add(other)
    return index.check(article)
