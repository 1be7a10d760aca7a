"""Sentence splitting that needs no NLTK download.

Offsets matter more than strings here: every sentence composer quotes must be traceable to
its exact span in the cleaned article text.
"""

from __future__ import annotations

import re

from composer.models import Sentence

_BOUNDARY = re.compile(r"(?<=[.!?…»\"”])\s+(?=[«\"“A-ZÀ-ÖØ-Þ0-9])|\n\s*\n|\n(?=\s*[•\-–*] )")


def split_sentences(text: str, language: str = "fr") -> list[Sentence]:
    """Split ``text`` into sentences with spans such that ``text[s.start:s.end] == s.text``."""
    sentences: list[Sentence] = []
    pos = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + chunk.index(stripped)
            sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped))
        pos = match.end() if match else len(text)
    return sentences
