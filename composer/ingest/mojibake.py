"""Repairing mis-decoded text (first version: ftfy plus UTF-8 read as ISO-8859-16)."""

from __future__ import annotations

import re

_RUN = re.compile(r"[ĂÂĂÃÄÅâ][\x80-\xbf©ŠšŽžȘșČčŒœŸ\xa0-\xff]+")


def _try(run: str) -> str:
    for codec in ("iso8859_16", "cp1252", "latin-1"):
        try:
            return run.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return run


def repair_text(text: str) -> str:
    """Return ``text`` with mojibake repaired and typographic punctuation kept."""
    import ftfy

    text = _RUN.sub(lambda m: _try(m.group()), text)
    text = text.replace("Ă ", "à ")
    return ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False)
