"""Cleaning plain-text articles: repair encoding, drop page furniture, find title and byline.

Plain-text articles arrive as whatever a person or a scraper copied from a page: the headline,
a standfirst and a byline mixed with banners, share counters, promotions for other articles,
hashtags and leftover scripts.  Composer only ever quotes an article's own sentences, so the
cleaner must remove everything that is not the article *without rewording what is*: block
texts keep the author's words, and the only edits inside a line are whitespace normalisation,
"hashtag#x" → "#x" and a space restored between two glued sentences ("Venise.Selon").

The result is a list of typed blocks so headings, bullets and quotes survive as such; the
title, subtitle, byline, date, source URL, page name and hashtags go to their own fields.
The pipeline is a sequence of small line-level passes; each says why it exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from composer.ingest.glue import fix_glued_sentences
from composer.ingest.mojibake import repair_with_count
from composer.ingest.recognisers import (
    ATTRIBUTED_QUOTE,
    BULLET,
    CAPTION,
    DATE_ALONE,
    DATE_PREFIX,
    EDGE_EMOJI,
    EMOJI,
    FURNITURE,
    HANDLE,
    HASHTAG,
    HASHTAG_LINE,
    KNOWN_HEADINGS,
    MAX_QUOTE,
    MD_HEADING,
    MD_QUOTE,
    OPEN_QUOTES,
    PROMO,
    RELATED,
    SCRIPT_LINE,
    SENTENCE_END,
    SIGNATURE,
    SOURCES,
    TRAILING_HASHTAGS,
    URL_LINE,
    WHOLE_QUOTE,
    byline_name,
    is_english,
    is_name,
    starts_with_emoji,
    strip_edge_emoji,
)
from composer.models import ParagraphKind


@dataclass(frozen=True)
class CleanDocument:
    """The cleaned content of one source document, before it becomes an Article.

    ``blocks`` excludes the title, subtitle and byline; ``hashtags`` are the tags found on
    tag-only lines or at the end of a social-media teaser (kept out of the body); ``site`` is
    the name of the page or account that published the text, when the page says it.
    """

    title: str
    blocks: tuple[tuple[ParagraphKind, str], ...]
    subtitle: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    hashtags: tuple[str, ...] = ()
    site: str = ""


# --------------------------------------------------------------------------------------------
# Whitespace and in-line fixes


_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but newlines, NBSP and thin spaces included
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad]")  # zero-width space, BOM, soft hyphen
_HASHTAG_WORD = re.compile(r"\bhashtag#(?=\w)", re.IGNORECASE)
# A video-player script pasted after the last sentence (OrangeSum: "window.pvp_… = new Pvp(…").
_SCRIPT_TAIL = re.compile(r"\b(?:window|document)\.[\w$.]+\s*=\s*new\s+\w+\s*\(.*$")


def _normalize_line(line: str) -> str:
    """Collapse runs of spaces (NBSP included), drop invisible characters and script tails."""
    line = _INVISIBLE.sub("", line)
    line = _HASHTAG_WORD.sub("#", line)
    if "window." in line or "document." in line:
        line = _SCRIPT_TAIL.sub("", line)
    return _SPACES.sub(" ", line).strip()


# --------------------------------------------------------------------------------------------
# Passes


@dataclass
class _Meta:
    """What the passes learn about the document besides its blocks."""

    url: str = ""
    date: str = ""
    site: str = ""
    hashtags: list[str] | None = None

    def add_hashtags(self, text: str) -> None:
        """Record the hashtags of ``text`` in order, without duplicates or 1-letter stubs."""
        if self.hashtags is None:
            self.hashtags = []
        for tag in HASHTAG.findall(text):
            if len(tag) > 2 and tag not in self.hashtags:
                self.hashtags.append(tag)


def _split_lines(text: str) -> list[str]:
    """Normalised lines; blank strings mark paragraph breaks."""
    return [_normalize_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _drop_furniture(lines: list[str], meta: _Meta) -> list[str]:
    """Remove page furniture and move metadata lines (URL, hashtags, page name) to ``meta``."""
    pages = {m.group("page").rstrip(" .") for line in lines if (m := CAPTION.match(line))}
    if pages:
        meta.site = min(sorted(pages), key=len)
    page_keys = {re.sub(r"\W+", "", page).lower() for page in pages}
    kept: list[str] = []
    skip_next_title = False
    for line in lines:
        if not line:
            kept.append(line)
            continue
        if skip_next_title:
            skip_next_title = False
            if len(line) <= 200 and not line.endswith((".", "!")):
                continue
        promo = PROMO.match(line)
        if promo:
            skip_next_title = not promo.group("rest")
            continue
        url = URL_LINE.match(line)
        if url:
            meta.url = meta.url or url.group("url")
            continue
        if HASHTAG_LINE.match(line):
            meta.add_hashtags(line)
            continue
        if (
            FURNITURE.match(line)
            or HANDLE.match(line)
            or SCRIPT_LINE.match(line)
            or re.sub(r"\W+", "", line).lower() in page_keys
        ):
            continue
        kept.append(line)
    return kept


def _drop_tail(lines: list[str]) -> list[str]:
    """Remove end-of-page sections: related articles, empty source lists, English leftovers.

    "Articles connexes" is always furniture, and so is everything after it when that is only
    link titles; "Sources" goes when nothing but link titles or URLs follows.  The English
    standfirst a scraper picks up after a French translation (seed 003) is dropped when it is
    the last thing in the document.
    """
    content = [i for i, line in enumerate(lines) if line]
    for index in content:
        related = bool(RELATED.match(lines[index]))
        if related or SOURCES.match(lines[index]):
            rest = [lines[i] for i in content if i > index]
            if all(len(r) <= 150 and not r.endswith((".", "!", "?")) for r in rest):
                lines = lines[:index]
                break
            if related:
                lines = [*lines[:index], *lines[index + 1 :]]
                return _drop_tail(lines)
    content = [i for i, line in enumerate(lines) if line]
    french_page = not is_english(" ".join(lines)[:2000])
    while (
        content
        and french_page
        and lines[content[-1]][0] not in OPEN_QUOTES
        and is_english(lines[content[-1]])
    ):
        lines = lines[: content.pop()]
    return lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Each line is a block, except hard-wrapped prose, which is joined back.

    A line that does not end a sentence followed by one starting in lowercase is the same
    paragraph wrapped by an editor (never for bullets).
    """
    blocks: list[str] = []
    previous_blank = True
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if (
            blocks
            and not previous_blank
            and not blocks[-1].endswith(SENTENCE_END)
            and line[0].islower()
            and not BULLET.match(line)
            and not BULLET.match(blocks[-1])
        ):
            blocks[-1] = f"{blocks[-1]} {line}"
        else:
            blocks.append(line)
        previous_blank = False
    return blocks


