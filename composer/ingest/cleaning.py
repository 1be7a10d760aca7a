"""Cleaning plain-text articles: repair encoding, drop page furniture, find title and byline.

First version; the intake issue deepens it.  Output is a list of typed blocks so headings,
bullets and quotes survive as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from composer.ingest.mojibake import repair_text
from composer.models import ParagraphKind

_FURNITURE = re.compile(
    r"^(close banner|redirection en cours\.*|si vous n'êtes pas redirigé.*|chatgpt télécharger gratuitement|"
    r"articles connexes|sources|image|pour aller plus loin|\d+ personnes aiment ce|.*cover image|"
    r".*profile picture|www\.[\w.]+)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*[•\-–*]\s+")
_URL_LINE = re.compile(r"^(article en référence\s*:\s*)?(https?://\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class CleanDocument:
    """The cleaned content of one source document, before it becomes an Article."""

    title: str
    blocks: tuple[tuple[ParagraphKind, str], ...]
    subtitle: str = ""
    author: str = ""
    date: str = ""
    url: str = ""


def clean_text_document(raw: str) -> CleanDocument:
    """Clean a plain-text or Markdown article like those in ``seeds/``."""
    text = repair_text(raw).replace("\r\n", "\n")
    url = ""
    lines: list[str] = []
    for line in text.split("\n"):
        stripped = " ".join(line.split())
        match = _URL_LINE.match(stripped)
        if match:
            url = url or match.group(2)
            continue
        if _FURNITURE.match(stripped):
            continue
        lines.append(stripped)
    blocks: list[tuple[ParagraphKind, str]] = []
    for line in lines:
        if not line:
            continue
        if _BULLET.match(line):
            blocks.append(("bullet", _BULLET.sub("", line)))
        elif line.startswith('"') and re.search(r'" - u/\S+', line):
            blocks.append(("quote", line))
        elif len(line) < 90 and not line.endswith((".", "!", "?", ":", "…", '"')):
            blocks.append(("heading", line))
        else:
            blocks.append(("paragraph", line))
    title = blocks[0][1] if blocks else ""
    return CleanDocument(title=title, blocks=tuple(blocks[1:]), url=url)
