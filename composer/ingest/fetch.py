"""Fetching a page or a feed over HTTP, with every limit a cron job needs.

A weekly run must never hang on one slow site nor fill the disk with one endless download, so a
fetch has connect/read timeouts, a bounded number of redirects and a streamed size limit, and
every failure becomes one :class:`InputError` that says what happened and what to try.  Only the
standard library is used: one GET per article does not justify an HTTP client dependency.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException
from typing import IO, Any

from composer.errors import InputError

USER_AGENT = "composer/0.1 (+newsletter composer)"
DEFAULT_TIMEOUT = 15.0
MAX_FETCH_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


@dataclass(frozen=True)
class Fetched:
    """What a server sent back: the body and what its headers say about it."""

    url: str
    final_url: str
    media_type: str
    charset: str
    data: bytes


def fetch_timeout(environ: dict[str, str] | None = None) -> float:
    """Seconds to wait for a connection or a read: ``COMPOSER_FETCH_TIMEOUT`` or 15."""
    raw = (os.environ if environ is None else environ).get("COMPOSER_FETCH_TIMEOUT", "")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handler with our bound instead of its ten hops."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.max_redirections = limit
        self.max_repeats = min(self.max_repeats, limit)


def _too_large(url: str, limit: int) -> InputError:
    return InputError(
        f"{url}: the page is larger than {limit // (1024 * 1024)} MB; it is not an article page"
    )


def _read_limited(response: IO[bytes], url: str, limit: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise _too_large(url, limit)
        if time.monotonic() > deadline:
            raise InputError(f"{url}: the download is too slow; try again later")
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
        return InputError(
            f"{url}: no answer within {timeout:g} s; try again later (or raise COMPOSER_FETCH_TIMEOUT)"
        )
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
) -> Fetched:
    """GET ``url`` and return its body; raise one :class:`InputError` on any failure.

    ``timeout`` bounds the connection and each read (default: :func:`fetch_timeout`); the whole
    download gets four times that, so a server dripping bytes cannot hold a cron run forever.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(f"{url}: only http:// and https:// addresses can be fetched")
    wait = timeout if timeout is not None else fetch_timeout()
    opener = urllib.request.build_opener(_Redirects(max_redirects))
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": _ACCEPT,
            "Accept-Language": "fr,en;q=0.7",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    deadline = time.monotonic() + 4 * wait
    try:
        with opener.open(request, timeout=wait) as response:
            headers: Message = response.headers
            length = headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(url, max_bytes)
            data = _read_limited(response, url, max_bytes, deadline)
            data = _decompress(data, headers.get("Content-Encoding", "").lower(), url, max_bytes)
            return Fetched(
                url=url,
                final_url=response.geturl(),
                media_type=headers.get_content_type().lower() if headers.get("Content-Type") else "",
                charset=headers.get_content_charset() or "",
                data=data,
            )
    except InputError:
        raise
    except (urllib.error.URLError, OSError, HTTPException, ValueError) as exc:
        raise _failure(url, exc, wait, max_redirects) from None
