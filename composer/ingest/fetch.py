"""Fetching a page or a feed over HTTP, with every limit a cron job needs.

A weekly run must never hang on one slow site nor fill the disk with one endless download, so a
fetch has one *total* deadline — name lookup, connection, headers and body together — a bounded
number of redirects and a streamed size limit, and every failure becomes one :class:`InputError`
that says what happened and what to try.

The deadline holds against a server that drips one byte at a time, and links found in feeds
(``allow_private=False``) never reach loopback, private or link-local addresses: both are the work
of :mod:`composer.ingest.guard`, through which every connection of a fetch is made.

Only the standard library is used: one GET per article does not justify an HTTP client dependency.
"""

from __future__ import annotations

import os
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException
from typing import IO, Any

from composer.config import Settings
from composer.errors import InputError
from composer.ingest.guard import Guard, NotWeb, PrivateAddressRefused, opener

USER_AGENT = "composer/0.1 (+newsletter composer)"
DEFAULT_TIMEOUT: float = Settings.fetch_timeout
DEFAULT_FEED_TIMEOUT: float = Settings.feed_timeout
MAX_FETCH_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Fetched:
    """What a server sent back: the body and what its headers say about it."""

    url: str
    final_url: str
    media_type: str
    charset: str
    data: bytes


