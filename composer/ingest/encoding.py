"""Bytes to text for every kind of source: BOM, declared charset, UTF-8, then a careful guess.

French pages still come in Latin-1 and Windows-1252, often with no declaration at all.  The
order follows the HTML standard's: a byte-order mark wins, then what the server or the document
declares, then UTF-8 (which almost never validates by accident), and only then a guess limited to
Western encodings — a guess is reported so the user can fix the file instead of trusting it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from composer.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG maps these labels to windows-1252: pages that say Latin-1 mean cp1252 (’, €, œ).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-user-defined": "cp1252",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""")
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel document"),
)
_WESTERN = ["cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850"]


@dataclass(frozen=True)
class Decoded:
    """Text plus how its encoding was decided; ``guessed`` when nothing declared it."""

    text: str
    encoding: str
    guessed: bool = False


def codec_for(label: str) -> str | None:
    """Python's codec for a charset label, or None when the label is unknown."""
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def refuse_binary(data: bytes, source: str) -> None:
    """Raise when ``data`` is clearly not text (known file signatures, NUL bytes)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{source}: this is {what}, not an article; save the article as text or HTML")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{source}: looks like a binary file, not text; give a .txt, .md, .html or .jsonl")


def declared_in_document(data: bytes) -> str:
    """The charset an HTML ``<meta>`` or an XML declaration states in the first 4 kB, if any."""
    head = data[:4096]
    match = _XML_DECL.match(head.lstrip()) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else ""


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset-normalizer comes with trafilatura
        return "cp1252"
    best = from_bytes(data, cp_isolation=_WESTERN).best()
    return codec_for(best.encoding) if best is not None else None


def decode_document(data: bytes, source: str, *, declared: str = "", markup: bool = False) -> Decoded:
    """Decode ``data`` (a page, a feed or a text file) following the order in the module docstring.

    ``declared`` is the HTTP header's charset; ``markup`` lets the document declare its own.
    """
    refuse_binary(data, source)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec)
    labels = [declared, declared_in_document(data) if markup else ""]
    for label in labels:
        codec = codec_for(label) if label else None
        if codec in ("utf-16-le", "utf-16-be", "utf-16"):
            codec = "utf-8"  # a UTF-16 page without a BOM declares it wrongly: we already hold ASCII
        if codec:
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError:
                break  # the declaration lies; fall through to UTF-8 and the guess
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    codec = _guess(data)
    if codec is None:
        raise InputError(
            f"{source}: cannot tell its text encoding (not UTF-8, no declared charset); "
            "save it as UTF-8 and add it again"
        )
    return Decoded(data.decode(codec, errors="replace"), codec, guessed=True)
