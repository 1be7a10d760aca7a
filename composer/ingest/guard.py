"""Where and for how long one fetch may connect: the total deadline and the address rule.

Why a watchdog rather than socket timeouts alone: a socket timeout bounds each read, and a server
dripping one byte every half second never lets a read time out — urllib would wait for the status
line, then for every header line, for as long as the server cares to drip (minutes, in practice
forever).  So each fetch gets a :class:`Guard` whose timer shuts the fetch's sockets down at the
deadline; whatever the fetch was blocked in then returns or fails at once, and the fetch reports
the time-out.  Name lookups run in a thread bounded by the same deadline (the C resolver has no
timeout of its own).

Links *found* in feeds are not addresses the user chose: a feed (or a page it redirects to) could
point composer at the machine's own services or a cloud metadata endpoint (169.254.169.254).  For
such fetches the guard resolves each host, redirects included, refuses every loopback, private,
link-local or otherwise non-public address, and connects to the address it checked — no second
lookup an attacker's DNS could answer differently.

:func:`opener` is urllib's opener cut down to http(s) through these connections: ``build_opener``
would add ftp:// and file:// handlers, and urllib follows redirects to ftp://.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import threading
import time
import urllib.request
from collections.abc import Callable
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from composer.errors import InputError


def is_public_address(address: str) -> bool:
    """True for an address on the public internet; False for loopback, private, link-local…

    ``is_global`` already excludes every special-purpose range (RFC 1918, 127/8, 169.254/16,
    100.64/10, ::1, fc00::/7, fe80::/10, documentation and reserved blocks); an IPv4 address
    written as IPv6 (``::ffff:127.0.0.1``) is judged as the IPv4 address it is.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _address_kind(address: str) -> str:
    """``loopback``, ``link-local``, ``private`` or ``non-public``: what a refusal calls an address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "non-public"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
    ):
        if flag:
            return name
    return "non-public"


class PrivateAddressRefused(InputError):
    """A link found in a feed leads to a loopback, private or link-local address."""

    def __init__(self, host: str, address: str) -> None:
        self.host, self.address = host.strip("[]"), address
        super().__init__(f"{self.host} resolves to {address}")

    def describe(self, url: str) -> str:
        """``169.254.169.254 is a link-local address``, or how ``url`` got there."""
        kind = f"a {_address_kind(self.address)} address"
        where = (
            self.address if self.host == self.address else f"{self.host}, which resolves to {self.address}"
        )
        if self.host != (urlsplit(url).hostname or ""):
            return f"it redirects to {where}, {kind}"
        return f"{where} is {kind}" if self.host == self.address else f"{where}, {kind}"


class Guard:
    """One fetch's deadline, sockets and address rule, shared by every redirect hop.

    ``expire`` runs on a timer thread: it shuts down every socket the fetch opened, which wakes
    whatever read the main thread is blocked in.  The sockets watched are duplicates of the
    fetch's own (same connection, another descriptor), so shutting them down works even after
    TLS wrapped the original, and closing them at the end can never touch a descriptor the
    process has since reused for something else.
    """

    def __init__(self, seconds: float, allow_private: bool) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.allow_private = allow_private
        self.expired = False
        self.target = ""
        self._watched: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left before the deadline (0 when it has passed)."""
        return max(0.0, self.deadline - time.monotonic())

    def expire(self) -> None:
        """Deadline reached: wake the fetch by shutting its connections down."""
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._watched:
                with contextlib.suppress(OSError):  # already closed by its connection: fine
                    sock.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        """Stop the timer and release the watched descriptors."""
        self._timer.cancel()
        with self._lock:
            self._done = True
            for sock in self._watched:
                sock.close()
            self._watched.clear()

    def _watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                raise TimeoutError("deadline passed")
            self._watched.append(sock.dup())

    def connect(
        self, address: tuple[str, int], timeout: float | None, source_address: Any = None
    ) -> socket.socket:
        """``socket.create_connection`` under the deadline and, for the fetched host, the address rule.

        http.client calls this for every connection (through ``_create_connection``); when a
        proxy is in use ``address`` is the proxy's and only the target host is checked.
        """
        host, port = address
        candidates = _resolve(host, port, self.remaining())
        if not self.allow_private and host.lower() == self.target:
            # Connect only to the addresses checked here: no second lookup to answer differently.
            public = [c for c in candidates if is_public_address(c[4][0])]
            if not public:
                raise PrivateAddressRefused(host, candidates[0][4][0])
            candidates = public
        elif not self.allow_private and self.target:
            # Through a proxy: the proxy connects, but the target must still be public.
            checked = _resolve(self.target, port, self.remaining())
            if not any(is_public_address(c[4][0]) for c in checked):
                raise PrivateAddressRefused(self.target, checked[0][4][0])
        error: OSError | None = None
        for family, kind, proto, _, sockaddr in candidates:
            sock = socket.socket(family, kind, proto)
            try:
                self._watch(sock)
                sock.settimeout(max(0.01, min(self.remaining(), timeout or self.seconds)))
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"no address for {host}")


def _resolve(host: str, port: int, seconds: float) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` bounded by ``seconds``: the C resolver has no timeout of its own.

    A lookup that outlives the deadline is left to finish in a daemon thread (nothing can
    interrupt it) and the fetch reports the time-out.
    """
    found: dict[str, Any] = {}

    def lookup() -> None:
        try:
            found["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            found["error"] = exc

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError(f"looking up {host} took too long")
    if "error" in found:
        raise found["error"]
    if not found.get("ok"):
        raise socket.gaierror(f"no address for {host}")
    return list(found["ok"])


def _guarded(base: type[http.client.HTTPConnection], guard: Guard) -> Callable[..., Any]:
    """A connection factory for urllib whose sockets come from ``guard``."""

    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = base(host, **kwargs)
        conn._create_connection = guard.connect  # type: ignore[attr-defined]
        return conn

    return make


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self._guard = guard

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        self._guard.target = urlsplit(req.full_url).hostname or ""
        return self.do_open(_guarded(http.client.HTTPConnection, self._guard), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, guard: Guard) -> None:
        super().__init__()
        self._guard = guard

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        self._guard.target = urlsplit(req.full_url).hostname or ""
        context = getattr(self, "_context", None)
        return self.do_open(_guarded(http.client.HTTPSConnection, self._guard), req, context=context)


class NotWeb(Exception):
    """A redirect to something other than http(s) (ftp://, file://…): never followed."""


class _Redirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handler with our bound instead of its ten hops, and http(s) only."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.max_redirections = limit
        self.max_repeats = min(self.max_repeats, limit)

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Message) -> Any:
        target = headers.get("location") or headers.get("uri") or ""
        if urlsplit(target).scheme.lower() not in ("", "http", "https"):
            fp.close()
            raise NotWeb(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def opener(guard: Guard, max_redirects: int) -> urllib.request.OpenerDirector:
    """urllib's default opener for http(s) only: no ftp:// or file:// a redirect could lead to.

    ``build_opener`` would add the FTP and file handlers, and urllib follows redirects to
    ftp:// — outside the deadline and the address rule.  Proxies from the environment still
    apply.
    """
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(max_redirects),
        urllib.request.HTTPErrorProcessor(),
        _HTTP(guard),
        _HTTPS(guard),
    ):
        opener.add_handler(handler)
    return opener
