"""Reading sources into Articles: text, Markdown and HTML files, folders, URLs, feeds and JSONL.

Each source yields outcomes — an article, or an :class:`InputError` naming the source and what
to do — so callers keep going with the rest of the batch.  A source's kind is decided by its
content as well as its name: a ``.xml`` or an URL may be a feed or a page, a ``.txt`` may hold
HTML.  One :class:`~composer.ingest.fetch.FetchPolicy` governs every network use of a batch.

File names are bytes on POSIX: a name that is not UTF-8 (``caf\\xe9.txt`` from an old Latin-1
disk) reaches Python with lone surrogates, which neither SQLite nor a terminal accept.  Such a
file is still read; it is named with the bad bytes escaped, and a warning says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from composer.errors import InputError
from composer.ingest.cleaning import CleanDocument, clean_text_document
from composer.ingest.encoding import Decoded, decode_document
from composer.ingest.language import detect_language
from composer.models import Article, Paragraph

if TYPE_CHECKING:
    from composer.ingest.fetch import FetchPolicy

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf"}
FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {".jsonl"}
MAX_BYTES = 10 * 1024 * 1024

Kind = Literal["html", "feed", "text"]
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html|head|body|article|p|div)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    """One source's result: an article, or the error that names what went wrong."""

    source: str
    article: Article | None = None
    error: InputError | None = None
    warnings: tuple[str, ...] = ()


def _one_line(value: str) -> str:
    """Metadata is one line: a title with a trailing newline breaks tables and email headers."""
    return " ".join(value.split())


def article_from_document(doc: CleanDocument, *, source: str, article_id: str = "") -> Article:
    """Join a cleaned document's blocks into the article text, recording paragraph offsets."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    for kind, block in doc.blocks:
        if parts:
            pos += 2
        paragraphs.append(Paragraph(kind, pos, pos + len(block)))
        parts.append(block)
        pos += len(block)
    text = "\n\n".join(parts)
    if not text.strip():
        raise InputError(f"{source}: no article text found after cleaning; is it an article?")
    digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]
    return Article(
        id=article_id or digest,
        title=_one_line(doc.title),
        text=text,
        subtitle=_one_line(doc.subtitle),
        author=_one_line(doc.author),
        date=_one_line(doc.date),
        url=doc.url.strip(),
        source=source,
        language=detect_language(text),
        paragraphs=tuple(paragraphs),
    )


def sniff_kind(data: bytes, suffix: str = "", media_type: str = "") -> Kind:
    """What a document is, from its first bytes first, then its media type and file suffix."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if _FEED_ROOT.search(head[:1024]):
        return "feed"
    if head.startswith(b"<") and _HTML_ROOT.search(head):
        return "html"
    if "html" in media_type or suffix in HTML_SUFFIXES:
        return "html" if b"<" in head else "text"
    if any(word in media_type for word in ("rss", "atom")) or suffix in FEED_SUFFIXES:
        return "feed"
    return "text"


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file: BOM, then UTF-8, then a guess among Western encodings; refuse binary."""
    return decode_document(data, source).text


def _guess_warning(decoded: Decoded, source: str) -> tuple[str, ...]:
    if not decoded.guessed:
        return ()
    return (
        f"{source}: no declared encoding and not UTF-8; read as {decoded.encoding}. "
        "If accents look wrong, save it as UTF-8",
    )


def read_document(
    data: bytes,
    source: str,
    *,
    suffix: str = "",
    url: str = "",
    charset: str = "",
    media_type: str = "",
    timeout: float | None = None,
    policy: FetchPolicy | None = None,
) -> Iterator[Outcome]:
    """The articles in one document's bytes: a page, a feed or a text (errors as outcomes).

    A feed's teaser entries fetch their pages under ``policy`` (its ``timeout`` replaced by
    ``timeout`` when given).
    """
    try:
        if not data.strip():
            raise InputError(f"{source}: it is empty; nothing to add")
        kind = sniff_kind(data, suffix, media_type)
        if kind == "feed":
            from composer.ingest.feeds import LinkedPages, read_feed

            pages = LinkedPages(_policy(policy, timeout))
            yield from read_feed(data, source=source, base_url=url, load_page=pages)
            return
        decoded = decode_document(data, source, declared=charset, markup=kind == "html")
        if kind == "html":
            from composer.ingest.html import html_document

            doc = html_document(decoded.text, source=source, url=url)
        else:
            doc = clean_text_document(decoded.text)
            if url and not doc.url:
                doc = dataclasses.replace(doc, url=url)
        article = article_from_document(doc, source=source)
    except InputError as exc:
        yield Outcome(source, error=exc)
        return
    yield Outcome(source, article=article, warnings=_guess_warning(decoded, source))


def _policy(policy: FetchPolicy | None, timeout: float | None) -> FetchPolicy:
    """``policy`` (default: the ``COMPOSER_FETCH_*`` variables) with ``timeout`` if one is given."""
    from composer.ingest.fetch import FetchPolicy

    chosen = policy if policy is not None else FetchPolicy.from_env()
    return dataclasses.replace(chosen, timeout=timeout) if timeout is not None and timeout > 0 else chosen


def shown_path(path: str) -> str:
    """``path`` as it can be printed and stored: bytes that are not UTF-8 escaped as ``\\xe9``."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def _name_warning(path: str, shown: str) -> tuple[str, ...]:
    if shown == path:
        return ()
    return (f"{shown}: the file name is not valid UTF-8 (shown with \\x escapes); rename the file",)