@dataclass(frozen=True)
class FetchPolicy:
    """How one batch may use the network: time limits, the size cap, private addresses.

    ``timeout`` is the total for one fetch (lookup, connection, headers, body); ``feed_timeout``
    the total for all the pages one feed's teaser entries link to, so a feed of fifty slow
    teasers cannot hold a cron run for fifty timeouts; ``allow_private`` lets links *found* in
    feeds lead to loopback and private addresses (the addresses a user types are always
    fetched).
    """

    timeout: float = DEFAULT_TIMEOUT
    feed_timeout: float = DEFAULT_FEED_TIMEOUT
    allow_private: bool = False
    max_bytes: int = MAX_FETCH_BYTES

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy a workspace's settings (file and ``COMPOSER_*`` variables) ask for."""
        return cls(
            timeout=settings.fetch_timeout,
            feed_timeout=settings.feed_timeout,
            allow_private=settings.fetch_private,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchPolicy:
        """The policy of the ``COMPOSER_FETCH_*`` variables alone, for commands without a workspace.

        ``composer ingest`` has no settings file; an unreadable value falls back to the default
        rather than failing a command that may not fetch anything.
        """
        env = os.environ if environ is None else environ
        return cls(
            timeout=_seconds(env.get("COMPOSER_FETCH_TIMEOUT", ""), DEFAULT_TIMEOUT),
            feed_timeout=_seconds(env.get("COMPOSER_FEED_TIMEOUT", ""), DEFAULT_FEED_TIMEOUT),
            allow_private=env.get("COMPOSER_FETCH_PRIVATE", "").strip().lower() in _TRUE,
        )


def _seconds(raw: str, default: float) -> float:
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def fetch_timeout(environ: Mapping[str, str] | None = None) -> float:
    """Seconds one fetch may take in all: ``COMPOSER_FETCH_TIMEOUT`` or the default (20)."""
    return FetchPolicy.from_env(environ).timeout


class FetchTimeout(InputError):
    """The fetch did not complete within its deadline."""


class _Expired(Exception):
    """The fetch's deadline passed (raised where no urllib error carries it out)."""


def _too_large(url: str, limit: int) -> InputError:
    return InputError(
        f"{url}: the page is larger than {limit // (1024 * 1024)} MB; it is not an article page"
    )


def _read_limited(response: IO[bytes], url: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _too_large(url, limit)
        chunks.append(chunk)


def _decompress(data: bytes, encoding: str, url: str, limit: int) -> bytes:
    """Undo gzip/deflate, some servers send it unasked; bounded so a zip bomb stays small."""
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return data
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32 if "gzip" in encoding else zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise InputError(f"{url}: the server sent a corrupt compressed body; try again later") from None
    if len(out) > limit:
        raise _too_large(url, limit)
    return out


def _timed_out(url: str, seconds: float, answered: bool) -> FetchTimeout:
    what = "the download did not finish" if answered else "no answer"
    return FetchTimeout(
        f"{url}: {what} within {seconds:g} s; try again later "
        "(or raise fetch_timeout / COMPOSER_FETCH_TIMEOUT)"
    )


def _refused(url: str, exc: PrivateAddressRefused) -> InputError:
    return InputError(
        f"{url}: not fetched: {exc.describe(url)}, and links found in feeds may only lead to public "
        "sites; set fetch_private = true (COMPOSER_FETCH_PRIVATE=1) to allow it"
    )


def _failure(url: str, exc: BaseException, timeout: float, max_redirects: int) -> InputError:
    """One actionable line for each way a fetch can fail."""
    if isinstance(exc, urllib.error.HTTPError):
        if 300 <= exc.code < 400:
            return InputError(
                f"{url}: more than {max_redirects} redirects (or a redirect loop); "
                "open it in a browser and give the final address"
            )
        if exc.code in (401, 403):
            return InputError(
                f"{url}: the server refused access ({exc.code}); the page may need a login; save it as HTML"
            )
        if exc.code in (404, 410):
            return InputError(f"{url}: the server answered {exc.code} (page not found); check the address")
        return InputError(f"{url}: the server answered {exc.code} {exc.reason}; try again later")
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return _timed_out(url, timeout, answered=False)
    if isinstance(reason, ConnectionRefusedError):
        return InputError(f"{url}: connection refused; check the address and that the site is up")
    if isinstance(reason, socket.gaierror):
        return InputError(f"{url}: unknown host; check the address and your network connection")
    if isinstance(reason, ssl.SSLError):
        return InputError(
            f"{url}: secure connection failed ({reason.reason or reason}); save the page instead"
        )
    if isinstance(reason, OSError):
        detail = reason.strerror or str(reason)
        return InputError(f"{url}: network error ({detail}); check the address and your connection")
    return InputError(f"{url}: the download failed ({reason}); try again later")


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int = MAX_FETCH_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    allow_private: bool = True,
) -> Fetched:
    """GET ``url`` and return its body; raise one :class:`InputError` on any failure.

    ``timeout`` (default :func:`fetch_timeout`) bounds the whole fetch — lookup, connection,
    redirects, headers and body — not each read.  ``allow_private=False`` (links found in
    feeds) refuses hosts, redirects included, that resolve to non-public addresses.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{url}: only http:// and https:// addresses can be fetched")
    wait = timeout if timeout is not None and timeout > 0 else fetch_timeout()
    guard = Guard(wait, allow_private)
    fetcher = opener(guard, max_redirects)
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": _ACCEPT,
            "Accept-Language": "fr,en;q=0.7",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    answered = False
    try:
        with fetcher.open(request, timeout=wait) as response:
            answered = True
            headers: Message = response.headers
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            data = _read_limited(response, url, max_bytes)
            if guard.expired:  # the watchdog cut the body short: what was read is not the page
                raise _Expired
            data = _decompress(data, headers.get("Content-Encoding", "").lower(), url, max_bytes)
            return Fetched(
                url=url,
                final_url=response.geturl(),
                media_type=headers.get_content_type().lower() if headers.get("Content-Type") else "",
                charset=headers.get_content_charset() or "",
                data=data,
            )
    except PrivateAddressRefused as exc:
        raise _refused(url, exc) from None
    except NotWeb as exc:
        raise InputError(
            f"{url}: it redirects to {str(exc)[:100]}, which is not a web address; it cannot be fetched"
        ) from None
    except InputError:
        raise
    except (_Expired, urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
        if guard.expired or isinstance(exc, _Expired):
            raise _timed_out(url, wait, answered) from None
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else None
        if isinstance(reason, PrivateAddressRefused):
            raise _refused(url, reason) from None
        raise _failure(url, exc, wait, max_redirects) from None
    finally:
        guard.finish()
