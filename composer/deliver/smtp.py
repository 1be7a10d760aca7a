"""SMTP delivery over one reused connection, via yagmail for connecting and logging in.

yagmail's own ``send()`` rewrites the HTML, puts HTML source in the text part, opens a
connection per call and derives Message-IDs from From/To/Subject; composer builds the message
itself and only borrows yagmail's connection and login handling, then speaks to the
``smtplib`` connection directly so it can tell a 421 hang-up (reconnect), a 4xx deferral
(retry with backoff) and a 5xx rejection (record and go on) apart.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from collections.abc import Callable
from email.utils import parseaddr

from composer.config import Settings
from composer.deliver.message import Outgoing
from composer.errors import ConfigError, PermanentFailure, TemporaryFailure, TransportError


def _password(settings: Settings) -> str:
    """The SMTP password: the environment first, then the system keyring; never a prompt."""
    if settings.smtp_password:
        return settings.smtp_password
    try:
        import keyring  # optional

        found = keyring.get_password("composer", settings.smtp_user)
    except Exception:  # keyring missing or no backend: both mean "not there"
        found = None
    if not found:
        raise ConfigError(
            f"no SMTP password for {settings.smtp_user}; set COMPOSER_SMTP_PASSWORD "
            "(or store it with `keyring set composer USER`)"
        )
    return str(found)


def tls_context(settings: Settings) -> ssl.SSLContext:
    """A verifying TLS context; COMPOSER_SMTP_CAFILE adds a private CA (or a self-signed server)."""
    import os

    cafile = os.environ.get("COMPOSER_SMTP_CAFILE") or None
    return ssl.create_default_context(cafile=cafile)


class SmtpTransport:
    """Sends messages over one SMTP connection, reconnecting when the server hangs up."""

    name = "smtp"

    def __init__(
        self,
        settings: Settings,
        *,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep
        self.reconnects = 0
        self._client: object | None = None
        self._conn: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect (and log in when a user is configured)."""
        import yagmail

        s = self.settings
        security = s.smtp_security
        context = tls_context(s)
        kwargs: dict[str, object] = {"timeout": self.timeout}
        if security == "ssl":
            kwargs["context"] = context
        client = yagmail.SMTP(
            user=s.smtp_user or parseaddr(s.sender)[1] or "composer@localhost",
            password=_password(s) if s.smtp_user else "",
            host=s.smtp_host,
            port=s.smtp_port,
            smtp_ssl=security == "ssl",
            smtp_starttls={"context": context} if security == "starttls" else False,
            smtp_skip_login=not s.smtp_user,
            soft_email_validation=False,
            **kwargs,
        )
        # yagmail appends "@gmail.com" to a user name without "@"; any SMTP server must work.
        client.user = s.smtp_user
        try:
            client.login()
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportError(
                f"the SMTP server {s.smtp_host} refused the login for {s.smtp_user} ({exc.smtp_code}); "
                "check COMPOSER_SMTP_USER and COMPOSER_SMTP_PASSWORD"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(
                f"cannot connect to the SMTP server {s.smtp_host}:{s.smtp_port} ({exc}); "
                "check COMPOSER_SMTP_HOST, COMPOSER_SMTP_PORT and COMPOSER_SMTP_SECURITY"
            ) from None
        self._client = client
        self._conn = client.smtp

    def _reconnect(self) -> None:
        self.reconnects += 1
        self.close()
        self.open()

    def send(self, message: Outgoing) -> None:
        """Send one message.

        Raises TemporaryFailure or PermanentFailure when the server refuses this *recipient*
        (RCPT), and TransportError when it refuses the sender or the message itself (MAIL FROM,
        DATA, authentication): those would fail for everyone, so the run stops and can resume
        instead of marking the whole list failed.
        """
        attempt = 0
        hangups = 0
        while True:
            if self._conn is None:
                self.open()
            assert self._conn is not None
            try:
                refused = self._conn.sendmail(message.sender, [message.recipient], message.data)
            except UnicodeError:
                raise PermanentFailure(
                    f"{message.recipient}: the address or a header is not ASCII and the server "
                    "was not asked for SMTPUTF8"
                ) from None
            except (TimeoutError, smtplib.SMTPServerDisconnected, ConnectionError) as exc:
                hangups += 1
                if hangups > self.retries:
                    raise TransportError(f"the SMTP server keeps hanging up ({exc})") from None
                self._reconnect()
                continue
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                error = _classify(code, reply)
            except smtplib.SMTPResponseException as exc:
                if exc.smtp_code == 421:  # "service closing": reconnect and try again
                    hangups += 1
                    if hangups > self.retries:
                        raise TransportError(f"the SMTP server keeps closing ({exc.smtp_error!r})") from None
                    self._reconnect()
                    continue
                self._reset()
                if exc.smtp_code >= 500 or attempt >= self.retries:
                    text = (
                        exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
                    )
                    raise TransportError(
                        f"the SMTP server refused the sender or the message ({exc.smtp_code} {text}); "
                        "check COMPOSER_FROM, the login (COMPOSER_SMTP_USER) and the server's logs, then "
                        "run the same command again: what was sent is not sent twice"
                    ) from None
                error = _classify(exc.smtp_code, exc.smtp_error)
            else:
                if refused:
                    code, reply = next(iter(refused.values()))
                    raise _classify(code, reply)
                return
            if isinstance(error, PermanentFailure) or attempt >= self.retries:
                raise error
            self.sleep(self.backoff * (2**attempt))
            attempt += 1

    def _reset(self) -> None:
        try:
            if self._conn is not None:
                self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._conn = None

    def close(self) -> None:
        """Say QUIT politely; a dead connection is simply dropped."""
        if self._conn is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._conn.quit()
        self._conn = None
        self._client = None


def _classify(code: int, reply: bytes | str) -> TemporaryFailure | PermanentFailure:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    detail = f"{code} {text}".strip()
    return TemporaryFailure(detail) if 400 <= code < 500 else PermanentFailure(detail)
