"""Repairing mis-decoded text (mojibake) without touching text that was decoded correctly.

Articles reach composer after unknown round trips through CMSs, scrapers and copy-paste.  The
seeds show three kinds of damage, sometimes mixed inside one line:

* UTF-8 read as ISO-8859-16 (the Romanian Latin-10 page): "Ă©" for "é", "oĂč" for "où";
* the classic UTF-8 read as cp1252/latin-1: "rÃ©forme", "lâ€™IA";
* text broken twice (ISO-8859-16, then written back as cp1250 and read as UTF-8): "clientÚle"
  for "clientèle", "d’Ɠil" for "d’œil".

``ftfy`` alone repairs the second kind but not the first (it does not know ISO-8859-16) and, with
its defaults, straightens every typographic apostrophe.  So the repair works in passes:

1. a scanner that finds runs of characters whose single-byte encodings (ISO-8859-16, cp1252 or
   latin-1) form valid UTF-8 sequences, and decodes a sequence only when the result is a
   plausible character (Western letter, typographic punctuation, emoji) that fits the case of
   its neighbours — correct text around and inside such runs is left alone;
2. "Ă" followed by a space is "à" whose 0xA0 continuation byte became a space, when the
   context makes that clear;
3. the doubly broken letters, only in a text that already showed ISO-8859-16 damage;
4. ftfy for whatever classic damage remains, with curly quotes and ligatures preserved.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import ftfy

_CODECS: tuple[str, ...] = ("iso8859_16", "cp1252", "latin_1")


def _byte_table(codec: str) -> dict[str, int]:
    """Map each non-ASCII character of a single-byte ``codec`` to its byte.

    Bytes the codec leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D in cp1252) map to the C1
    control of the same number, as the sloppy decoders that produce mojibake do: "â€\x9d" is a
    broken "”".
    """
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            table[bytes([byte]).decode(codec)] = byte
        except UnicodeDecodeError:
            table[chr(byte)] = byte
    return table


_TABLES: dict[str, dict[str, int]] = {codec: _byte_table(codec) for codec in _CODECS}
_ALL_HIGH = "".join(sorted(set().union(*(t.keys() for t in _TABLES.values()))))
# A run of at least two characters that some single-byte codec maps to bytes >= 0x80.
_RUN = re.compile("[" + re.escape(_ALL_HIGH) + "]{2,}")

# Ranges a decoded multi-byte sequence may land in for us to believe it was mojibake.
_PLAUSIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00A0, 0x017F),  # Latin-1 supplement and Latin Extended-A
    (0x0218, 0x021B),  # Romanian Ș ș Ț ț
    (0x2000, 0x206F),  # general punctuation: ’ “ ” … – — • ZWJ
    (0x20A0, 0x20CF),  # currency: €
    (0x2100, 0x214F),  # letterlike: ™ №
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # maths: ≤ ≥ ≠
    (0x2300, 0x23FF),  # technical: ⌚ ⏳
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x25A0, 0x27BF),  # shapes, misc symbols, dingbats: ⚡ ⚖ ✅ ➡
    (0x2900, 0x297F),  # supplemental arrows ⤴
    (0x2B00, 0x2BFF),  # ⬆ ⭐
    (0xFE00, 0xFE0F),  # variation selectors (emoji presentation)
    (0x1F000, 0x1FAFF),  # emoji, flags' regional indicators
    (0xE0000, 0xE007F),  # tag characters (subdivision flags)
)


def _plausibility(char: str) -> int:
    """Rank how likely ``char`` is in a French article: 0 best, -1 not plausible at all.

    Several codecs can decode the same run ("â€œ" is "“" via cp1252 but "⤽" via ISO-8859-16),
    so the most ordinary result wins: Latin-1 letters and typographic punctuation first, then
    other Latin letters, then emoji, then rarer symbols.
    """
    code = ord(char)
    if 0x80 <= code <= 0x9F or not any(low <= code <= high for low, high in _PLAUSIBLE_RANGES):
        return -1
    if code <= 0xFF or 0x2000 <= code <= 0x206F or char in "€ŒœŸ":
        return 0
    if code <= 0x21B:
        return 1
    if code >= 0x1F000 or 0xFE00 <= code <= 0xFE0F:
        return 2
    return 3


def _case_fits(decoded: str, before: str, after: str) -> bool:
    """Reject a decoded letter whose case contradicts both neighbours.

    "PĂȘUNE" (Romanian capitals) would otherwise decode to "PêUNE": a lowercase letter inside
    an all-caps word, or a capital inside a lowercase word, is not what the author typed.
    """
    if not decoded.isalpha():
        return True
    if decoded.islower() and before.isupper() and after.isupper():
        return False
    return not (decoded.isupper() and before.islower() and after.islower())


def _sequence_length(lead: int) -> int:
    """Number of continuation bytes a UTF-8 lead byte announces (0 if not a lead byte)."""
    if 0xC2 <= lead <= 0xDF:
        return 1
    if 0xE0 <= lead <= 0xEF:
        return 2
    if 0xF0 <= lead <= 0xF4:
        return 3
    return 0


def _decode_with(codec: str, text: str, start: int, end: int) -> str | None:
    """Decode the UTF-8 sequence that ``codec`` bytes of ``text[start:end]`` begin with, if any."""
    table = _TABLES[codec]
    lead = table.get(text[start])
    if lead is None:
        return None
    extra = _sequence_length(lead)
    if not extra or start + extra >= end:
        return None
    raw = [lead]
    for char in text[start + 1 : start + 1 + extra]:
        byte = table.get(char)
        if byte is None or not 0x80 <= byte <= 0xBF:
            return None
        raw.append(byte)
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_at(text: str, start: int, end: int) -> tuple[str, int] | None:
    """Decode one mojibake sequence at ``start`` (the run ends at ``end``), if there is one.

    Every codec is tried; the most plausible decoding that fits its neighbours' case wins
    (ties go to the codec listed first).  Returns the character and how many it replaces.
    """
    best: tuple[int, str] | None = None
    for codec in _CODECS:
        decoded = _decode_with(codec, text, start, end)
        if decoded is None:
            continue
        rank = _plausibility(decoded)
        if rank < 0 or (best is not None and rank >= best[0]):
            continue
        used = len(decoded.encode("utf-8"))
        before = text[start - 1] if start > 0 else " "
        after = text[start + used] if start + used < len(text) else " "
        if _case_fits(decoded, before, after):
            best = (rank, decoded)
    if best is None:
        return None
    return best[1], len(best[1].encode("utf-8"))


def _decode_runs(text: str) -> tuple[str, int]:
    """Pass 1: decode the mojibake sequences hidden in runs of high characters."""
    pieces: list[str] = []
    last = 0
    fixes = 0
    for match in _RUN.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        index = start
        while index < end:
            found = _decode_at(text, index, end) if index < end - 1 else None
            if found is None:
                pieces.append(text[index])
                index += 1
                continue
            decoded, used = found
            pieces.append(decoded)
            index += used
            fixes += 1
        last = end
    pieces.append(text[last:])
    return "".join(pieces), fixes


# "Ă" standing alone between spaces is never a word: it is "à" whose NBSP byte became a space.
_LONE_A_BREVE = re.compile(r"(?<![^\s«“(\"'])Ă(?=[ \u00a0])")
_SENTENCE_START = re.compile(r"(?:^|[.!?…]\s+|\n\s*)$")


def _lone_a_breve(match: re.Match[str]) -> str:
    """ "à", or "À" at the start of a sentence (its 0x80 byte was lost the same way)."""
    return "À" if _SENTENCE_START.search(match.string, max(0, match.start() - 3), match.start()) else "à"


# After a lowercase letter ("voilĂ ", "dĂ©jĂ "), only once the text has shown ISO-8859-16 damage.
_FINAL_A_BREVE = re.compile(r"(?<=[a-zà-ÿœ])Ă(?=[ \u00a0\n]|$)", re.MULTILINE)


def _lenient_encode(text: str, codec: str) -> bytes | None:
    """Encode ``text``, passing C1 controls through as their own byte (as broken tools do)."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode(codec)
        except UnicodeEncodeError:
            if ord(char) < 0x100:
                out.append(ord(char))
            else:
                return None
    return bytes(out)


