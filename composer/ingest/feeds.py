"""RSS and Atom feeds: one article per entry, fetching the page when the entry is only a teaser.

Many French sites put the whole article in ``content:encoded``; many others give two lines and a
"Lire la suite" link.  An entry is treated as a teaser when its text is short or ends in such a
link, and then the linked page is fetched and extracted like any page — a failure there is that
entry's error only, the rest of the feed still comes in.

The linked pages are addresses the *feed* chose, not the user, so they are fetched under two
extra limits (:class:`LinkedPages`): one time budget for all the pages of one feed, and no
loopback, private or link-local address unless the settings allow it.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from composer.errors import InputError
from composer.ingest.cleaning import CleanDocument
from composer.ingest.html import fragment_blocks, tidy_blocks
from composer.ingest.html_meta import iso_date
from composer.ingest.mojibake import repair_text
from composer.ingest.sources import Outcome, article_from_document, decode_document, sniff_kind

if TYPE_CHECKING:
    from composer.ingest.fetch import FetchPolicy

PageLoader = Callable[[str], CleanDocument]

TEASER_CHARS = 400
_READ_MORE = re.compile(
    r"(lire la suite|lire l['’]article|continuer la lecture|la suite sur|read more|continue reading|"
    r"\[(…|\.\.\.)\]|\[&#8230;\])\s*\W*$",
    re.IGNORECASE,
)
# feedparser flags these on perfectly good feeds (no Content-Type from a file, a charset mismatch).
_BENIGN = ("NonXMLContentType", "CharacterEncodingOverride")


class LinkedPages:
    """Fetch-and-extract for one feed's teaser links, all within one time budget.

    Each page gets the policy's own timeout, cut to what is left of ``feed_timeout`` for the
    feed; once the budget is spent the remaining links are not fetched (each such entry says
    so), so fifty slow teasers cost one budget, not fifty timeouts.  The budget starts with the
    first linked page: the time spent fetching the feed itself was the feed's own fetch.
    """

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._deadline: float | None = None

    def remaining(self) -> float:
        """Seconds left in this feed's budget."""
        if self._deadline is None:
            return self.policy.feed_timeout
        return max(0.0, self._deadline - time.monotonic())

    def _spent(self, url: str) -> InputError:
        return InputError(
            f"{url}: not fetched: the {self.policy.feed_timeout:g} s allowed for the pages of this feed "
            "are used up; add the page on its own, or raise feed_timeout (COMPOSER_FEED_TIMEOUT)"
        )

    def __call__(self, url: str) -> CleanDocument:
        """The page at ``url`` as a document (raises InputError)."""
        from composer.ingest.fetch import FetchTimeout, fetch
        from composer.ingest.html import html_document

        if self._deadline is None:
            self._deadline = time.monotonic() + self.policy.feed_timeout
        left = self.remaining()
        if left <= 0:
            raise self._spent(url)
        wait = min(self.policy.timeout, left)
        try:
            got = fetch(
                url, timeout=wait, max_bytes=self.policy.max_bytes, allow_private=self.policy.allow_private
            )
        except FetchTimeout:
            if wait < self.policy.timeout:  # the feed's budget, not the page's own timeout, ran out
                raise self._spent(url) from None
            raise
        if sniff_kind(got.data, media_type=got.media_type) != "html":
            raise InputError(
                f"{url}: the link does not lead to a web page ({got.media_type or 'unknown type'})"
            )
        decoded = decode_document(got.data, url, declared=got.charset, markup=True)
        return html_document(decoded.text, source=url, url=got.final_url)


def _serious_bozo(parsed: Any) -> str:
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    if exc is None or type(exc).__name__ in _BENIGN:
        return ""
    return str(getattr(exc, "getMessage", lambda: exc)()) or type(exc).__name__


def _entry_date(entry: Any) -> str:
    """The entry's date as written by the publisher (not shifted to UTC like feedparser's)."""
    for key in ("published", "updated", "created", "dc_date"):
        raw = str(entry.get(key, "") or "")
        if not raw:
            continue
        found = iso_date(raw)
        if found:
            return found
        try:
            return parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    return ""


def _entry_body(entry: Any) -> str:
    """The fullest text the entry carries: its longest ``content``, else its summary."""
    values = [str(c.get("value", "")) for c in entry.get("content", []) or []]
    values.append(str(entry.get("summary", "") or ""))
    return max(values, key=len)


def _plain(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def entry_document(entry: Any, load_page: PageLoader | None, where: str) -> CleanDocument:
    """A feed entry as a document; the linked page replaces a teaser body (raises InputError)."""
    title = repair_text(_plain(str(entry.get("title", "") or "")))
    link = str(entry.get("link", "") or "")
    author = repair_text(str(entry.get("author", "") or ""))
    date = _entry_date(entry)
    body = _entry_body(entry)
    blocks = tuple(tidy_blocks(fragment_blocks(body), title))
    text = " ".join(t for _, t in blocks)
    teaser = len(text) < TEASER_CHARS or bool(_READ_MORE.search(_plain(body)))
    if not teaser:
        return CleanDocument(title=title, blocks=blocks, author=author, date=date, url=link)
    if not link.startswith(("http://", "https://")):
        raise InputError(f"{where}: the entry has only a short teaser and no web link to the full article")
    if load_page is None:
        raise InputError(f"{where}: the entry is only a teaser; add {link} to fetch the full article")
    try:
        page = load_page(link)
    except InputError as exc:
        raise InputError(f"{where}: the full article could not be fetched: {exc}") from None
    return CleanDocument(
        title=title or page.title,
        blocks=page.blocks,
        subtitle=page.subtitle or (text if 0 < len(text) < TEASER_CHARS else ""),
        author=page.author or author,
        date=date or page.date,
        url=page.url or link,
    )


def read_feed(
    data: bytes, *, source: str, base_url: str = "", load_page: PageLoader | None = None
) -> Iterator[Outcome]:
    """One outcome per entry of an RSS or Atom feed held in ``data``."""
    try:
        import feedparser
    except ImportError:
        yield Outcome(
            source, error=InputError(f"{source}: reading feeds needs feedparser (pip install feedparser)")
        )
        return
    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(data, response_headers=headers)
    problem = _serious_bozo(parsed)
    if not parsed.entries or not parsed.get("version"):
        why = f" ({problem})" if problem else ""
        what = "a feed with no entries" if parsed.get("version") else "not a readable RSS or Atom feed"
        yield Outcome(source, error=InputError(f"{source}: {what}{why}; check the file or address"))
        return
    outcomes: list[Outcome] = []
    for number, entry in enumerate(parsed.entries, 1):
        label = _plain(str(entry.get("title", "") or ""))[:60]
        where = f"{source}, entry {number}" + (f" ({label!r})" if label else "")
        try:
            doc = entry_document(entry, load_page, where)
            outcomes.append(Outcome(where, article=article_from_document(doc, source=where)))
        except InputError as exc:
            outcomes.append(Outcome(where, error=exc))
    if problem and not any(o.article for o in outcomes):
        yield Outcome(
            source,
            error=InputError(f"{source}: not a well-formed feed ({problem}); check the file or address"),
        )
        return
    if problem:
        note = f"{source}: the feed is malformed ({problem}); read what could be read"
        outcomes[0] = dataclasses.replace(outcomes[0], warnings=(note,))
    yield from outcomes
