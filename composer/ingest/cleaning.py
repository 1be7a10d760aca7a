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

from composer.ingest.mojibake import repair_with_count
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


_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_LOWER = "a-zß-öø-ÿœ"
# A sentence end glued to the next sentence: "Venise.Selon", "2019.Le", "l'AFP.Les",
# "(OMS).Cela", "fille..."La", "chercheurs.»Il".  Group "q" is an optional quote mark in between.
_GLUE = re.compile(
    rf"(?:(?<=[{_LOWER}{_UPPER}0-9)\]»”\"'’%°+])(?P<term>\.\.\.|[.!?…]+)|(?<=\s)(?P<qterm>[!?…]+))"
    rf"(?P<close>[)\]»”]|\"(?=[\"«“]))?(?P<q>[\"«“]?)(?=[{_UPPER}])"
)
_TOKEN_START = re.compile(r"\S*$")
_TOKEN_END = re.compile(r"\S*")
_URLISH = re.compile(r"(?i)(?:https?://|www\.|@|\.(?:com|fr|org|net|io|eu|gouv)\b)")
_TLD_AFTER = re.compile(r"(?:Com|Fr|Org|Net|Io|Eu|Info|Be|Ch|Ca)\b")
# Names spelled with a dot that would otherwise look glued.
_DOTTED_NAMES = re.compile(r"(?:France\.TV|Mr\.Bricolage|E\.Leclerc|Yahoo!\w|Boursorama\.\w)", re.IGNORECASE)
# One capital standing alone before the dot is an initial ("M.Macron", "U.S.A", "J.C.").
_INITIAL_BEFORE = re.compile(rf"(?:^|[^\w])[{_UPPER}]$")
# So is a one-letter lowercase word ("p.Ex"); "19h.Cette" or "km/h.Les" are not.
_LOWER_LETTER_BEFORE = re.compile(rf"(?:^|[^\w/])[{_LOWER}]$")


def _is_glue(text: str, match: re.Match[str]) -> bool:
    """Decide whether a terminator directly followed by a capital is two glued sentences.

    Not glue: initials and abbreviations with one capital ("M.Macron", "U.S.A.", "J.C."),
    URLs, e-mail addresses and domains ("www.Site.fr", "Ouest-France.Fr").
    """
    start, end = match.span()
    token = _TOKEN_START.search(text, max(0, start - 80), start)
    after = _TOKEN_END.match(text, end, end + 80)
    token_text = (token.group() if token else "") + text[start:end] + (after.group() if after else "")
    if _URLISH.search(token_text):
        return False
    if match.group("term") == "." and not match.group("q") and _TLD_AFTER.match(text, end):
        return False
    if _DOTTED_NAMES.search(token_text):
        return False
    before = text[max(0, start - 2) : start]
    return not (_INITIAL_BEFORE.search(before) or _LOWER_LETTER_BEFORE.search(before))


def fix_glued_sentences(text: str) -> str:
    """Restore the space lost between two sentences ("à Venise.Selon" → "à Venise. Selon").

    An ASCII double quote after the terminator is an opening quote when an even number of them
    precede it (space goes before it: '."Le' → '. "Le') and a closing one otherwise.
    """
    pieces: list[str] = []
    last = 0
    for match in _GLUE.finditer(text):
        if not _is_glue(text, match):
            continue
        quote = match.group("q")
        split = match.end()
        if quote in ("«", "“") or (quote == '"' and text.count('"', 0, match.start("q")) % 2 == 0):
            split = match.start("q")
        pieces.append(text[last:split])
        pieces.append(" ")
        last = split
    pieces.append(text[last:])
    return "".join(pieces)


# --------------------------------------------------------------------------------------------
# Line-level recognisers


_FURNITURE = re.compile(
    r"^(?:close banner|fermer|redirection en cours(?:\.\.\.|…)?|"
    r"si vous n['’]êtes pas redirigé.*|(?:chatgpt )?télécharger gratuitement|image|photo|"
    r"\d+ personnes? aiment(?: ce| ça| cela)?|\d+ (?:j['’]aime|commentaires?|partages?)|"
    r"publicité|partager|partager cet article|commenter|s['’]abonner|voir plus|lire la suite|"
    r"j['’]aime|republier|envoyer|suivre|"
    r".+ \. (?:cover image|profile picture)|(?:cover image|profile picture)|"
    r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/?)$",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"^@[\w.-]+$")
