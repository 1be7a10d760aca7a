"""Settings: file, then COMPOSER_* variables; the password never comes from or goes to a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.config import load_settings
from composer.errors import ConfigError


def test_environment_wins_over_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('transport = "outbox"\nsmtp_host = "mail.example.org"\nsmtp_port = 25\n')
    settings = load_settings(path, {"COMPOSER_SMTP_PORT": "2525", "COMPOSER_TRANSPORT": "smtp"})
    assert (settings.smtp_host, settings.smtp_port, settings.transport) == ("mail.example.org", 2525, "smtp")


def test_password_is_never_in_repr() -> None:
    settings = load_settings(None, {"COMPOSER_SMTP_PASSWORD": "hunter2-secret"})
    assert settings.smtp_password == "hunter2-secret"
    assert "hunter2" not in repr(settings)


def test_password_in_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('smtp_password = "x"\n')
    with pytest.raises(ConfigError, match="COMPOSER_SMTP_PASSWORD"):
        load_settings(path, {})


@pytest.mark.parametrize(
    "env",
    [{"COMPOSER_SMTP_SECURITY": "tls13"}, {"COMPOSER_SMTP_PORT": "abc"}, {"COMPOSER_TRANSPORT": "pigeon"}],
)
def test_bad_values_say_what_to_use(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(None, env)


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("base_url = 5", "base_url = 5"),
        ('feeds = "https://example.org/feed.xml"', "list of strings"),
        ('auto_edition = "nope"', "true or false"),
        ('base_url = "https://example.org/désabo"', "ASCII URL"),
        ("smtp_timeout = 0", "positive"),
    ],
)
def test_settings_file_types_are_checked(tmp_path: Path, toml: str, needle: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=needle) as info:
        load_settings(path, {})
    assert str(path) in str(info.value)


def test_env_booleans_and_lists() -> None:
    assert load_settings(None, {"COMPOSER_AUTO_EDITION": "off"}).auto_edition is False
    with pytest.raises(ConfigError, match="COMPOSER_SMTP_TIMEOUT"):
        load_settings(None, {"COMPOSER_SMTP_TIMEOUT": "-1"})