def _derive_title(lead: str, limit: int = 80) -> str:
    """A short title from the first sentence when the document has no headline (seed 002).

    The first sentence is used whole (without its final period) up to 100 characters; a longer
    one is cut at the last clause break or word boundary before ``limit`` and marked with "…".
    """
    lead = EDGE_EMOJI.sub("", BULLET.sub("", lead))
    sentence = re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-Þ«\"“])", lead, maxsplit=1)[0].strip()
    if len(sentence) <= 100:
        return sentence.rstrip(".").strip()
    head = sentence[:limit]
    clause = max(head.rfind(", "), head.rfind(" : "), head.rfind(" ; "), head.rfind(" – "))
    cut = clause if clause >= limit // 2 else head.rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:–") + "…"


_TEASER_BREAK = re.compile(rf"\s+(?:{EMOJI.pattern})+\s+|(?<=[.!?])\s+")


def _split_teaser(line: str, meta: _Meta) -> tuple[str, str]:
    """Split a long social-media teaser into a headline and a standfirst (seed 004).

    The headline is the text before the first emoji or sentence end; trailing hashtags go to
    ``meta``; what remains becomes the subtitle.
    """
    tags = TRAILING_HASHTAGS.search(line)
    if tags:
        meta.add_hashtags(tags.group())
        line = line[: tags.start()].rstrip()
    match = _TEASER_BREAK.search(line)
    if not match or match.start() > 150:
        return line, ""
    return line[: match.start()].rstrip(), line[match.end() :].strip()


def _is_teaser(line: str) -> bool:
    """A long first line made for social media: ending with hashtags, or cut by an emoji.

    Only asked when more blocks follow, so a one-paragraph article is never mistaken for one.
    """
    if len(line) <= 150:
        return False
    if TRAILING_HASHTAGS.search(line):
        return True
    emoji = re.search(rf"\s(?:{EMOJI.pattern})+\s", line[:160])
    return emoji is not None and emoji.start() >= 20


