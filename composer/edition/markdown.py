"""An edition as Markdown, for ``$EDITOR``, and back: the editor's text becomes edits, nothing is lost.

The layout, which ``composer edition show`` prints and ``composer edition edit`` opens::

    ---
    subject: …            (empty: the title)
    preheader: …          (empty: the start of the first chapô)
    ---
    # Edition title

    Introduction, as many paragraphs as needed.

    ## Article title {#article-id}

    ### Chapô
    ### L'essentiel       (one "- " line per point)
    ### Récapitulatif factuel, ### Point de vue neutre, …   (the templates' headings)

Reading back, a changed block becomes an edit (the generated text is kept as its original), a
deleted ``###`` block drops that block, a deleted ``##`` block drops the article, and moved
``##`` blocks reorder the edition.  Anything that cannot be read is a :class:`MarkdownError`
naming the line, and nothing is applied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from composer.edition.edits import BLOCKS, EditKey, SectionEdit, block_text, save_edit
from composer.errors import InputError
from composer.models import Edition, EditionItem
from composer.store import Store

BLOCK_HEADINGS = {"chapo": "Chapô", "essentiel": "L'essentiel"}
_ARTICLE = re.compile(r"^##\s+(?P<title>.*?)\s*(?:\{#(?P<id>[^}\s]+)\})?\s*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_KEYS = ("subject", "preheader")


class MarkdownError(InputError):
    """The edited text cannot be read back; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class ParsedEdition:
    """What the editor's Markdown says."""

    title: str = ""
    subject: str = ""
    preheader: str = ""
    introduction: str = ""
    articles: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def _current(item: EditionItem, kind: str, edits: Mapping[EditKey, SectionEdit]) -> str | None:
    """The block's text as it stands (edit, else generated); None when dropped or absent."""
    edit = edits.get((item.article.id, kind))
    if edit is not None:
        return edit.edited if edit.edited.strip() else None
    if kind not in BLOCK_HEADINGS and not any(s.kind == kind for s in item.sections):
        return None
    return block_text(item, kind)


def to_markdown(
    generated: Edition, edits: Mapping[EditKey, SectionEdit], *, status: str = "draft", help_text: bool = True
) -> str:
    """The edition (as composed, ``generated``) with the editor's ``edits`` in place, as Markdown."""
    out: list[str] = []
    if help_text:
        out += [
            f"<!-- composer: edition {generated.id} ({status}).",
            "     Edit any text, save and quit: changed blocks become edits (composer keeps its own text).",
            "     Delete a ### block to drop that section, a ## block to drop the article;",
            "     move ## blocks to reorder. Empty subject or preheader: composer fills them in.",
            "     Text between these comment marks is ignored. -->",
        ]
    out += ["---", f"subject: {generated.subject}", f"preheader: {generated.preheader}", "---", ""]
    out += [f"# {generated.title}", ""]
    if generated.introduction.strip():
        out += [generated.introduction.strip(), ""]
    for item in generated.items:
        out += [f"## {_one_line(item.article.title)} {{#{item.article.id}}}", ""]
        headings = {s.kind: s.heading for s in item.sections}
        for kind in BLOCKS:
            text = _current(item, kind, edits)
            if text is None:
                continue
            if kind in BLOCK_HEADINGS and not text.strip():
                continue  # an article with no chapô or no "L'essentiel": nothing to show
            out.append(f"### {BLOCK_HEADINGS.get(kind) or headings.get(kind, kind)}")
            if kind == "essentiel":
                out += [f"- {line.strip()}" for line in text.splitlines() if line.strip()]
            else:
                out.append(text.strip())
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def parse(text: str, known: Mapping[str, str], headings: Mapping[str, str]) -> ParsedEdition:
    """Read the editor's Markdown.

    ``known`` maps article id → title (the articles the edition may carry), ``headings`` maps a
    section heading → its kind (the template's headings).
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # BOM, CRLF, CR
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    lines = text.split("\n")
    kinds = {_key(h): k for h, k in headings.items()} | {_key(h): k for k, h in BLOCK_HEADINGS.items()}
    titles = {_key(t): aid for aid, t in known.items()}
    parsed = ParsedEdition()
    n = 0
    while n < len(lines) and not lines[n].strip():
        n += 1
    if n < len(lines) and lines[n].strip() == "---":
        start = n
        n += 1
        while n < len(lines) and lines[n].strip() != "---":
            line = lines[n].strip()
            if line.startswith("# ") or line.startswith("## "):
                raise MarkdownError(start + 1, "the front matter opened with --- is never closed with ---")
            if line:
                key, sep, value = line.partition(":")
                if not sep or key.strip().lower() not in _FRONT_KEYS:
                    raise MarkdownError(
                        n + 1, f"expected 'subject: …' or 'preheader: …', found {line[:60]!r}"
                    )
                setattr(parsed, key.strip().lower(), value.strip())
            n += 1
        if n == len(lines):
            raise MarkdownError(start + 1, "the front matter opened with --- is never closed with ---")
        n += 1
    title_at = 0
    intro: list[str] = []
    article: dict[str, str] | None = None
    article_line = 0
    block: str | None = None
    body: list[str] = []
    seen: set[str] = set()

    def close_block() -> None:
        if article is not None and block is not None:
            article[block] = _block_body(block, body)

    for number in range(n, len(lines)):
        line = lines[number].rstrip()
        where = number + 1
        if line.startswith("# ") or line == "#":
            if title_at:
                raise MarkdownError(where, f"a second title line; the title is on line {title_at}")
            if article is not None:
                raise MarkdownError(where, "the title line (# …) must come before the articles")
            parsed.title = line[1:].strip()
            if not parsed.title:
                raise MarkdownError(where, "the title is empty; write it after '# '")
            title_at = where
        elif line.startswith("## ") or line == "##":
            close_block()
            match = _ARTICLE.match(line)
            assert match is not None
            aid = match.group("id") or titles.get(_key(match.group("title")), "")
            if aid not in known:
                raise MarkdownError(
                    where,
                    f"unknown article {line[3:][:60]!r}; keep the {{#id}} at the end of each ## line "
                    "(articles are added with `composer build --article ID`)",
                )
            if aid in seen:
                raise MarkdownError(where, f"article {aid} appears twice")
            seen.add(aid)
            article, article_line, block, body = {}, where, None, []
            parsed.articles.append((aid, article))
        elif line.startswith("### ") or line == "###":
            if article is None:
                raise MarkdownError(where, "a ### section outside an article; put it under its ## article")
            close_block()
            kind = kinds.get(_key(line[3:]))
            if kind is None:
                names = ", ".join(sorted({*BLOCK_HEADINGS.values(), *headings}))
                raise MarkdownError(where, f"unknown section {line[4:][:60]!r}; the sections are: {names}")
            if kind in article:
                raise MarkdownError(
                    where, f"section {line[4:]!r} appears twice in the article of line {article_line}"
                )
            block, body = kind, []
        elif article is None:
            if line.strip() and not title_at:
                raise MarkdownError(where, "text before the title line; the edition starts with '# Title'")
            intro.append(line)
        elif block is None:
            if line.strip():
                raise MarkdownError(
                    where, "text under an article but outside a ### section; put it in a section"
                )
        else:
            body.append(line)
    close_block()
    if not title_at:
        raise MarkdownError(max(1, len(lines)), "no title line; the edition starts with '# Title'")
    parsed.introduction = _paragraphs(intro)
    return parsed


def _paragraphs(lines: Sequence[str]) -> str:
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _block_body(kind: str, lines: Sequence[str]) -> str:
    if kind == "essentiel":
        points = [re.sub(r"^\s*[-*•]\s+", "", line, count=1).strip() for line in lines if line.strip()]
        return "\n".join(p for p in points if p)
    return " ".join(" ".join(lines).split())


@dataclass
class Applied:
    """What reading the Markdown back changed."""

    edited: int = 0
    reverted: int = 0
    dropped: int = 0
    articles_dropped: list[str] = field(default_factory=list)
    reordered: bool = False
    fields: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the editor."""
        parts = [
            f"{self.edited} block(s) edited",
            f"{self.dropped} dropped",
            f"{self.reverted} back to composer's text",
        ]
        if self.articles_dropped:
            parts.append(f"{len(self.articles_dropped)} article(s) removed")
        if self.reordered:
            parts.append("articles reordered")
        if self.fields:
            parts.append("changed: " + ", ".join(self.fields))
        return "; ".join(parts)


