"""A real HTTP server on 127.0.0.1 for the intake tests: saved pages plus every way a site fails.

Routes:
    /web/<file>        a file of tests/fixtures/web (``http://composer.test`` in it becomes this
                       server's address, so teaser feeds link back here); Content-Type by suffix,
                       no charset, except the overrides in ``_HEADERS``
    /latin1-header     the Latin-1 page with its charset only in the HTTP header (meta removed)
    /feed-as-html      the RSS feed served as text/html (kind must come from the content)
    /page-no-type      an HTML page with no Content-Type at all
    /404               not found
    /500               a server error
    /slow              answers after ``SLOW_SECONDS`` (tests use a much shorter timeout)
    /redirect/<n>      a chain of n redirects ending at the canonical-URL page
    /loop              a redirect to itself
    /redirect-to?url=U a redirect to U, whatever it is (file://, ftp://, a private address…)
    /huge              an endless streamed body (no Content-Length), to test the size limit
    /huge-declared     a Content-Length of 50 MB (refused before reading)
    /binary            a PNG image
    /gzip              the canicule page, gzip-compressed
    /drip-headers      the status line and headers one byte every ``DRIP_SECONDS`` (then the page)
    /drip-body         headers at once, then the page one byte every ``DRIP_SECONDS``, no length
    /teaser-feed?link=URL&link=URL…
                       an RSS feed: one teaser entry ("Lire la suite") per ``link``, in order,
                       then one full entry that needs no fetch

A drip never lasts more than ``DRIP_LIMIT`` seconds and stops when the client hangs up: a
per-read timeout never fires on it (each byte comes in time), only a total deadline does.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
SLOW_SECONDS = 5.0
DRIP_SECONDS = 0.5
DRIP_LIMIT = 90.0
FULL_ENTRY = (
    "La médiathèque ouvrira désormais le dimanche, de 10 heures à 18 heures, à partir de septembre. "
    "La mairie a recruté trois bibliothécaires pour tenir ces nouveaux horaires, réclamés depuis "
    "longtemps par les familles et les étudiants du quartier. Le coût annuel, estimé à 120 000 euros, "
    "sera partagé avec la communauté de communes. Les premiers dimanches proposeront des lectures "
    "pour les enfants, un atelier de réparation de vélos et une exposition de photographies anciennes "
    "du centre-ville, prêtées par les habitants eux-mêmes."
)
_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".json": "application/json",
}
_HEADERS = {
    "actu-canicule.html": "text/html; charset=utf-8",
    "atom.xml": "application/atom+xml; charset=utf-8",
}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)


class _Handler(BaseHTTPRequestHandler):
    server_version = "fixture/1.0"
    seen_agents: list[str] = []  # noqa: RUF012 - shared on purpose: the tests read it

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        return

    def _send(self, status: int, body: bytes, content_type: str | None = "text/html", **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _fixture(self, name: str) -> bytes:
        data = (FIXTURES / name).read_bytes()
        return data.replace(b"http://composer.test", f"http://127.0.0.1:{self.server.server_port}".encode())

    def do_GET(self) -> None:
        type(self).seen_agents.append(self.headers.get("User-Agent", ""))
        path = self.path.split("?")[0]
        # The client giving up (size limit, timeout) is the point of some tests.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLEOFError):
            if path.startswith("/drip-"):
                self._drip(path)
            elif path == "/redirect-to":
                [target] = parse_qs(urlsplit(self.path).query)["url"]
                self._send(302, b"", "text/html", Location=target)
            elif path == "/teaser-feed":
                links = parse_qs(urlsplit(self.path).query).get("link", [])
                self._send(200, _teaser_feed(links), "application/rss+xml")
            else:
                self._route(path)

    def _drip(self, path: str) -> None:
        """Answer so slowly that only a deadline on the whole request ends the wait."""
        page = self._fixture("actu-canicule.html")
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n"
        started = time.monotonic()
        if path == "/drip-headers":
            dripped, rest = head, page
        elif path == "/drip-body":
            self.wfile.write(head)
            self.wfile.flush()
            dripped, rest = page, b""
        else:
            self._send(404, b"<h1>Not found</h1>")
            return
        for byte in dripped:
            if time.monotonic() - started > DRIP_LIMIT:
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)
        self.wfile.write(rest)
        self.close_connection = True

    def _route(self, path: str) -> None:
        if path.startswith("/web/"):
            name = path[len("/web/") :]
            file = FIXTURES / name
            if "/" in name or not file.is_file():
                self._send(404, b"<h1>Not found</h1>")
                return
            kind = _HEADERS.get(name, _TYPES.get(file.suffix, "text/plain"))
            self._send(200, self._fixture(name), kind)
        elif path == "/latin1-header":
            data = self._fixture("regional-latin1.html").replace(b'charset=iso-8859-1"', b'"')
            self._send(200, data, "text/html; charset=ISO-8859-1")
        elif path == "/feed-as-html":
            self._send(200, self._fixture("rss.xml"), "text/html")
        elif path == "/page-no-type":
            self._send(200, self._fixture("bom-utf8.html"), None)
        elif path == "/404":
            self._send(404, b"<h1>Not found</h1>")
        elif path == "/500":
            self._send(500, b"<h1>Oops</h1>")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, self._fixture("actu-canicule.html"))
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            target = f"/redirect/{left - 1}" if left > 1 else "/web/actu-canicule.html"
            self._send(302, b"", "text/html", Location=target)
        elif path == "/loop":
            self._send(302, b"", "text/html", Location="/loop")
        elif path == "/huge":
            self._stream_forever()
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"x" * 1024)
        elif path == "/binary":
            self._send(200, PNG, "application/octet-stream")
        elif path == "/gzip":
            body = gzip.compress(self._fixture("actu-canicule.html"))
            self._send(200, body, "text/html; charset=utf-8", Content_Encoding="gzip")
        else:
            self._send(404, b"<h1>Not found</h1>")

    def _stream_forever(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        chunk = b"<p>" + b"bla " * 16000 + b"</p>\n"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.wfile.write(chunk)


def _teaser_feed(links: list[str]) -> bytes:
    """An RSS feed whose entries are teasers of ``links`` (addresses the feed, not the user, chose)."""
    items = [
        f"<item><title>Brève {n}</title><link>{html.escape(link)}</link>"
        f"<description>Deux lignes seulement… Lire la suite</description></item>"
        for n, link in enumerate(links, 1)
    ]
    items.append(
        "<item><title>Horaires élargis à la médiathèque</title><link>https://example.org/mediatheque</link>"
        f"<description>{html.escape(FULL_ENTRY)}</description></item>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Brèves</title>'
        f"<link>https://example.org/</link>{''.join(items)}</channel></rss>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def serve(cert: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Run the fixture server in a thread for the ``with`` block; yields its base URL.

    With ``cert`` (certificate, key) it speaks HTTPS, so the deadline is tested through TLS too.
    """
    server = _Server(("127.0.0.1", 0), _Handler)
    scheme = "http"
    if cert is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*cert)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def unused_port() -> int:
    """A loopback port nobody listens on (bound, then released), for refused connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