def _header(blocks: list[str], meta: _Meta) -> tuple[str, str, str, list[str]]:
    """Take title, subtitle and author off the top of ``blocks``; return them and the body.

    * a leading "date …" label gives the date, and what follows it on the line is body;
    * a first line that is short and does not end with a period is the headline; a long
      social teaser is split into headline and standfirst; otherwise the headline is derived
      from the lead, which stays in the body;
    * a personal name within the next two lines is the byline, and a line between the title
      and the byline is the standfirst.
    """
    body = list(blocks)
    for index, block in enumerate(body[:3]):
        dated = DATE_PREFIX.match(block) or DATE_ALONE.match(block)
        if dated:
            meta.date = dated.group("date")
            rest = dated.groupdict().get("rest") or ""
            # "Publié le 12 mars 2024 à 10h30" keeps metadata after the date: only prose stays.
            if len(rest) > 40 and rest[0].isupper():
                body[index] = rest
            else:
                del body[index]
            break
    if not body:
        return "", "", "", body
    first = body[0]
    title, subtitle, author = "", "", ""
    if len(body) > 1 and _is_teaser(first):
        title, subtitle = _split_teaser(first, meta)
        body.pop(0)
    elif (
        len(body) > 1
        and len(first) <= 150
        and not first.endswith(".")
        and not BULLET.match(first)
        and not ATTRIBUTED_QUOTE.match(first)
    ):
        title = MD_HEADING.sub("", first)
        body.pop(0)
    else:
        title = _derive_title(first)
    if title and body:
        if byline_name(body[0]):
            author = byline_name(body.pop(0))
        elif len(body) > 1 and byline_name(body[1]) and len(body[0]) <= 250:
            subtitle = body.pop(0)
            author = byline_name(body.pop(0))
    if not author and body:
        signature = SIGNATURE.search(body[-1])
        if signature and is_name(signature.group("name").strip()):
            author = signature.group("name").strip()
    return strip_edge_emoji(title), subtitle, author, body


def _kind(block: str, post_mode: bool, standalone: bool) -> ParagraphKind:
    """Classify one block as heading, bullet, quote or paragraph.

    Headings are short lines that do not end a sentence; in social posts (many emoji-led lines)
    a short "📍 Contexte :" label is a heading too; in articles a short standalone question
    ("L’argent, nerf de la guerre… ?") is a heading.
    """
    if MD_HEADING.match(block):
        return "heading"
    if MD_QUOTE.match(block):
        return "quote" if len(block) <= MAX_QUOTE else "paragraph"
    if BULLET.match(block):
        return "bullet" if len(block) <= 400 else "paragraph"
    if (
        block[0] in OPEN_QUOTES
        and len(block) <= MAX_QUOTE
        and (ATTRIBUTED_QUOTE.match(block) or WHOLE_QUOTE.match(block))
    ):
        return "quote"
    if KNOWN_HEADINGS.match(block):
        return "heading"
    words = EMOJI.sub("", block).split()
    if block.endswith(":") and len(words) <= 5:
        return "heading"
    if (
        len(block) <= 90
        and len(words) <= 14
        and not block.endswith(SENTENCE_END)
        and not block[0].islower()
        and not SIGNATURE.search(block)
    ):
        return "heading"
    if standalone and not post_mode and block.endswith("?") and len(block) <= 80 and len(words) <= 12:
        return "heading"
    return "paragraph"


def _standalone_lines(lines: list[str]) -> set[str]:
    """The lines that stand between blank lines (or document edges): candidate headings."""
    padded = ["", *lines, ""]
    return {
        line
        for before, line, after in zip(padded, padded[1:], padded[2:], strict=False)
        if line and not before and not after
    }


def clean_text_document(raw: str, *, header: bool = True) -> CleanDocument:
    """Clean a plain-text or Markdown article like those in ``seeds/`` (see module docstring).

    ``header=False`` is for a body whose title is known from elsewhere (a JSONL record): no
    headline, standfirst or byline is taken off its top, so the lead stays once, in the body,
    and nothing is derived from it that a template could print a second time.
    """
    text, _ = repair_with_count(raw)
    meta = _Meta()
    lines = _drop_tail(_drop_furniture(_split_lines(text), meta))
    if header:
        title, subtitle, author, body = _header(_paragraphs(lines), meta)
    else:
        title, subtitle, author, body = "", "", "", _paragraphs(lines)
    post_mode = sum(starts_with_emoji(block) for block in body) >= 3
    standalone = _standalone_lines(lines)
    typed: list[tuple[ParagraphKind, str]] = []
    for block in body:
        kind = _kind(block, post_mode, standalone=block in standalone)
        content = MD_QUOTE.sub("", MD_HEADING.sub("", BULLET.sub("", block)))
        typed.append((kind, fix_glued_sentences(content)))
    # A heading must introduce something: one left at the very end is a closing line.
    if typed and typed[-1][0] == "heading" and not KNOWN_HEADINGS.match(typed[-1][1]):
        typed[-1] = ("paragraph", typed[-1][1])
    return CleanDocument(
        title=fix_glued_sentences(title),
        blocks=tuple(typed),
        subtitle=fix_glued_sentences(subtitle),
        author=author,
        date=meta.date,
        url=meta.url,
        hashtags=tuple(meta.hashtags or ()),
        site=meta.site,
    )
