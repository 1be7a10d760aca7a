"""An edition entry as stored: every sentence with its span, every section part with its provenance.

The JSON is the edition's composed content; rendering reads it back instead of composing
again, so the text readers receive is the text the editor reviewed.  The article itself is
stored once in ``articles`` and referenced by id.
"""

from __future__ import annotations

import json
from typing import Any

from composer.models import Article, Digest, EditionItem, Part, Section, Sentence

FORMAT = 1


def _sentences(sentences: tuple[Sentence, ...]) -> list[list[Any]]:
    # A piece of a clipped sentence carries its two elision flags; a whole sentence stays 4 long.
    rows: list[list[Any]] = []
    for s in sentences:
        flags = (s.cut_before, s.cut_after) if s.cut_before or s.cut_after else ()
        rows.append([s.index, s.start, s.end, s.text, *flags])
    return rows


def dump_item(item: EditionItem) -> str:
    """``item`` (without its article) as compact JSON."""
    d = item.digest
    data = {
        "format": FORMAT,
        "article_id": item.article.id,
        "method": d.method,
        "summary": _sentences(d.summary),
        "key_points": _sentences(d.key_points),
        "recap": _sentences(d.recap),
        "sections": [
            {
                "kind": s.kind,
                "heading": s.heading,
                "empty": s.empty,
                "parts": [[p.kind, p.text, p.start, p.end, p.sentence_index, p.polarity] for p in s.parts],
            }
            for s in item.sections
        ],
        "tone": item.tone,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load_item(article: Article, text: str) -> EditionItem:
    """The entry stored as ``text`` for ``article``; raises ValueError on a foreign or broken record."""
    data = json.loads(text)
    if data.get("format") != FORMAT or data.get("article_id") != article.id:
        raise ValueError(f"stored content is not an entry of article {article.id}")

    def sentences(key: str) -> tuple[Sentence, ...]:
        return tuple(
            Sentence(int(row[0]), int(row[1]), int(row[2]), str(row[3]), *(bool(f) for f in row[4:6]))
            for row in data[key]
        )

    digest = Digest(
        article_id=article.id,
        method=data["method"],
        summary=sentences("summary"),
        key_points=sentences("key_points"),
        recap=sentences("recap"),
    )
    sections = tuple(
        Section(
            kind=s["kind"],
            heading=s["heading"],
            empty=bool(s["empty"]),
            parts=tuple(Part(k, t, a, b, i, p) for k, t, a, b, i, p in s["parts"]),
        )
        for s in data["sections"]
    )
    return EditionItem(article=article, digest=digest, sections=sections, tone=float(data["tone"]))
