"""HTML pages to clean documents: the article's own blocks plus what the page says about itself.

The body comes from trafilatura (its XML output keeps headings, lists and quotes apart), with the
dependency-free :mod:`composer.ingest.html_fallback` when trafilatura is missing or finds too
little; the metadata comes from :mod:`composer.ingest.html_meta`.  Every extracted string then
goes through ``repair_text``, because a page's declared charset is sometimes a lie.
"""

from __future__ import annotations

import re
from typing import Literal

from composer.errors import InputError
from composer.ingest.cleaning import CleanDocument
from composer.ingest.html_fallback import extract_blocks
from composer.ingest.html_meta import (
    choose_author,
    choose_date,
    choose_subtitle,
    choose_title,
    choose_url,
    read_page_meta,
)
from composer.ingest.mojibake import repair_text
from composer.models import ParagraphKind

Extractor = Literal["auto", "trafilatura", "fallback"]
Blocks = list[tuple[ParagraphKind, str]]

# Page furniture any extractor may keep: "Lire aussi : <link>" lines, and lone labels.
_READ_ALSO = re.compile(
    r"^(lire aussi|à lire aussi|a lire aussi|voir aussi|lire la suite|sur le même sujet)\b", re.IGNORECASE
)
_LONE_LABEL = re.compile(
    r"^(articles? connexes?|partager( sur \w+)?|publicité|abonnez-vous|newsletter|réagir|s['’]abonner|"
    r"(\d+ )?(commentaires?|réactions?)( \(\d+\))?)\W*$",
    re.IGNORECASE,
)
_MIN_CHARS = 200
# Below this a "page" is a shell (JavaScript app, login wall, cookie wall), not an article.
MIN_PAGE_CHARS = 250


def _trafilatura_blocks(html: str, url: str) -> Blocks | None:
    """Blocks from trafilatura's XML (``head``, ``p``, ``list/item``, ``quote``), or None if absent."""
    try:
        import trafilatura
        from lxml import etree
    except ImportError:
        return None
    xml = trafilatura.extract(
        html,
        url=url or None,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks: Blocks = []
    for element in main if main is not None else root:
        _collect(element, blocks)
    return blocks


def _text(element: object) -> str:
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def _collect(element: object, blocks: Blocks) -> None:
    """Map one top-level XML element to blocks; nested lists and quotes keep their kind."""
    tag = element.tag  # type: ignore[attr-defined]
    if tag == "head":
        blocks.append(("heading", _text(element)))
    elif tag == "list":
        for item in element.iter("item"):  # type: ignore[attr-defined]
            blocks.append(("bullet", _text(item)))
    elif tag == "quote":
        paragraphs = [p for p in element if p.tag == "p"]  # type: ignore[attr-defined]
        for part in paragraphs or [element]:
            blocks.append(("quote", _text(part)))
    elif tag in ("p", "item", "div", "table"):
        blocks.append(("paragraph", _text(element)))


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()).strip(" .") == " ".join(b.casefold().split()).strip(" .")


def tidy_blocks(blocks: Blocks, title: str = "", subtitle: str = "") -> Blocks:
    """Repair, drop empty and furniture blocks, the repeated title and chapô, and dangling headings."""
    out: Blocks = []
    for kind, raw in blocks:
        text = " ".join(repair_text(raw).split())
        if not text or _LONE_LABEL.match(text) or (_READ_ALSO.match(text) and len(text) < 160):
            continue
        if (title and _same(text, title)) or (subtitle and _same(text, subtitle)):
            continue
        if out and out[-1] == (kind, text):
            continue
        out.append((kind, text))
    while out and out[-1][0] == "heading":
        out.pop()
    return out


def restore_headings(blocks: Blocks, reference: Blocks) -> Blocks:
    """Put back the headings ``reference`` has between two consecutive blocks of ``blocks``.

    trafilatura sometimes drops intertitles on pages without semantic markup; a heading the
    fallback saw squarely between two paragraphs trafilatura kept is article structure, not
    furniture, so it is safe to restore.
    """
    position = {}
    for index, (_, text) in enumerate(reference):
        position.setdefault(text, index)
    out: Blocks = []
    previous: int | None = None
    for kind, text in blocks:
        here = position.get(text)
        if previous is not None and here is not None and here > previous + 1:
            between = reference[previous + 1 : here]
            if all(k == "heading" for k, _ in between) and not any(b in out for b in between):
                out.extend(between)
        out.append((kind, text))
        previous = here if here is not None else None
    return out


def extract_body(html: str, *, url: str = "", extractor: Extractor = "auto") -> Blocks:
    """The article's blocks, by trafilatura or the fallback (``auto``: trafilatura, helped by the fallback).

    ``auto`` uses the fallback when trafilatura is missing or finds less, and restores the
    intertitles trafilatura dropped.
    """
    if extractor == "fallback":
        return extract_blocks(html)
    blocks = _trafilatura_blocks(html, url)
    if extractor == "trafilatura":
        return blocks or []
    fallback = extract_blocks(html)
    if blocks is None:
        return fallback
    found = sum(len(t) for _, t in blocks)
    if found < _MIN_CHARS and sum(len(t) for _, t in fallback) > found:
        return fallback
    return restore_headings(blocks, fallback)


def html_document(html: str, *, source: str, url: str = "", extractor: Extractor = "auto") -> CleanDocument:
    """Clean an HTML page into a :class:`CleanDocument`; raise when no article text is found."""
    page = read_page_meta(html)
    title = repair_text(choose_title(page))
    subtitle = repair_text(choose_subtitle(page))
    blocks = tidy_blocks(extract_body(html, url=url, extractor=extractor), title, subtitle)
    if sum(len(text) for _, text in blocks) < MIN_PAGE_CHARS:
        raise InputError(
            f"{source}: no article text found in this page (it may need JavaScript or a login); "
            "save the article's text instead"
        )
    if not title:
        title = blocks[0][1] if blocks[0][0] == "heading" else ""
        blocks = blocks[1:] if title else blocks
    return CleanDocument(
        title=title,
        blocks=tuple(blocks),
        subtitle=subtitle,
        author=repair_text(choose_author(page)),
        date=choose_date(page),
        url=choose_url(page, url),
    )


def fragment_blocks(html: str) -> Blocks:
    """Blocks of an HTML fragment (a feed entry's content), which is all article text."""
    return tidy_blocks(extract_blocks(html, fragment=True))
