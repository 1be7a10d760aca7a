"""HTTP fetching against a real loopback server: limits, redirects and every failure, fast."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from composer.errors import InputError
from composer.ingest.fetch import USER_AGENT, fetch, fetch_timeout
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
    assert fetch_timeout({"COMPOSER_FETCH_TIMEOUT": "soon"}) == 15.0
    assert fetch_timeout({}) == 15.0