_FRENCH_LETTERS = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"


def _double_broken_table() -> dict[str, str]:
    """Characters produced by UTF-8 → ISO-8859-16 → cp1250 → UTF-8, mapped back to the letter.

    Computed rather than hand-written so the table is exactly the damage the chain can do.
    "ù" (from "â") is left out: it is itself a French letter, so it cannot be told apart.
    """
    table: dict[str, str] = {}
    for letter in _FRENCH_LETTERS:
        once = letter.encode("utf-8").decode("iso8859_16", errors="replace")
        twice = _lenient_encode(once, "cp1250")
        if twice is None:
            continue
        try:
            result = twice.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(result) == 1 and result != letter and result not in "ùàâäçéèêëîïôöûüÿœæ":
            table[result] = letter
    table["\u208f"] = "€"  # "€" through the same chain; U+208F is unassigned
    return table


_DOUBLE = _double_broken_table()
# Letters no Western European language uses (Ɠ, ƞ, ƒ): safe to repair next to any letter.
_WESTERN_LETTERS = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ")
_FOREIGN = frozenset(ch for ch in _DOUBLE if ch not in _WESTERN_LETTERS)
_DOUBLE_RE = re.compile("[" + re.escape("".join(_DOUBLE)) + "]")


def _repair_double(match: re.Match[str]) -> str:
    """Repair one doubly broken letter if its neighbours say it sits inside a word."""
    char = match.group()
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < len(text) else " "
    if char == "\u208f":
        return _DOUBLE[char]
    if char in _FOREIGN:
        return _DOUBLE[char] if before.isalpha() or after.isalpha() or before in "’'" else char
    # Ú, Î, Ê, À, ß are real letters elsewhere: only between two lowercase letters ("clientÚle").
    return _DOUBLE[char] if before.islower() and after.islower() else char