def apply(store: Store, generated: Edition, parsed: ParsedEdition) -> Applied:
    """Store what the editor's Markdown says about the draft ``generated`` (as composed, no edits)."""
    from composer.edition.stored import with_defaults

    done = Applied()
    eid = generated.id
    row = store.edition_row(eid)
    assert row is not None
    auto = with_defaults(Edition(eid, parsed.title or generated.title, generated.date, generated.items))
    fields: dict[str, str] = {}
    if _paragraphs(row["introduction"].split("\n")) == parsed.introduction:
        parsed.introduction = row["introduction"]  # the same paragraphs: keep the text as typed
    for name, value, defaults in (
        ("title", parsed.title, ()),
        ("introduction", parsed.introduction, ()),
        ("subject", parsed.subject, (auto.subject, "" if row["subject"] else generated.subject)),
        ("preheader", parsed.preheader, (auto.preheader, "" if row["preheader"] else generated.preheader)),
    ):
        if any(d and _key(value) == _key(d) for d in defaults):
            value = ""
        if value != row[name]:
            fields[name] = value
    if fields:
        store.update_edition(eid, **fields)
        done.fields = sorted(fields)
    order = [aid for aid, _ in parsed.articles]
    before = [i.article.id for i in generated.items]
    done.articles_dropped = [a for a in before if a not in order]
    done.reordered = [a for a in before if a in order] != order
    if done.articles_dropped or done.reordered:
        store.set_edition_articles(eid, order)
    items = {i.article.id: i for i in generated.items}
    for aid, blocks in parsed.articles:
        item = items[aid]
        for kind in BLOCKS:
            original = block_text(item, kind)
            exists = kind in BLOCK_HEADINGS or any(s.kind == kind for s in item.sections)
            if not exists:
                continue
            had = store.edit_row(eid, aid, kind)
            if kind in blocks:
                text = blocks[kind]
            elif kind in BLOCK_HEADINGS and not original.strip():
                continue
            else:
                text = ""
            kept = save_edit(store, eid, aid, kind, original, text)
            if kept and not text.strip():
                done.dropped += int(had is None or bool(had.edited.strip()))
            elif kept:
                done.edited += int(had is None or " ".join(had.edited.split()) != " ".join(text.split()))
            elif had is not None:
                done.reverted += 1
    return done
