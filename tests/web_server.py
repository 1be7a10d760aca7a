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
    /huge              an endless streamed body (no Content-Length), to test the size limit
    /huge-declared     a Content-Length of 50 MB (refused before reading)
    /binary            a PNG image
    /gzip              the canicule page, gzip-compressed
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"
SLOW_SECONDS = 5.0
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
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(path)

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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def serve() -> Iterator[str]:
    """Run the fixture server in a thread for the ``with`` block; yields its base URL."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def unused_port() -> int:
    """A loopback port nobody listens on (bound, then released), for refused connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
