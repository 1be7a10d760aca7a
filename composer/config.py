"""One Settings object, read from the workspace's settings.toml and ``COMPOSER_*`` variables.

Environment variables win over the file so cron and CI can configure a run without editing it.
The SMTP password is only ever read from the environment (or a keyring) and is kept out of
``repr`` so it cannot reach a log.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from composer.errors import ConfigError

_SECURITY = ("none", "starttls", "ssl")
_TRANSPORTS = ("outbox", "smtp")


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know that is not in the database."""

    sender: str = "Composer <newsletter@example.org>"
    reply_to: str = ""
    postal_address: str = "composer, 1 rue de l'Exemple, 75000 Paris"
    newsletter_name: str = "La Lettre composer"
    language: str = "fr"
    base_url: str = "https://newsletter.example.org"
    transport: str = "outbox"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_security: str = "starttls"
    smtp_password: str = field(default="", repr=False)
    rate: float = 0.0
    smtp_backoff: float = 1.0
    smtp_timeout: float = 30.0
    unsubscribe_secret: str = field(default="", repr=False)
    unsubscribe_mailto: str = ""
    trusted_proxies: str = ""
    max_per_day: int = 0
    auto_edition: bool = True
    editor_email: str = ""
    feeds: tuple[str, ...] = ()
    # Network intake (composer add, the weekly feeds): totals, not per read, so a server dripping
    # bytes cannot hold a run; links found in feeds never reach private addresses unless allowed.
    fetch_timeout: float = 20.0
    feed_timeout: float = 60.0
    fetch_private: bool = False

    def __post_init__(self) -> None:
        if self.smtp_security not in _SECURITY:
            raise ConfigError(f"smtp_security is {self.smtp_security!r}; use one of {', '.join(_SECURITY)}")
        if self.transport not in _TRANSPORTS:
            raise ConfigError(f"transport is {self.transport!r}; use outbox or smtp")


_ENV = {
    "COMPOSER_FROM": "sender",
    "COMPOSER_REPLY_TO": "reply_to",
    "COMPOSER_POSTAL_ADDRESS": "postal_address",
    "COMPOSER_NEWSLETTER_NAME": "newsletter_name",
    "COMPOSER_TRANSPORT": "transport",
    "COMPOSER_SMTP_HOST": "smtp_host",
    "COMPOSER_SMTP_PORT": "smtp_port",
    "COMPOSER_SMTP_USER": "smtp_user",
    "COMPOSER_SMTP_SECURITY": "smtp_security",
    "COMPOSER_SMTP_PASSWORD": "smtp_password",
    "COMPOSER_RATE": "rate",
    "COMPOSER_SMTP_BACKOFF": "smtp_backoff",
    "COMPOSER_SMTP_TIMEOUT": "smtp_timeout",
    "COMPOSER_LANGUAGE": "language",
    "COMPOSER_BASE_URL": "base_url",
    "COMPOSER_UNSUBSCRIBE_SECRET": "unsubscribe_secret",
    "COMPOSER_UNSUBSCRIBE_MAILTO": "unsubscribe_mailto",
    "COMPOSER_TRUSTED_PROXIES": "trusted_proxies",
    "COMPOSER_MAX_PER_DAY": "max_per_day",
    "COMPOSER_EDITOR_EMAIL": "editor_email",
    "COMPOSER_AUTO_EDITION": "auto_edition",
    "COMPOSER_FETCH_TIMEOUT": "fetch_timeout",
    "COMPOSER_FEED_TIMEOUT": "feed_timeout",
    "COMPOSER_FETCH_PRIVATE": "fetch_private",
}
_SECRETS = {"smtp_password"}


def load_settings(settings_file: Path | None, environ: dict[str, str] | None = None) -> Settings:
    """Settings from ``settings_file`` (if it exists) overlaid with ``COMPOSER_*`` variables."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    origin: dict[str, str] = {}
    if settings_file is not None and settings_file.is_file():
        try:
            data = tomllib.loads(settings_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{settings_file} is not valid TOML ({exc}); fix or remove it") from None
        except OSError as exc:
            raise ConfigError(
                f"cannot read {settings_file} ({exc.strerror}); check its permissions"
            ) from None
        known = {f.name for f in fields(Settings)}
        for key, value in data.items():
            if key in _SECRETS:
                raise ConfigError(
                    f"{settings_file} holds {key}; remove it and set COMPOSER_SMTP_PASSWORD instead"
                )
            if key not in known:
                raise ConfigError(f"{settings_file}: unknown setting {key!r}")
            values[key] = value
            origin[key] = f"{settings_file}: {key}"
    for var, key in _ENV.items():
        if env.get(var):
            values[key] = env[var]
            origin[key] = var
    for key, value in list(values.items()):
        values[key] = _typed(key, value, origin[key])
    return Settings(**values)  # type: ignore[arg-type]


_DEFAULTS = Settings.__dataclass_fields__
_ADDRESSES = ("sender", "reply_to", "editor_email", "unsubscribe_mailto")
_POSITIVE = ("smtp_timeout", "fetch_timeout", "feed_timeout")  # 0 would mean "give up at once"


def _is_address(value: str) -> bool:
    """True when ``value`` is an address, bare or with a display name (``Name <a@b.fr>``)."""
    import re
    from email.utils import parseaddr

    _, address = parseaddr(value)
    return bool(re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+", address)) or bool(
        re.fullmatch(r"[^@\s<>]+@localhost", address)
    )


def _typed(key: str, value: object, where: str) -> object:
    """``value`` as the type the setting needs, or a ConfigError naming where it came from."""
    default = _DEFAULTS[key].default
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in (
                "1",
                "true",
                "yes",
                "on",
                "0",
                "false",
                "no",
                "off",
            ):
                return value.lower() in ("1", "true", "yes", "on")
            raise ValueError("expected true or false")
        if isinstance(default, int):
            whole = int(str(value))
            if whole < 0:
                raise ValueError("expected a whole number, 0 or more")
            return whole
        if isinstance(default, float):
            number = float(str(value))
            if number < 0 or (key in _POSITIVE and number == 0):
                raise ValueError("expected a positive number")
            return number
        if isinstance(default, tuple):
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValueError('expected a list of strings, like ["https://example.org/feed.xml"]')
            return tuple(value)
        if not isinstance(value, str):
            raise ValueError("expected a string")
        if key == "base_url" and not value.isascii():
            raise ValueError("expected an ASCII URL (percent-encode accented letters)")
        if key in _ADDRESSES and value.strip() and not _is_address(value):
            raise ValueError('expected an email address, like "La Lettre <lettre@mondomaine.fr>"')
        return value
    except ValueError as exc:
        raise ConfigError(f"{where} = {value!r} is not valid ({exc})") from None
