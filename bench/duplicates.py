"""Near-duplicate check: composer's MinHash index against datasketch and the previous index.

    python bench/duplicates.py [--near 1000,4000] [--skip-previous] [--cli]

Why this bench exists: ``composer add`` of 1,000 near-identical records took 40–85 s and printed
half a million warnings, and the fix could be either datasketch's ``MinHashLSH`` (the well-kept
reference) or composer's own index made sub-quadratic.  Three indexes answer the same question —
"which known articles are ≥ 0.8 alike (exact Jaccard of word 5-grams)?" — as each article of a
batch arrives:

* **composer** — :class:`composer.ingest.duplicates.DuplicateIndex`: 20 bands × 5 rows, buckets
  capped at 8, at most 4 candidates scored exactly, the most alike first;
* **datasketch** — ``MinHashLSH(threshold=0.8, num_perm=128)`` with ``MinHash.update_batch``,
  candidates ranked by datasketch's estimate and the best 4 scored exactly (the same policy,
  so only the index differs); needs ``pip install datasketch`` (it brings scipy);
* **previous** — composer's index before this change (32 bands × 2 rows, every candidate scored,
  shingles recomputed), kept here as the baseline.

Scenarios: N near-identical copies of one story (a batch that is all duplicates; the baseline only
up to 1,000), and 1,500 OrangeSum articles already stored plus a batch of 150 edited copies and
150 other articles.  "flagged / expected" counts the copies found among those whose exact
Jaccard with their original is ≥ 0.8 (what an exhaustive comparison finds); any article flagged
that is not a planted copy is a false alarm.  Timings include
building the index of stored articles.  ``--cli`` also times the whole ``composer add`` of the
near-identical JSONL in a fresh workspace.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from composer.ingest.duplicates import (  # noqa: E402
    DuplicateIndex,
    duplicate_warnings,
    jaccard,
    shingles,
)
from composer.models import Article  # noqa: E402

ORANGESUM = REPO.parent / "shared" / "bench" / "orangesum"
THRESHOLD = 0.8
EXACT = 4


class Index(Protocol):
    def add(self, article: Article) -> None: ...

    def check(self, article: Article, *, remember: bool = False) -> list[tuple[str, float]]: ...


class Composer:
    """composer's index, answering (id, score) pairs."""

    def __init__(self) -> None:
        self.index = DuplicateIndex(THRESHOLD)
        self.found: list[list[Any]] = []

    def add(self, article: Article) -> None:
        self.index.add(article)

    def check(self, article: Article, *, remember: bool = False) -> list[tuple[str, float]]:
        found = self.index.check(article, remember=remember)
        if found:
            self.found.append(found)
        return [(d.other.id, d.score) for d in found]

    def warnings(self) -> int:
        return len(duplicate_warnings(self.found, listed_in=Path("duplicates.tsv")))


class Datasketch:
    """datasketch's MinHashLSH with the same exact-scoring policy as composer."""

    def __init__(self) -> None:
        from datasketch import MinHash, MinHashLSH

        self._minhash = MinHash
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
        self.sketches: dict[str, Any] = {}
        self.texts: dict[str, str] = {}
        self._cache: OrderedDict[str, frozenset[int]] = OrderedDict()
        self.flagged = 0

    def _sketch(self, hashes: frozenset[int]) -> Any:
        m = self._minhash(num_perm=128)
        m.update_batch([h.to_bytes(4, "little") for h in hashes])
        return m

    def _shingles(self, key: str) -> frozenset[int]:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = shingles(self.texts[key])
            if len(self._cache) > 512:
                self._cache.popitem(last=False)
        return found

    def add(self, article: Article) -> None:
        hashes = shingles(article.text)
        self._insert(article, self._sketch(hashes))

    def _insert(self, article: Article, sketch: Any) -> None:
        self.sketches[article.id] = sketch
        self.texts[article.id] = article.text
        self.lsh.insert(article.id, sketch, check_duplication=False)

    def check(self, article: Article, *, remember: bool = False) -> list[tuple[str, float]]:
        mine = shingles(article.text)
        sketch = self._sketch(mine)
        ranked = sorted(
            (
                (sketch.jaccard(self.sketches[key]), key)
                for key in self.lsh.query(sketch)
                if key != article.id
            ),
            reverse=True,
        )
        found = []
        for _, key in ranked[:EXACT]:
            score = jaccard(mine, self._shingles(key))
            if score >= THRESHOLD:
                found.append((key, score))
        if remember:
            self._insert(article, sketch)
        self.flagged += bool(found)
        return found

    def warnings(self) -> int:
        return min(self.flagged, 4)  # it would be printed through the same summary


