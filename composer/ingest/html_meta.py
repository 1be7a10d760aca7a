"""An article page's metadata: title, author, date, canonical URL and chapô.

Read with the standard library's forgiving HTML parser, so broken markup still yields what it
can.  Each field has an order of trust, from what the publisher states for machines (Open Graph,
JSON-LD, ``<link rel=canonical>``) down to what a reader sees (``<h1>``, a "Par …" byline),
because the machine-readable fields are the ones publishers keep correct for sharing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ")
_CHAPO = re.compile(
    r"\b(chapo|chapeau|standfirst|article__desc|article-desc|lead|lede|intro|kicker|summary)\b", re.I
)
_AUTHOR_CLASS = re.compile(r"\b(author|auteur|byline|signature)\b", re.I)
_DATE_CLASS = re.compile(r"\b(date|published|publication|pubdate)\b", re.I)
_FR_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_BY = re.compile(r"^\s*(par|by|de)\s+", re.I)
_BY_NAME = re.compile(
    r"\b(?:[Pp]ar|[Bb]y)\s+([A-ZÀ-Ý][\w'’.-]+(?:\s+(?:de\s+|du\s+|le\s+)?[A-ZÀ-Ý][\w'’.-]+){0,3})"
)


@dataclass
class PageMeta:
    """Everything the page says about itself, before choosing among the candidates."""

    title_tag: str = ""
    h1: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str = ""
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    time_datetime: str = ""
    rel_author: str = ""
    class_author: str = ""
    class_date: str = ""
    chapo: str = ""


class _Collector(HTMLParser):
    """Collects the candidate fields in one pass; nesting errors only cost the field in progress.

    Several captures can run at once (a ``rel=author`` link inside a byline, a date inside a
    signature), each closed by the end tag matching the one that opened it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageMeta()
        self._open: dict[str, tuple[str, int, list[str]]] = {}  # field → (tag, depth, text)
        self._done: set[str] = set()

    def _start(self, what: str, tag: str) -> None:
        if what not in self._open and what not in self._done:
            self._open[what] = (tag, 0, [])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a and key not in self.page.meta:
                self.page.meta[key] = " ".join(a["content"].split())
            return
        if tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.page.canonical = self.page.canonical or a.get("href", "")
            return
        if tag == "time" and a.get("datetime") and not self.page.time_datetime:
            self.page.time_datetime = a["datetime"]
        for what, (open_tag, depth, buf) in list(self._open.items()):
            if tag == open_tag:
                self._open[what] = (open_tag, depth + 1, buf)
        cls = f"{a.get('class', '')} {a.get('id', '')}"
        if tag in ("title", "h1"):
            self._start(tag, tag)
        elif tag == "script" and "ld+json" in a.get("type", "").lower():
            self._open["script"] = (tag, 1, [])
        elif tag == "a" and "author" in a.get("rel", "").lower().split():
            self._start("rel_author", tag)
        if tag in ("p", "div", "h2", "span") and _CHAPO.search(cls):
            self._start("chapo", tag)
        if tag in ("span", "div", "p", "a") and _AUTHOR_CLASS.search(cls):
            self._start("class_author", tag)
        if tag in ("span", "div", "p", "time") and _DATE_CLASS.search(cls):
            self._start("class_date", tag)
        for what, (open_tag, depth, buf) in list(self._open.items()):
            if depth == 0:
                self._open[what] = (open_tag, 1, buf)

    def handle_endtag(self, tag: str) -> None:
        for what, (open_tag, depth, buf) in list(self._open.items()):
            if tag != open_tag:
                continue
            if depth > 1:
                self._open[what] = (open_tag, depth - 1, buf)
                continue
            del self._open[what]
            raw = "".join(buf)
            if what == "script":
                self._json_ld(raw)
                continue
            self._done.add(what)
            text = " ".join(raw.split())
            setattr(self.page, {"title": "title_tag"}.get(what, what), text)

    def handle_data(self, data: str) -> None:
        for _, _, buf in self._open.values():
            buf.append(data)

    def _json_ld(self, raw: str) -> None:
        try:
            data = json.loads(raw)
        except ValueError:
            return
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            graph = item.get("@graph")
            if isinstance(graph, list):
                self.page.json_ld.extend(g for g in graph if isinstance(g, dict))
            else:
                self.page.json_ld.append(item)