_CAPTION = re.compile(r"^(?P<page>.+?)\s*\.?\s*(?:cover image|profile picture)$", re.IGNORECASE)
_SCRIPT_LINE = re.compile(
    r"^(?:window\.|document\.|var |let |const |function\s*\(|\$\(|<script|</script|\}\)?;?$)"
)
# "Pour aller plus loin" (and its kin) introduce one promoted link title on the next line.
_PROMO = re.compile(
    r"^(?:pour aller plus loin|à lire aussi|a lire aussi|lire aussi|à voir aussi|voir aussi)"
    r"\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^(?:articles? connexes?|articles? similaires?|sur le même sujet|à lire également)$", re.IGNORECASE
)
_SOURCES = re.compile(r"^(?:sources?|références)\s*:?$", re.IGNORECASE)
_URL_LINE = re.compile(
    r"^(?:(?:article en référence|source|lien|url|article original|via)\s*:\s*)?(?P<url>https?://\S+)$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"#[^\W\d_][\w-]*|#\d+[^\W\d_][\w-]*")
_HASHTAG_LINE = re.compile(r"^(?:#\w[\w-]*\s*)+$")
_TRAILING_HASHTAGS = re.compile(r"(?:\s+#\w[\w-]*)+\s*$")
_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
_DATE_VALUE = (
    rf"\d{{4}}-\d{{2}}(?:-\d{{2}})?|\d{{1,2}}/\d{{1,2}}/\d{{4}}|"
    rf"(?:\d{{1,2}}(?:er)? )?(?:{_MONTHS}) \d{{4}}"
)
# " date 2024-09 Quand on parle…": a date label, the date, then possibly the first paragraph.
_DATE_PREFIX = re.compile(
    rf"^(?:date|publié le|publié|mis à jour le)\s*:?\s*(?P<date>{_DATE_VALUE})\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DATE_ALONE = re.compile(rf"^(?:le )?(?P<date>{_DATE_VALUE})$", re.IGNORECASE)
_PARTICLES = frozenset(
    {"de", "du", "des", "d’", "d'", "van", "von", "der", "le", "la", "di", "da", "ben", "el"}
)
_NAME_WORD = re.compile(rf"^[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?$|^[{_UPPER}]\.$")
_BYLINE = re.compile(r"^(?:par|by|propos recueillis par)\s+", re.IGNORECASE)
_BULLET = re.compile(r"^[•◦▪‣·\-–—*+]\s+")
# Markdown structure: "## Titre de section" and "> citation".
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_QUOTE = re.compile(r"^>\s*")
_OPEN_QUOTES = '"“«'
# '"…" - u/kknyyk (254 points)' or '“…” — Jean Dupont': a quotation and a short attribution.
_ATTRIBUTED_QUOTE = re.compile(r"^[\"“«].*[\"”»]\s*[-–—]\s*(?:u/\S+.*|[^\"“”«».!?]{1,60})$")
_MAX_QUOTE = 1200  # a whole article that happens to open with a quotation mark is not a quote
_WHOLE_QUOTE = re.compile(r"^[\"“«][^\"“”«»]*(?:«[^«»]*»[^\"“”«»]*)*[\"”»]$")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\ufe0f\u200d\U000e0000-\U000e007f]"
)
_EDGE_EMOJI = re.compile(rf"^(?:{_EMOJI.pattern}|\s)+|(?:{_EMOJI.pattern}|\s)+$")
_SENTENCE_END = (".", "!", "?", "…", ":", ";", ",", '"', "»", "”", ")")
_KNOWN_HEADINGS = re.compile(
    r"^(?:l['’]essentiel|en bref|à retenir|résumé|contexte|exemple)\s*:?$", re.IGNORECASE
)
_SIGNATURE = re.compile(r"\s[-–—]\s(?P<name>[^-–—]+)$")
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "was",
        "were",
        "be",
        "can",
        "as",
        "well",
        "with",
        "that",
        "this",
        "for",
        "on",
        "in",
        "it",
        "by",
        "from",
        "its",
        "their",
        "which",
        "model",
        "models",
        "company",
    ]
)
_FR_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "dans",
        "que",
        "qui",
        "sur",
        "par",
        "au",
        "aux",
        "en",
        "ce",
        "cette",
        "il",
        "elle",
        "ils",
        "nous",
        "vous",
        "pas",
        "plus",
    ]
)


