"""Restoring the space lost between glued sentences ("à Venise.Selon" → "à Venise. Selon").

87 % of OrangeSum articles glue paragraphs this way; a sentence splitter and a reader both need
the space back.  The hard part is what *not* to split: initials ("M.Macron", "U.S.A."), URLs,
domains and dotted brand names.
"""

from __future__ import annotations

import re

UPPER = "A-ZÀ-ÖØ-ÞŒ"
LOWER = "a-zß-öø-ÿœ"
# A sentence end glued to the next sentence: "Venise.Selon", "2019.Le", "l'AFP.Les",
# "(OMS).Cela", "fille..."La", "chercheurs.»Il".  Group "q" is an optional quote mark in between.
_GLUE = re.compile(
    rf"(?:(?<=[{LOWER}{UPPER}0-9)\]»”\"'’%°+])(?P<term>\.\.\.|[.!?…]+)|(?<=\s)(?P<qterm>[!?…]+))"
    rf"(?P<close>[)\]»”]|\"(?=[\"«“]))?(?P<q>[\"«“]?)(?=[{UPPER}])"
)
_TOKEN_START = re.compile(r"\S*$")
_TOKEN_END = re.compile(r"\S*")
_URLISH = re.compile(r"(?i)(?:https?://|www\.|@|\.(?:com|fr|org|net|io|eu|gouv)\b)")
_TLD_AFTER = re.compile(r"(?:Com|Fr|Org|Net|Io|Eu|Info|Be|Ch|Ca)\b")
# Names spelled with a dot that would otherwise look glued.
_DOTTED_NAMES = re.compile(r"(?:France\.TV|Mr\.Bricolage|E\.Leclerc|Yahoo!\w|Boursorama\.\w)", re.IGNORECASE)
# One capital standing alone before the dot is an initial ("M.Macron", "U.S.A", "J.C.").
_INITIAL_BEFORE = re.compile(rf"(?:^|[^\w])[{UPPER}]$")
# So is a one-letter lowercase word ("p.Ex"); "19h.Cette" or "km/h.Les" are not.
_LOWER_LETTER_BEFORE = re.compile(rf"(?:^|[^\w/])[{LOWER}]$")


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