def read_page_meta(html: str) -> PageMeta:
    """Parse ``html`` for metadata; never raises on broken markup."""
    collector = _Collector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is very tolerant
        pass
    return collector.page


def _article_ld(page: PageMeta) -> dict[str, Any]:
    for item in page.json_ld:
        kind = item.get("@type", "")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.endswith(("Article", "BlogPosting", "Report")) for k in kinds):
            return item
    return {}


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value and not value.startswith("http") else []
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """``"Titre - Le Monde"`` → ``"Titre"``: drop the site name publishers append to titles."""
    title = " ".join(title.split())
    if site_name:
        for sep in _SEPARATORS:
            if title.lower().endswith((sep + site_name).lower()):
                return title[: -len(sep + site_name)].strip()
    for sep in _SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and len(tail.split()) <= 6 and len(head.split()) >= 3:
            return head.strip()
    return title


def choose_title(page: PageMeta) -> str:
    """og:title, else the ``<h1>``, else ``<title>``; the ``<h1>`` wins when it is the same headline."""
    site = page.meta.get("og:site_name", "")
    h1 = page.h1 if page.h1 and page.h1.lower() != site.lower() else ""
    for candidate in (page.meta.get("og:title", ""), page.meta.get("twitter:title", ""), page.title_tag):
        if not candidate:
            continue
        if h1 and candidate.startswith(h1):
            return h1
        return strip_site_suffix(candidate, site)
    return h1 or str(_article_ld(page).get("headline", ""))


def choose_author(page: PageMeta) -> str:
    """Meta author, JSON-LD author, a ``rel=author`` link, then a byline element ("Par …")."""
    for key in ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author"):
        names = _names(page.meta.get(key, ""))
        if names:
            return names[0]
    names = _names(_article_ld(page).get("author"))
    if names:
        return ", ".join(dict.fromkeys(" ".join(n.split()) for n in names))
    if page.rel_author and len(page.rel_author.split()) <= 5:
        return _BY.sub("", page.rel_author)
    match = _BY_NAME.search(page.class_author)
    if match:
        return match.group(1)
    text = _BY.sub("", page.class_author).split(" - ")[0].split(" (")[0].strip(" ,·|")
    return text if text and len(text.split()) <= 4 and not any(c.isdigit() for c in text) else ""


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` from an ISO timestamp, an RFC date or a French ``12/06/2024``; else ``""``."""
    value = value.strip()
    match = _ISO_DATE.search(value)
    if match:
        return match.group(0)
    match = _FR_DATE.search(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            return ""
    return ""


def choose_date(page: PageMeta) -> str:
    """The publication date: article:published_time, JSON-LD, dated metas, ``<time>``, a date element."""
    candidates = [
        page.meta.get("article:published_time", ""),
        str(_article_ld(page).get("datePublished", "")),
        *(page.meta.get(k, "") for k in ("date", "dc.date", "dc.date.issued", "pubdate", "publishdate")),
        page.time_datetime,
        page.class_date,
    ]
    for candidate in candidates:
        found = iso_date(candidate) if candidate else ""
        if found:
            return found
    return ""


def choose_url(page: PageMeta, base: str = "") -> str:
    """The canonical URL (``<link rel=canonical>``, og:url), else the address it was fetched from."""
    for candidate in (page.canonical, page.meta.get("og:url", ""), base):
        if candidate.strip():
            resolved = urljoin(base, candidate.strip()) if base else candidate.strip()
            if resolved.startswith(("http://", "https://")):
                return urldefrag(resolved)[0]
    return ""


def choose_subtitle(page: PageMeta) -> str:
    """The chapô: an element styled as one, else the page's description when it reads like a sentence."""
    if len(page.chapo) >= 40:
        return page.chapo
    for key in ("og:description", "description", "twitter:description"):
        text = page.meta.get(key, "")
        if len(text) >= 40 and not text.endswith(("...", "…")):
            return text
    return ""