def read_file(
    path: Path, *, timeout: float | None = None, policy: FetchPolicy | None = None, source: str = ""
) -> Iterator[Outcome]:
    """A local text, Markdown, HTML or feed file, within the size limit.

    ``source`` is how the file is named in messages and in the article (default: the path).
    """
    source = source or shown_path(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{source}: {size / (1024 * 1024):.0f} MB is too large for an article (limit "
                f"{MAX_BYTES // (1024 * 1024)} MB); give the article alone"
            )
        if size == 0:
            raise InputError(f"{source}: the file is empty; nothing to add")
        with path.open("rb") as handle:  # read no more than the cap even if the file grew since
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(
                f"{source}: it is larger than {MAX_BYTES // (1024 * 1024)} MB, too large for an article; "
                "give the article alone"
            )
    except InputError as exc:
        yield Outcome(source, error=exc)
        return
    except OSError as exc:
        yield Outcome(
            source,
            error=InputError(f"{source}: cannot read it ({exc.strerror}); check the path and permissions"),
        )
        return
    yield from read_document(data, source, suffix=path.suffix.lower(), timeout=timeout, policy=policy)


def read_text_file(path: Path) -> Article:
    """One local file as a cleaned Article; raises its error (used where one article is expected)."""
    for outcome in read_file(path):
        if outcome.error is not None:
            raise outcome.error
        assert outcome.article is not None
        return outcome.article
    raise InputError(f"{path}: no article in this file")


def read_url(
    url: str, *, timeout: float | None = None, policy: FetchPolicy | None = None
) -> Iterator[Outcome]:
    """An URL the user gave: fetched once (any address), then read as a page, feed or text."""
    from composer.ingest.fetch import fetch

    chosen = _policy(policy, timeout)
    try:
        got = fetch(url, timeout=chosen.timeout, max_bytes=chosen.max_bytes)
    except InputError as exc:
        yield Outcome(url, error=exc)
        return
    yield from read_document(
        got.data, url, url=got.final_url, charset=got.charset, media_type=got.media_type, policy=chosen
    )


def read_jsonl(path: Path, *, source: str = "") -> Iterator[Outcome]:
    """Articles of a JSONL file, one outcome per record (see :mod:`composer.ingest.jsonl_source`)."""
    from composer.ingest.jsonl_source import read_jsonl as read_records

    yield from read_records(path, source=source)


def _with_warnings(outcomes: Iterator[Outcome], warnings: tuple[str, ...]) -> Iterator[Outcome]:
    """``outcomes``, the first one carrying ``warnings`` too (about the source as a whole)."""
    first = True
    for outcome in outcomes:
        if first and warnings:
            outcome = dataclasses.replace(outcome, warnings=warnings + outcome.warnings)
        first = False
        yield outcome


def read_sources(
    sources: list[str], *, timeout: float | None = None, policy: FetchPolicy | None = None
) -> Iterator[Outcome]:
    """Every article found in ``sources`` (files, folders, URLs, feeds, JSONL), one outcome at a time.

    ``policy`` governs the network (default: the ``COMPOSER_FETCH_*`` variables); ``timeout``,
    when given, replaces its total seconds per fetch.
    """
    chosen = _policy(policy, timeout)
    for source in sources:
        if source.lower().startswith(("http://", "https://")):
            yield from read_url(source, policy=chosen)
            continue
        path = Path(source)
        shown = shown_path(source)
        try:
            is_dir, exists = path.is_dir(), path.exists()
            files = sorted(
                p
                for p in (path.rglob("*") if is_dir else ())
                if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES and not p.name.startswith(".")
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            yield Outcome(shown, error=InputError(f"{shown}: cannot read it ({reason}); check the path"))
            continue
        if is_dir:
            if not files:
                message = f"{shown}: no .txt, .md, .html, feed or .jsonl files in this folder"
                yield Outcome(shown, error=InputError(message))
            yield from read_sources([str(p) for p in files], policy=chosen)
        elif not exists:
            yield Outcome(shown, error=InputError(f"{shown}: no such file or folder; check the path"))
        elif path.suffix.lower() == ".jsonl":
            yield from _with_warnings(read_jsonl(path, source=shown), _name_warning(source, shown))
        else:
            outcomes = read_file(path, policy=chosen, source=shown)
            yield from _with_warnings(outcomes, _name_warning(source, shown))
