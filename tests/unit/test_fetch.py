"""HTTP fetching against a real loopback server: limits, redirects and every failure, fast.

The deadline tests use servers that drip one byte every half second: each read succeeds in
time, so only a deadline on the whole request can end them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.config import Settings, load_settings
from composer.errors import ConfigError, InputError
from composer.ingest.fetch import USER_AGENT, FetchPolicy, fetch, fetch_timeout
from composer.ingest.guard import is_public_address
from tests import web_server
from tests.web_server import serve, unused_port


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def _error(url: str, **kwargs: object) -> str:
    with pytest.raises(InputError) as info:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(url) and "\n" not in message
    return message


def test_fetches_a_page_with_our_user_agent(base: str) -> None:
    got = fetch(f"{base}/web/actu-canicule.html", timeout=2)
    assert got.media_type == "text/html" and got.charset == "utf-8"
    assert "îlots de fraîcheur".encode() in got.data
    assert USER_AGENT in web_server._Handler.seen_agents
    assert USER_AGENT == "composer/0.1 (+newsletter composer)"


def test_follows_a_bounded_number_of_redirects(base: str) -> None:
    got = fetch(f"{base}/redirect/3", timeout=2)
    assert got.final_url == f"{base}/web/actu-canicule.html"
    assert "more than 5 redirects" in _error(f"{base}/redirect/8", timeout=2)
    assert "redirect loop" in _error(f"{base}/loop", timeout=2)


def test_http_errors_say_what_to_do(base: str) -> None:
    assert "404 (page not found); check the address" in _error(f"{base}/404", timeout=2)
    assert "500" in _error(f"{base}/500", timeout=2) and "try again later" in _error(f"{base}/500", timeout=2)


def test_a_slow_server_times_out_quickly(base: str) -> None:
    start = time.monotonic()
    message = _error(f"{base}/slow", timeout=0.3)
    assert "no answer within 0.3 s" in message and "COMPOSER_FETCH_TIMEOUT" in message
    assert time.monotonic() - start < web_server.SLOW_SECONDS - 1


def test_refused_connection() -> None:
    url = f"http://127.0.0.1:{unused_port()}/article"
    assert "connection refused" in _error(url, timeout=2)


def test_endless_body_is_cut_at_the_size_limit(base: str) -> None:
    start = time.monotonic()
    assert "larger than 1 MB" in _error(f"{base}/huge", timeout=2, max_bytes=1024 * 1024)
    assert time.monotonic() - start < 10
    assert "larger than 10 MB" in _error(f"{base}/huge", timeout=5)


def test_declared_huge_length_is_refused_before_reading(base: str) -> None:
    assert "larger than 10 MB" in _error(f"{base}/huge-declared", timeout=2)


def test_gzip_bodies_are_decompressed(base: str) -> None:
    assert b"Michel-Servet" in fetch(f"{base}/gzip", timeout=2).data


def test_only_web_addresses() -> None:
    assert "only http:// and https://" in _error("file:///etc/passwd")


def test_timeout_comes_from_the_environment() -> None:
    assert fetch_timeout({"COMPOSER_FETCH_TIMEOUT": "0.5"}) == 0.5
    assert fetch_timeout({"COMPOSER_FETCH_TIMEOUT": "soon"}) == Settings().fetch_timeout
    assert fetch_timeout({}) == Settings().fetch_timeout


def test_the_timeout_is_a_setting_with_a_default_of_at_most_30_seconds(tmp_path: Path) -> None:
    assert 0 < Settings().fetch_timeout <= 30
    assert FetchPolicy.from_settings(load_settings(None, {})) == FetchPolicy()
    assert FetchPolicy().allow_private is False
    env = {"COMPOSER_FETCH_TIMEOUT": "3", "COMPOSER_FEED_TIMEOUT": "7", "COMPOSER_FETCH_PRIVATE": "1"}
    assert FetchPolicy.from_settings(load_settings(None, env)) == FetchPolicy(3, 7, True)
    assert FetchPolicy.from_env(env) == FetchPolicy(3, 7, True)
    settings = tmp_path / "settings.toml"
    settings.write_text("fetch_timeout = 12.5\nfetch_private = true\n", encoding="utf-8")
    assert FetchPolicy.from_settings(load_settings(settings, {})) == FetchPolicy(12.5, allow_private=True)
    with pytest.raises(ConfigError, match="COMPOSER_FETCH_TIMEOUT"):
        load_settings(None, {"COMPOSER_FETCH_TIMEOUT": "0"})


@pytest.mark.parametrize(
    ("path", "said"),
    [("/drip-headers", "no answer within 1.5 s"), ("/drip-body", "did not finish within 1.5 s")],
)
def test_a_dripping_server_is_cut_at_the_total_deadline(base: str, path: str, said: str) -> None:
    start = time.monotonic()
    message = _error(f"{base}{path}", timeout=1.5)
    assert said in message and "COMPOSER_FETCH_TIMEOUT" in message
    # The headers alone would take ~45 s at this pace, the page over an hour.
    assert time.monotonic() - start < 10


def test_the_deadline_covers_the_redirects_too(base: str) -> None:
    got = fetch(f"{base}/redirect/3", timeout=2)
    assert got.final_url.endswith("/web/actu-canicule.html")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("224.0.0.1", False),
        ("not an address", False),
    ],
)
def test_which_addresses_are_public(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_discovered_links_to_private_addresses_are_refused_before_any_connection(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    before = len(web_server._Handler.seen_agents)
    for url, kind in [
        (f"{base}/web/actu-canicule.html", "127.0.0.1 is a loopback address"),
        (f"http://localhost:{port}/web/actu-canicule.html", "localhost, which resolves to"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.1/admin", "a private address"),
        (f"http://[::1]:{port}/web/actu-canicule.html", "::1 is a loopback address"),
    ]:
        message = _error(url, timeout=2, allow_private=False)
        assert "not fetched" in message and kind in message, message
        assert "COMPOSER_FETCH_PRIVATE=1" in message
    assert len(web_server._Handler.seen_agents) == before  # the loopback server never saw a request
    # The addresses a user types are theirs to choose.
    assert b"Michel-Servet" in fetch(f"{base}/web/actu-canicule.html", timeout=2).data


@pytest.fixture(scope="module")
def tls_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from tests.email.smtpd import self_signed_cert

    cert = self_signed_cert(tmp_path_factory.mktemp("tls"))
    with serve(cert) as url:
        yield url, cert[0]


def test_the_deadline_holds_through_tls(tls_base: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    base, cert = tls_base
    assert "secure connection failed" in _error(f"{base}/web/actu-canicule.html", timeout=2)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust this test's own certificate
    assert b"Michel-Servet" in fetch(f"{base}/web/actu-canicule.html", timeout=2).data
    start = time.monotonic()
    assert "no answer within 1 s" in _error(f"{base}/drip-headers", timeout=1)
    assert "did not finish within 1 s" in _error(f"{base}/drip-body", timeout=1)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/pub/file.txt"])
def test_redirects_lead_only_to_web_addresses(base: str, target: str) -> None:
    url = f"{base}/redirect-to?url={target}"
    message = _error(url, timeout=2)
    assert f"redirects to {target}, which is not a web address" in message


def test_a_redirect_to_a_private_address_is_refused_too(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend the loopback server is a public site, so only the redirect's target is private.
    from composer.ingest import guard

    monkeypatch.setattr(guard, "is_public_address", lambda address: address == "127.0.0.1")
    assert fetch(f"{base}/web/actu-canicule.html", timeout=2, allow_private=False).data
    url = f"{base}/redirect-to?url=http://169.254.169.254/latest/meta-data/"
    message = _error(url, timeout=2, allow_private=False)
    assert "not fetched: it redirects to 169.254.169.254, a link-local address" in message
