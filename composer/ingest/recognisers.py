"""Line-level recognisers for cleaning: page furniture, bylines, metadata labels, languages.

Each is a compiled pattern or a small predicate over one line, kept apart from the passes in
``cleaning.py`` that use them so both stay readable.
"""

from __future__ import annotations

import re

from composer.ingest.glue import LOWER, UPPER

FURNITURE = re.compile(
    r"^(?:close banner|fermer|redirection en cours(?:\.\.\.|…)?|"
    r"si vous n['’]êtes pas redirigé.*|(?:chatgpt )?télécharger gratuitement|image|photo|"
    r"\d+ personnes? aiment(?: ce| ça| cela)?|\d+ (?:j['’]aime|commentaires?|partages?)|"
    r"publicité|partager|partager cet article|commenter|s['’]abonner|voir plus|lire la suite|"
    r"j['’]aime|republier|envoyer|suivre|"
    r".+ \. (?:cover image|profile picture)|(?:cover image|profile picture)|"
    r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/?)$",
    re.IGNORECASE,
)
HANDLE = re.compile(r"^@[\w.-]+$")
CAPTION = re.compile(r"^(?P<page>.+?)\s*\.?\s*(?:cover image|profile picture)$", re.IGNORECASE)
SCRIPT_LINE = re.compile(
    r"^(?:window\.|document\.|var |let |const |function\s*\(|\$\(|<script|</script|\}\)?;?$)"
)
# "Pour aller plus loin" (and its kin) introduce one promoted link title on the next line.
PROMO = re.compile(
    r"^(?:pour aller plus loin|à lire aussi|a lire aussi|lire aussi|à voir aussi|voir aussi)"
    r"\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
RELATED = re.compile(
    r"^(?:articles? connexes?|articles? similaires?|sur le même sujet|à lire également)$", re.IGNORECASE
)
SOURCES = re.compile(r"^(?:sources?|références)\s*:?$", re.IGNORECASE)
URL_LINE = re.compile(
    r"^(?:(?:article en référence|source|lien|url|article original|via)\s*:\s*)?(?P<url>https?://\S+)$",
    re.IGNORECASE,
)
HASHTAG = re.compile(r"#[^\W\d_][\w-]*|#\d+[^\W\d_][\w-]*")
HASHTAG_LINE = re.compile(r"^(?:#\w[\w-]*\s*)+$")
TRAILING_HASHTAGS = re.compile(r"(?:\s+#\w[\w-]*)+\s*$")
MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre"
DATE_VALUE = (
    rf"\d{{4}}-\d{{2}}(?:-\d{{2}})?|\d{{1,2}}/\d{{1,2}}/\d{{4}}|"
    rf"(?:\d{{1,2}}(?:er)? )?(?:{MONTHS}) \d{{4}}"
)
# " date 2024-09 Quand on parle…": a date label, the date, then possibly the first paragraph.
DATE_PREFIX = re.compile(
    rf"^(?:date|publié le|publié|mis à jour le)\s*:?\s*(?P<date>{DATE_VALUE})\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
DATE_ALONE = re.compile(rf"^(?:le )?(?P<date>{DATE_VALUE})$", re.IGNORECASE)
PARTICLES = frozenset(
    {"de", "du", "des", "d’", "d'", "van", "von", "der", "le", "la", "di", "da", "ben", "el"}
)
NAME_WORD = re.compile(rf"^[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?$|^[{UPPER}]\.$")
BYLINE = re.compile(r"^(?:par|by|propos recueillis par)\s+", re.IGNORECASE)
BULLET = re.compile(r"^[•◦▪‣·\-–—*+]\s+")
# Markdown structure: "## Titre de section" and "> citation".
MD_HEADING = re.compile(r"^#{1,6}\s+")
MD_QUOTE = re.compile(r"^>\s*")
OPEN_QUOTES = '"“«'
# '"…" - u/kknyyk (254 points)' or '“…” — Jean Dupont': a quotation and a short attribution.
ATTRIBUTED_QUOTE = re.compile(r"^[\"“«].*[\"”»]\s*[-–—]\s*(?:u/\S+.*|[^\"“”«».!?]{1,60})$")
MAX_QUOTE = 1200  # a whole article that happens to open with a quotation mark is not a quote
WHOLE_QUOTE = re.compile(r"^[\"“«][^\"“”«»]*(?:«[^«»]*»[^\"“”«»]*)*[\"”»]$")
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f"
    "\u2b00-\u2bff\ufe0f\u200d\U000e0000-\U000e007f]"
)
EDGE_EMOJI = re.compile(rf"^(?:{EMOJI.pattern}|\s)+|(?:{EMOJI.pattern}|\s)+$")
SENTENCE_END = (".", "!", "?", "…", ":", ";", ",", '"', "»", "”", ")")
KNOWN_HEADINGS = re.compile(
    r"^(?:l['’]essentiel|en bref|à retenir|résumé|contexte|exemple)\s*:?$", re.IGNORECASE
)
SIGNATURE = re.compile(r"\s[-–—]\s(?P<name>[^-–—]+)$")
EN_WORDS = frozenset(
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
FR_WORDS = frozenset(
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


def is_name(line: str) -> bool:
    """True for a personal name alone on a line ("Fanny Roselmack", "Jean de La Fontaine")."""
    if len(line) > 50 or any(ch.isdigit() for ch in line):
        return False
    words = line.split()
    if not 2 <= len(words) <= 4:
        return False
    if words[0].lower() in PARTICLES or words[-1].lower() in PARTICLES:
        return False
    return all(NAME_WORD.match(word) or word.lower() in PARTICLES for word in words)


def byline_name(line: str) -> str:
    """The author's name if ``line`` is a byline ("Fanny Roselmack", "Par Jean Dupont")."""
    name = BYLINE.sub("", line)
    return name if is_name(name) else ""


def language_votes(text: str) -> tuple[int, int]:
    """Count English and French function words, to spot an English leftover in a French page."""
    words = re.findall(r"[a-zà-ÿ’']+", text.lower())
    return sum(w in EN_WORDS for w in words), sum(w in FR_WORDS for w in words)


def is_english(text: str) -> bool:
    """True when ``text`` reads as English (used only on trailing leftovers)."""
    english, french = language_votes(text)
    return english >= 3 and english > 2 * french


def strip_edge_emoji(text: str) -> str:
    """Drop emoji at the start and end of a title ("🚨 Et si…" → "Et si…")."""
    return EDGE_EMOJI.sub("", text).strip()


def starts_with_emoji(line: str) -> bool:
    """True when the line opens with a pictograph, the mark of social-media posts."""
    return bool(line) and bool(EMOJI.match(line))
