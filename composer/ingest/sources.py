"""Reading sources into Articles: text files, folders and benchmark JSONL.

Each source yields articles or an :class:`InputError` naming it; callers keep going with the
rest of the batch.  (URLs, HTML and feeds come with the intake issue.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from composer.errors import InputError
from composer.ingest.cleaning import CleanDocument, clean_text_document
from composer.ingest.language import detect_language
from composer.models import Article, Paragraph

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """One source's result: an article, or the error that names what went wrong."""

    source: str
    article: Article | None = None
    error: InputError | None = None


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
        title=doc.title,
        text=text,
        subtitle=doc.subtitle,
        author=doc.author,
        date=doc.date,
        url=doc.url,
        source=source,
        language=detect_language(text),
        paragraphs=tuple(paragraphs),
    )


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a text file: BOM, then UTF-8, then cp1252; refuse binary data."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: looks like a binary file, not text; give a .txt, .md, .html or .jsonl")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text_file(path: Path) -> Article:
    """One text or Markdown file as a cleaned Article."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{source}: {size // 1_000_000} MB is too large for an article (limit 5 MB)")
        if size == 0:
            raise InputError(f"{source}: the file is empty")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{source}: cannot read it ({exc.strerror}); check the path and permissions"
        ) from None
    return article_from_document(clean_text_document(decode_bytes(data, source)), source=source)


def read_jsonl(path: Path) -> Iterator[Outcome]:
    """Articles of a JSONL file with ``id``, ``title``, ``article`` (and optional ``date``, ``url``)."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        yield Outcome(str(path), error=InputError(f"{path}: cannot read it ({exc.strerror})"))
        return
    with handle:
        for number, line in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                body = record["article"]
                if not isinstance(body, str) or not body.strip():
                    raise ValueError("empty article")
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                yield Outcome(
                    where,
                    error=InputError(
                        f'{where}: not an article line ({exc}); expected {{"id", "title", "article"}}'
                    ),
                )
                continue
            raw = f"{record.get('title', '')}\n\n{body}" if record.get("title") else body
            doc = clean_text_document(raw)
            if record.get("title"):
                doc = CleanDocument(
                    title=str(record["title"]),
                    blocks=doc.blocks,
                    subtitle=doc.subtitle,
                    author=doc.author,
                    date=str(record.get("date", "")),
                    url=str(record.get("url", "")),
                )
            try:
                article = article_from_document(doc, source=where, article_id=str(record.get("id", "")))
            except InputError as exc:
                yield Outcome(where, error=exc)
                continue
            yield Outcome(where, article=article)


def read_sources(sources: list[str]) -> Iterator[Outcome]:
    """Every article found in ``sources`` (files, folders, JSONL), one outcome at a time."""
    for source in sources:
        path = Path(source)
        if source.startswith(("http://", "https://")):
            yield Outcome(source, error=InputError(f"{source}: URLs are not supported yet; save the page"))
        elif path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | {".jsonl"}
            )
            if not files:
                yield Outcome(
                    source, error=InputError(f"{source}: no .txt, .md or .jsonl files in this folder")
                )
            yield from read_sources([str(p) for p in files])
        elif path.suffix.lower() == ".jsonl":
            yield from read_jsonl(path)
        elif not path.exists():
            yield Outcome(source, error=InputError(f"{source}: no such file or folder"))
        else:
            try:
                yield Outcome(source, article=read_text_file(path))
            except InputError as exc:
                yield Outcome(source, error=exc)