class Previous:
    """composer's index before this change: 32 × 2 bands, every candidate scored exactly."""

    BANDS, ROWS = 32, 2

    def __init__(self) -> None:
        import numpy as np

        rng = np.random.default_rng(20240612)
        self.a = rng.integers(1, 2**32, size=self.BANDS * self.ROWS, dtype=np.uint64)
        self.b = rng.integers(0, 2**32, size=self.BANDS * self.ROWS, dtype=np.uint64)
        self.articles: list[Article] = []
        self.buckets: dict[tuple[int, bytes], list[int]] = {}
        self.pairs = 0

    def _bands(self, hashes: frozenset[int]) -> list[tuple[int, bytes]]:
        import numpy as np

        values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
        sig = ((np.outer(self.a, values) + self.b[:, None]) % np.uint64(4_294_967_311)).min(axis=1)
        return [
            (band, sig[band * self.ROWS : (band + 1) * self.ROWS].tobytes()) for band in range(self.BANDS)
        ]

    def _remember(self, article: Article, bands: list[tuple[int, bytes]]) -> None:
        self.articles.append(article)
        for key in bands:
            self.buckets.setdefault(key, []).append(len(self.articles) - 1)

    def add(self, article: Article) -> None:
        self._remember(article, self._bands(shingles(article.text)))

    def check(self, article: Article, *, remember: bool = False) -> list[tuple[str, float]]:
        mine = shingles(article.text)
        bands = self._bands(mine)
        found = []
        for index in sorted({i for key in bands for i in self.buckets.get(key, ())}):
            other = self.articles[index]
            if other.id != article.id:
                score = jaccard(mine, shingles(other.text))
                if score >= THRESHOLD:
                    found.append((other.id, score))
        if remember:
            self._remember(article, bands)
        self.pairs += len(found)
        return found

    def warnings(self) -> int:
        return self.pairs  # one line per pair


# -- data -------------------------------------------------------------------------------------


def _orangesum(name: str, limit: int) -> list[dict[str, str]]:
    path = ORANGESUM / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]


def _story() -> str:
    records = _orangesum("test_public.jsonl", 1)
    if records:
        return records[0]["article"]
    return (REPO / "seeds" / "004_9b245662eba6b562.txt").read_text(encoding="utf-8")


def near_identical(count: int) -> list[Article]:
    """``count`` copies of one story, each with its own closing sentence."""
    story = _story()
    return [
        Article(
            id=f"n{i}",
            title=f"Copie {i}",
            text=f"Selon notre correspondant numéro {i}, les faits sont établis. {story}",
            source=f"near:{i}",
        )
        for i in range(count)
    ]


def _edited(text: str, rng: random.Random) -> str:
    """Four words changed and a sentence added: the same story, Jaccard ≈ 0.85–0.95."""
    words = text.split(" ")
    for _ in range(4):
        spot = rng.randrange(len(words))
        words[spot] = "modifié"
    return " ".join(words) + " Cet article a été mis à jour."