def _is_name(line: str) -> bool:
    """True for a personal name alone on a line ("Fanny Roselmack", "Jean de La Fontaine")."""
    if len(line) > 50 or any(ch.isdigit() for ch in line):
        return False
    words = line.split()
    if not 2 <= len(words) <= 4:
        return False
    if words[0].lower() in _PARTICLES or words[-1].lower() in _PARTICLES:
        return False
    return all(_NAME_WORD.match(word) or word.lower() in _PARTICLES for word in words)


def _byline_name(line: str) -> str:
    """The author's name if ``line`` is a byline ("Fanny Roselmack", "Par Jean Dupont")."""
    name = _BYLINE.sub("", line)
    return name if _is_name(name) else ""


def _language_votes(text: str) -> tuple[int, int]:
    """Count English and French function words, to spot an English leftover in a French page."""
    words = re.findall(r"[a-zà-ÿ’']+", text.lower())
    return sum(w in _EN_WORDS for w in words), sum(w in _FR_WORDS for w in words)


def _is_english(text: str) -> bool:
    """True when ``text`` reads as English (used only on trailing leftovers)."""
    english, french = _language_votes(text)
    return english >= 3 and english > 2 * french


def _strip_edge_emoji(text: str) -> str:
    """Drop emoji at the start and end of a title ("🚨 Et si…" → "Et si…")."""
    return _EDGE_EMOJI.sub("", text).strip()


def _starts_with_emoji(line: str) -> bool:
    """True when the line opens with a pictograph, the mark of social-media posts."""
    return bool(line) and bool(_EMOJI.match(line))


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
        for tag in _HASHTAG.findall(text):
            if len(tag) > 2 and tag not in self.hashtags:
                self.hashtags.append(tag)


