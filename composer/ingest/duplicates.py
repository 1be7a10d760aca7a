"""Near-duplicate articles: the same story re-published with a changed line or two.

Exact duplicates (same text up to white space, same canonical URL) are the store's business; this
module finds the rest — an agency dispatch on two sites, an article updated after publication —
so the editor is warned instead of sending the same story twice.  Similarity is the Jaccard index
of word 5-gram shingles, the classic measure for near-duplicate documents: robust to a few edited
words, blind to word order beyond five words.

The check must stay well below quadratic even when a batch is *all* near-duplicates (a feed
export of one story's 1,000 revisions took 40–85 s and printed half a million lines when every
candidate pair was compared), so:

* each article gets a MinHash signature of ``BANDS × ROWS`` values, cut into bands; only articles
  sharing a whole band are candidates (locality-sensitive hashing).  20 bands of 5 rows make a
  pair at 0.8 a candidate with probability 0.9997 and a pair at 0.3 with 0.05;
* a bucket keeps at most ``BUCKET_CAP`` articles: a full bucket already holds that many
  near-copies of each other, a newcomer that lands there is compared with them, and the check
  stays O(bands × cap) per article however many copies arrive;
* candidates are ranked by the share of equal signature values (an estimate of their Jaccard) and
  only the best ``EXACT_CHECKS`` are scored exactly, shingle sets cached for the few articles that
  keep being compared.

``bench/duplicates.py`` compares this with datasketch's ``MinHashLSH`` and with the previous
all-candidates index, and prints the table the README quotes.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import tempfile
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.models import Article

SHINGLE = 5
THRESHOLD = 0.8
BANDS, ROWS = 20, 5
BUCKET_CAP = 8
EXACT_CHECKS = 4
# Candidates whose estimated similarity is this far below the threshold are not scored exactly:
# with 100 values the estimate's standard error at 0.8 is 0.04, so 0.15 loses nothing real.
ESTIMATE_MARGIN = 0.15
SHINGLE_CACHE = 512
EXAMPLES = 3
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


def signature(hashes: frozenset[int]) -> Any:
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
    _signatures: list[Any] = field(default_factory=list)
    _buckets: dict[tuple[int, bytes], list[int]] = field(default_factory=lambda: defaultdict(list))
    _cache: OrderedDict[int, frozenset[int]] = field(default_factory=OrderedDict)

    def __len__(self) -> int:
        return len(self._articles)

    def add(self, article: Article) -> None:
        """Remember ``article`` for later checks."""
        hashes = shingles(article.text)
        self._remember(article, signature(hashes) if hashes else None)

    def _remember(self, article: Article, sig: Any) -> None:
        self._articles.append(article)
        self._signatures.append(sig)
        if sig is None:
            return
        index = len(self._articles) - 1
        for key in _band_keys(sig):
            bucket = self._buckets[key]
            if len(bucket) < BUCKET_CAP:
                bucket.append(index)

    def _shingles_of(self, index: int) -> frozenset[int]:
        """Shingles of a known article, recomputed on demand: keeping them all costs ~40 KB each."""
        found = self._cache.get(index)
        if found is None:
            found = shingles(self._articles[index].text)
            self._cache[index] = found
            if len(self._cache) > SHINGLE_CACHE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(index)
        return found

    def check(self, article: Article, *, remember: bool = False) -> list[NearDuplicate]:
        """Known articles at least ``threshold`` similar to ``article`` (itself excluded), best first.

        At most :data:`EXACT_CHECKS` are scored, the most alike first, so a batch of a thousand
        copies costs a thousand small checks.  With ``remember``, ``article`` is then added,
        sparing a second shingling.
        """
        import numpy as np

        mine = shingles(article.text)
        if not mine:
            if remember:
                self._remember(article, None)
            return []
        sig = signature(mine)
        candidates = {i for key in _band_keys(sig) for i in self._buckets.get(key, ())}
        estimates = sorted(
            (
                (float(np.count_nonzero(sig == self._signatures[i])) / sig.size, i)
                for i in candidates
                if self._articles[i].id != article.id
            ),
            reverse=True,
        )
        found = []
        for estimate, index in estimates[:EXACT_CHECKS]:
            if estimate < self.threshold - ESTIMATE_MARGIN:
                break
            score = jaccard(mine, self._shingles_of(index))
            if score >= self.threshold:
                found.append(NearDuplicate(article, self._articles[index], score))
        if remember:
            self._remember(article, sig)
        return sorted(found, key=lambda d: -d.score)


def _band_keys(sig: Any) -> list[tuple[int, bytes]]:
    return [(band, sig[band * ROWS : (band + 1) * ROWS].tobytes()) for band in range(BANDS)]


def near_duplicates(
    article: Article, known: Iterable[Article], threshold: float = THRESHOLD
) -> list[NearDuplicate]:
    """Articles of ``known`` at least ``threshold`` similar to ``article`` — one-off convenience."""
    index = DuplicateIndex(threshold)
    for other in known:
        index.add(other)
    return index.check(article)


def duplicate_warnings(
    found: Sequence[Sequence[NearDuplicate]], *, listed_in: Path | None = None, examples: int = EXAMPLES
) -> list[str]:
    """The warning lines for a batch: each pair when there are few, else one summary and examples.

    ``found`` holds, per new article that resembles something, its matches (best first).  A
    thousand copies of one story must not print a thousand lines: past ``examples`` articles the
    batch gets one summary line naming where they are all listed (``listed_in``), then the first
    ``examples`` pairs.
    """
    hits = [matches for matches in found if matches]
    if len(hits) <= examples:
        return [matches[0].message() for matches in hits]
    where = (
        f"all of them, with their closest matches, are listed in {listed_in}"
        if listed_in is not None
        else "the others are not listed"
    )
    summary = (
        f"{len(hits)} likely duplicates of stored or earlier articles (≥ {THRESHOLD:.0%} alike); "
        f"the first {examples} follow; {where}"
    )
    return [summary, *(matches[0].message() for matches in hits[:examples])]


def write_pairs(found: Sequence[Sequence[NearDuplicate]], path: Path) -> Path:
    """Each new article's closest matches as TSV, replaced whole so a reader never sees half a list."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, delimiter="\t", lineterminator="\n")
            out.writerow(
                ["similarity", "id", "source", "title", "similar_id", "similar_source", "similar_title"]
            )
            for matches in found:
                for d in matches:
                    out.writerow(
                        [
                            f"{d.score:.2f}",
                            d.article.id,
                            d.article.source,
                            d.article.title,
                            d.other.id,
                            d.other.source,
                            d.other.title,
                        ]
                    )
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