# An ellipsis "…" written as cp1252 0x85 and read as NEL, later turned into a line break:
# "parce que\n eh bien".  Only repaired in a text that showed ISO-8859-16 damage.
_BROKEN_ELLIPSIS = re.compile(r"(?<=[a-zà-ÿœ])\n(?= [a-zà-ÿœ])")
# Classic cp1252/latin-1 damage or things ftfy cleans (C1 controls, U+FFFD, HTML entities).
_NEEDS_FTFY = re.compile(
    r"[ÃÂÅ\x80-\x9f\ufffd]|â[\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|ð[\x9f\u0178]|&#?\w+;"
)
_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)


def repair_with_count(text: str) -> tuple[str, int]:
    """Repair ``text`` and say how many ISO-8859-16/cp1252 sequences were decoded.

    The count is the evidence callers (and the later passes) use to decide whether ambiguous
    traces such as a line break inside a sentence are damage or the author's choice.
    """
    repaired, fixes = _decode_runs(text)
    repaired = _LONE_A_BREVE.sub(_lone_a_breve, repaired)
    if fixes:
        repaired = _FINAL_A_BREVE.sub("à", repaired)
        repaired = _DOUBLE_RE.sub(_repair_double, repaired)
        repaired = _BROKEN_ELLIPSIS.sub("…", repaired)
    if _NEEDS_FTFY.search(repaired):
        repaired = ftfy.fix_text(repaired, _FTFY_CONFIG)
    return repaired, fixes


def repair_text(text: str) -> str:
    """Return ``text`` with mojibake repaired and typographic punctuation and emoji kept."""
    return repair_with_count(text)[0]


# Characters that, in a French article, almost always betray mojibake.
SUSPICIOUS: frozenset[str] = frozenset(
    "ĂăȘșȚțČčŠšŽžŚśŹźŻżĆćŁłĄąĘęŃńŐőŰűÃÅÐðÞþƓƞƒÚ\u208f" + "".join(chr(c) for c in range(0x80, 0xA0))
)
_LONE_CIRCUMFLEX_A = re.compile(r"Â(?![A-Za-zÀ-ÿ])")


def suspicious_characters(text: str, is_suspicious: Callable[[str], bool] | None = None) -> list[str]:
    """List the characters of ``text`` that look like leftover mojibake (for tests and reports).

    "Â" is a French letter ("ÂGE"), so it only counts when no letter follows it.
    """
    check = is_suspicious or SUSPICIOUS.__contains__
    found = [char for char in text if check(char)]
    found += ["Â"] * len(_LONE_CIRCUMFLEX_A.findall(text))
    return found