def _split_lines(text: str) -> list[str]:
    """Normalised lines; blank strings mark paragraph breaks."""
    return [_normalize_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _drop_furniture(lines: list[str], meta: _Meta) -> list[str]:
    """Remove page furniture and move metadata lines (URL, hashtags, page name) to ``meta``."""
    pages = {m.group("page").rstrip(" .") for line in lines if (m := _CAPTION.match(line))}
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
        promo = _PROMO.match(line)
        if promo:
            skip_next_title = not promo.group("rest")
            continue
        url = _URL_LINE.match(line)
        if url:
            meta.url = meta.url or url.group("url")
            continue
        if _HASHTAG_LINE.match(line):
            meta.add_hashtags(line)
            continue
        if (
            _FURNITURE.match(line)
            or _HANDLE.match(line)
            or _SCRIPT_LINE.match(line)
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
        related = bool(_RELATED.match(lines[index]))
        if related or _SOURCES.match(lines[index]):
            rest = [lines[i] for i in content if i > index]
            if all(len(r) <= 150 and not r.endswith((".", "!", "?")) for r in rest):
                lines = lines[:index]
                break
            if related:
                lines = [*lines[:index], *lines[index + 1 :]]
                return _drop_tail(lines)
    content = [i for i, line in enumerate(lines) if line]
    french_page = not _is_english(" ".join(lines)[:2000])
    while (
        content
        and french_page
        and lines[content[-1]][0] not in _OPEN_QUOTES
        and _is_english(lines[content[-1]])
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
            and not blocks[-1].endswith(_SENTENCE_END)
            and line[0].islower()
            and not _BULLET.match(line)
            and not _BULLET.match(blocks[-1])
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
    lead = _EDGE_EMOJI.sub("", _BULLET.sub("", lead))
    sentence = re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-Þ«\"“])", lead, maxsplit=1)[0].strip()
    if len(sentence) <= 100:
        return sentence.rstrip(".").strip()
    head = sentence[:limit]
    clause = max(head.rfind(", "), head.rfind(" : "), head.rfind(" ; "), head.rfind(" – "))
    cut = clause if clause >= limit // 2 else head.rfind(" ")
    return head[: cut if cut > 0 else limit].rstrip(" ,;:–") + "…"


_TEASER_BREAK = re.compile(rf"\s+(?:{_EMOJI.pattern})+\s+|(?<=[.!?])\s+")


def _split_teaser(line: str, meta: _Meta) -> tuple[str, str]:
    """Split a long social-media teaser into a headline and a standfirst (seed 004).

    The headline is the text before the first emoji or sentence end; trailing hashtags go to
    ``meta``; what remains becomes the subtitle.
    """
    tags = _TRAILING_HASHTAGS.search(line)
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
    if _TRAILING_HASHTAGS.search(line):
        return True
    emoji = re.search(rf"\s(?:{_EMOJI.pattern})+\s", line[:160])
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
        dated = _DATE_PREFIX.match(block) or _DATE_ALONE.match(block)
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
        and not _BULLET.match(first)
        and not _ATTRIBUTED_QUOTE.match(first)
    ):
        title = _MD_HEADING.sub("", first)
        body.pop(0)
    else:
        title = _derive_title(first)
    if title and body:
        if _byline_name(body[0]):
            author = _byline_name(body.pop(0))
        elif len(body) > 1 and _byline_name(body[1]) and len(body[0]) <= 250:
            subtitle = body.pop(0)
            author = _byline_name(body.pop(0))
    if not author and body:
        signature = _SIGNATURE.search(body[-1])
        if signature and _is_name(signature.group("name").strip()):
            author = signature.group("name").strip()
    return _strip_edge_emoji(title), subtitle, author, body


def _kind(block: str, post_mode: bool, standalone: bool) -> ParagraphKind:
    """Classify one block as heading, bullet, quote or paragraph.

    Headings are short lines that do not end a sentence; in social posts (many emoji-led lines)
    a short "📍 Contexte :" label is a heading too; in articles a short standalone question
    ("L’argent, nerf de la guerre… ?") is a heading.
    """
    if _MD_HEADING.match(block):
        return "heading"
    if _MD_QUOTE.match(block):
        return "quote" if len(block) <= _MAX_QUOTE else "paragraph"
    if _BULLET.match(block):
        return "bullet" if len(block) <= 400 else "paragraph"
    if (
        block[0] in _OPEN_QUOTES
        and len(block) <= _MAX_QUOTE
        and (_ATTRIBUTED_QUOTE.match(block) or _WHOLE_QUOTE.match(block))
    ):
        return "quote"
    if _KNOWN_HEADINGS.match(block):
        return "heading"
    words = _EMOJI.sub("", block).split()
    if block.endswith(":") and len(words) <= 5:
        return "heading"
    if (
        len(block) <= 90
        and len(words) <= 14
        and not block.endswith(_SENTENCE_END)
        and not block[0].islower()
        and not _SIGNATURE.search(block)
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


def clean_text_document(raw: str) -> CleanDocument:
    """Clean a plain-text or Markdown article like those in ``seeds/`` (see module docstring)."""
    text, _ = repair_with_count(raw)
    meta = _Meta()
    lines = _drop_tail(_drop_furniture(_split_lines(text), meta))
    title, subtitle, author, body = _header(_paragraphs(lines), meta)
    post_mode = sum(_starts_with_emoji(block) for block in body) >= 3
    standalone = _standalone_lines(lines)
    typed: list[tuple[ParagraphKind, str]] = []
    for block in body:
        kind = _kind(block, post_mode, standalone=block in standalone)
        content = _MD_QUOTE.sub("", _MD_HEADING.sub("", _BULLET.sub("", block)))
        typed.append((kind, fix_glued_sentences(content)))
    # A heading must introduce something: one left at the very end is a closing line.
    if typed and typed[-1][0] == "heading" and not _KNOWN_HEADINGS.match(typed[-1][1]):
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
