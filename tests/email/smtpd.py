"""A real SMTP server on loopback (aiosmtpd) that can misbehave on purpose.

Faults, all optional: hang up with 421 after every N accepted messages, defer (451) some
recipients once, reject (550) others for good, and require AUTH over STARTTLS with a
self-signed certificate.  Every accepted message is parsed with the ``email`` package.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost, made with openssl for this test run only."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


# A configured newsletter: the shipped placeholders would stop an SMTP send (preflight).
CONFIGURED = {
    "COMPOSER_FROM": "La Lettre <lettre@lettre-test.fr>",
    "COMPOSER_POSTAL_ADDRESS": "La Lettre, 12 rue des Tests, 69001 Lyon",
    "COMPOSER_BASE_URL": "https://lettre-test.fr",
}


@dataclass
class Faults:
    """What the server does wrong."""

    hangup_every: int = 0
    defer_once: set[str] = field(default_factory=set)
    defer_always: set[str] = field(default_factory=set)
    reject: set[str] = field(default_factory=set)


class FaultyHandler:
    """aiosmtpd handler that records messages and injects the configured faults."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # the bytes as received, for checks the parser would hide
        self.deferred: set[str] = set()
        self.lock = threading.Lock()
        self.accepted_since_hangup = 0
        self.hangups = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower() in self.faults.reject:
            return "550 5.1.1 No such user here"
        if address.lower() in self.faults.defer_always:
            return "452 4.2.2 Mailbox temporarily over quota"
        if address.lower() in self.faults.defer_once and address.lower() not in self.deferred:
            self.deferred.add(address.lower())
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        every = self.faults.hangup_every
        if every and self.accepted_since_hangup >= every:
            self.accepted_since_hangup = 0
            self.hangups += 1
            asyncio.get_running_loop().call_soon(server.transport.close)
            return "421 4.7.0 Too many messages, closing connection"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.raw.append(bytes(envelope.content))
        self.accepted_since_hangup += 1
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start/stop wrapper around an aiosmtpd Controller on 127.0.0.1."""

    def __init__(
        self, faults: Faults | None = None, *, tls_dir: Path | None = None, user: str = "", password: str = ""
    ) -> None:
        self.handler = FaultyHandler(faults or Faults())
        self.port = free_port()
        self.cert: Path | None = None
        kwargs: dict[str, Any] = {}
        if tls_dir is not None:
            self.cert, key = self_signed_cert(tls_dir)
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, key)
            kwargs.update(tls_context=context, require_starttls=True)
        if user:

            def authenticator(
                server: Any, session: Any, envelope: Any, mechanism: str, data: Any
            ) -> AuthResult:
                ok = (
                    isinstance(data, LoginPassword)
                    and data.login.decode() == user
                    and data.password.decode() == password
                )
                return AuthResult(success=ok, handled=False)

            kwargs.update(
                authenticator=authenticator, auth_required=True, auth_require_tls=tls_dir is not None
            )
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    def env(self, security: str = "none", user: str = "", password: str = "") -> dict[str, str]:
        """COMPOSER_* variables that point composer at this server."""
        values = {
            "COMPOSER_TRANSPORT": "smtp",
            "COMPOSER_SMTP_HOST": "127.0.0.1",
            "COMPOSER_SMTP_PORT": str(self.port),
            "COMPOSER_SMTP_SECURITY": security,
            **CONFIGURED,
        }
        if user:
            values["COMPOSER_SMTP_USER"] = user
            values["COMPOSER_SMTP_PASSWORD"] = password
        if self.cert is not None:
            values["COMPOSER_SMTP_CAFILE"] = str(self.cert)
        return values