def stored_and_batch() -> tuple[list[Article], list[Article], set[str], set[str]] | None:
    """1,500 stored OrangeSum articles; a batch of 150 edited copies and 150 others.

    Also returns the planted copies' ids, and those of them at least 0.8 alike their original.
    """
    valid = _orangesum("valid.jsonl", 1500)
    others = _orangesum("test_public.jsonl", 150)
    if len(valid) < 1500 or len(others) < 150:
        return None
    rng = random.Random(7)
    stored = [Article(id=f"v{r['id']}", title=r["title"], text=r["article"]) for r in valid]
    originals = rng.sample(stored, 150)
    copies = [
        Article(id=f"c{a.id}", title=a.title, text=_edited(a.text, rng), source=f"copy of {a.id}")
        for a in originals
    ]
    fresh = [Article(id=f"t{r['id']}", title=r["title"], text=r["article"]) for r in others]
    expected = {
        c.id
        for c, a in zip(copies, originals, strict=True)
        if jaccard(shingles(c.text), shingles(a.text)) >= THRESHOLD
    }
    batch = copies + fresh
    rng.shuffle(batch)
    return stored, batch, {a.id for a in copies}, expected


# -- runs -------------------------------------------------------------------------------------


def run(
    make: Callable[[], Index], stored: list[Article], batch: list[Article]
) -> tuple[float, dict[str, Any]]:
    start = time.perf_counter()
    index = make()
    for article in stored:
        index.add(article)
    flagged = {a.id: index.check(a, remember=True) for a in batch}
    seconds = time.perf_counter() - start
    return seconds, {"flagged": {k for k, v in flagged.items() if v}, "warnings": index.warnings()}  # type: ignore[attr-defined]


def cli_time(articles: list[Article]) -> tuple[float, int, int]:
    """Seconds, added lines and warning lines of ``composer add`` on these articles as JSONL."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "near.jsonl"
        source.write_text(
            "".join(
                json.dumps({"id": a.id, "title": a.title, "article": a.text}, ensure_ascii=False) + "\n"
                for a in articles
            ),
            encoding="utf-8",
        )
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "composer.cli", "add", str(source), "--workspace", str(Path(tmp) / "ws")],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    added = sum(line.startswith("added\t") for line in done.stdout.splitlines())
    warnings = sum(line.startswith("warning: ") for line in done.stderr.splitlines())
    return seconds, added, warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--near", default="1000,4000", help="near-identical batch sizes (default 1000,4000)")
    parser.add_argument("--skip-previous", action="store_true", help="skip the quadratic baseline")
    parser.add_argument("--cli", action="store_true", help="also time `composer add` of 1,000 copies")
    args = parser.parse_args()

    methods: dict[str, Callable[[], Any]] = {"composer": Composer}
    try:
        import datasketch  # noqa: F401

        methods["datasketch"] = Datasketch
    except ImportError:
        print("datasketch is not installed: its rows are left out (pip install datasketch)\n")
    if not args.skip_previous:
        methods["previous"] = Previous

    rows = []
    for size in (int(n) for n in args.near.split(",")):
        copies = near_identical(size)
        for name, make in methods.items():
            if name == "previous" and size > 1000:
                continue
            seconds, result = run(make, [], copies)
            flagged = f"{len(result['flagged'])}/{size - 1}"
            rows.append((name, f"{size:,} near-identical", seconds, flagged, "—", result["warnings"]))
    mixed = stored_and_batch()
    if mixed is None:
        print("../shared/bench/orangesum is missing: the stored-articles scenario is left out\n")
    else:
        stored, batch, planted, expected = mixed
        for name, make in methods.items():
            seconds, result = run(make, stored, batch)
            found = result["flagged"]
            flagged = f"{len(found & expected)}/{len(expected)}"
            false = str(len(found - planted))
            rows.append((name, "1,500 stored + 300 new", seconds, flagged, false, result["warnings"]))

    print("| index | scenario | seconds | flagged / expected | false alarms | warning lines |")
    print("|---|---|---:|---:|---:|---:|")
    for name, scenario, seconds, recall, false, warnings in rows:
        print(f"| {name} | {scenario} | {seconds:.2f} | {recall} | {false} | {warnings:,} |")
    if args.cli:
        seconds, added, warnings = cli_time(near_identical(1000))
        print(
            f"\n`composer add` of 1,000 near-identical JSONL records: {seconds:.1f} s, "
            f"{added:,} added, {warnings} warning lines"
        )


if __name__ == "__main__":
    main()
