"""A small main-content extractor with no dependency: the fallback when trafilatura is absent.

It drops what is never article text (scripts, navigation, cookie banners, comments, "Articles
connexes" boxes — recognised by tag and by class or id), prefers the most specific article
container the page marks up, and keeps headings, list items and quotes as their own blocks.  It
is also used for feed entries, whose HTML fragments are already the article body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from composer.models import ParagraphKind

_SKIP_TAGS = frozenset(
    "title script style noscript template nav footer aside form button select textarea iframe svg canvas "
    "figcaption label dialog menu object embed audio video".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|rgpd|banner|share|sharing|social|comment|related|connexe|newsletter|promo|"
    r"paywall|subscribe|abonn|sidebar|widget|breadcrumb|\bmenu|navbar|footer|\bads?\b|advert|pub\b|"
    r"author-box|tags|read-?more|lire-?aussi|read-also|voir-aussi|affiliate|popup|modal|\bmeta\b|"
    r"byline|signature|caption|credit|most-read|plus-lus|skip",
    re.IGNORECASE,
)
_BODY = re.compile(
    r"article[-_]?body|articlebody|article__content|article-content|entry-content|post-content|"
    r"post-body|story-body|content-body|texte-article|article-text",
    re.IGNORECASE,
)
_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote section article main header table tr td th dd dt "
    "pre br hr figure center".split()
)
# Scope ranks: 3 = marked as the article body, 2 = <article>, 1 = <main>, 0 = anywhere.
_SCOPE_TAGS = {"article": 2, "main": 1}


@dataclass
class _Block:
    kind: ParagraphKind
    text: str
    scope: int
    link_chars: int


class _Extractor(HTMLParser):
    """Turns a page into typed blocks, remembering the most specific container each came from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._skip = ""  # the tag that opened the subtree being skipped, and how deep we are in it
        self._skip_depth = 0
        self._scopes: list[tuple[str, int]] = []
        self._scope_depth: dict[int, int] = {}
        self._buf: list[str] = []
        self._links = 0
        self._in_link = 0
        self._heading = 0
        self._item = 0
        self._quote = 0

    # -- state ------------------------------------------------------------------------------

    def _kind(self) -> ParagraphKind:
        if self._heading:
            return "heading"
        if self._quote:
            return "quote"
        if self._item:
            return "bullet"
        return "paragraph"

    def _flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            scope = max((rank for _, rank in self._scopes), default=0)
            self.blocks.append(_Block(self._kind(), text, scope, min(self._links, len(text))))
        self._buf, self._links = [], 0

    # -- parser callbacks -----------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip and tag not in _VOID:
                self._skip_depth += 1
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        marks = f"{a.get('class', '')} {a.get('id', '')} {a.get('role', '')}"
        hidden = "hidden" in a or a.get("aria-hidden") == "true"
        if (
            tag in _SKIP_TAGS
            or hidden
            or (tag not in ("body", "html", "main") and _BOILERPLATE.search(marks))
        ):
            if tag not in _VOID:
                self._flush()
                self._skip, self._skip_depth = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        rank = 3 if (_BODY.search(marks) or a.get("itemprop") == "articleBody") else _SCOPE_TAGS.get(tag, 0)
        if rank and tag not in _VOID:
            self._scopes.append((tag, rank))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading += 1
        elif tag == "li":
            self._item += 1
        elif tag == "blockquote":
            self._quote += 1
        elif tag == "a":
            self._in_link += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip = ""
            return
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = max(0, self._heading - 1)
        elif tag == "li":
            self._item = max(0, self._item - 1)
        elif tag in ("ul", "ol"):
            self._item = 0
        elif tag == "blockquote":
            self._quote = max(0, self._quote - 1)
        elif tag == "a":
            self._in_link = max(0, self._in_link - 1)
        for i in range(len(self._scopes) - 1, -1, -1):
            if self._scopes[i][0] == tag:
                del self._scopes[i]
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._buf.append(data)
        if self._in_link:
            self._links += len(" ".join(data.split()))

    def close(self) -> None:
        super().close()
        self._flush()


def extract_blocks(html: str, *, fragment: bool = False) -> list[tuple[ParagraphKind, str]]:
    """The main-content blocks of a page (or of a fragment, kept whole), in order.

    Blocks come from the most specific container present (marked article body, then
    ``<article>``, then ``<main>``); link lists and "Lire aussi" lines are dropped by link density.
    """
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    if not fragment and blocks:
        best = max(b.scope for b in blocks)
        in_scope = [b for b in blocks if b.scope >= best]
        if sum(len(b.text) for b in in_scope) >= 200:
            blocks = in_scope
    return [(b.kind, b.text) for b in blocks if b.link_chars <= 0.5 * len(b.text)]
