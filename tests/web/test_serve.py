"""The web side as readers and mail clients meet it: `composer serve` on loopback, a real HTTP client.

A workspace of the seeds is sent to the local outbox with base_url pointing at the server, then
links are followed exactly as they appear in the delivered messages.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_cli
from tests.email.smtpd import free_port

SECRET = "web-test-secret"


@dataclass
class Site:
    """A served workspace: its folder, base URL, environment and the server's output so far."""

    ws: Path
    base: str
    env: dict[str, str]
    process: subprocess.Popen[str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, "--workspace", str(self.ws), env=self.env)

    def status(self, address: str) -> str:
        listing = self.cli("subscribers", "list", "--status", "all").stdout
        return next(line.split("\t")[2] for line in listing.splitlines() if line.startswith(address + "\t"))

    def messages(self) -> list[email.message.EmailMessage]:
        folder = self.ws / "outbox" / "new"
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for p in sorted(folder.iterdir())
        ]


def request(
    url: str, data: dict[str, str] | bytes | None = None, method: str | None = None, **headers: str
) -> tuple[int, str]:
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    named = {k.replace("_", "-"): v for k, v in headers.items()}
    req = urllib.request.Request(url, data=body, method=method, headers=named)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    ws = tmp_path_factory.mktemp("web") / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "COMPOSER_BASE_URL": base,
        "COMPOSER_UNSUBSCRIBE_SECRET": SECRET,
        "COMPOSER_TRUSTED_PROXIES": "127.0.0.1",
    }
    assert run_cli("add", str(SEEDS), "--workspace", str(ws), env=env).returncode == 0
    csv = ws.parent / "readers.csv"
    csv.write_text(
        "email,name\nalice@lettre-test.fr,Alice\nbruno@lettre-test.fr,Bruno\nchloe@lettre-test.fr,\n"
    )
    assert run_cli("subscribers", "import", str(csv), "--workspace", str(ws), env=env).returncode == 0
    assert (
        run_cli("build", "--ready", "--title", "Lettre du web", "--workspace", str(ws), env=env).returncode
        == 0
    )
    sent = run_cli("send", "--workspace", str(ws), env=env)
    assert sent.returncode == 0, sent.stderr
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}, **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "composer.cli", "serve", "--port", str(port), "--workspace", str(ws)],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for _ in range(100):
        try:
            if request(f"{base}/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(
            "composer serve did not start: " + (process.stdout.read() if process.stdout else "")
        )
    yield Site(ws, base, env, process)
    process.terminate()
    output = process.communicate(timeout=10)[0]
    assert "Traceback" not in output, output


def _links(site: Site, address: str) -> tuple[str, str]:
    message = next(m for m in site.messages() if m["To"].addresses[0].addr_spec == address)
    header = str(message["List-Unsubscribe"])
    https = re.search(r"<(http[^>]+)>", header)
    mailto = re.search(r"<(mailto:[^>]+)>", header)
    assert https and mailto, header
    return https.group(1), mailto.group(1)


def test_one_click_post_unsubscribes_and_a_scanner_get_does_not(site: Site) -> None:
    url, mailto = _links(site, "alice@lettre-test.fr")
    assert url.startswith(site.base + "/unsubscribe/") and "alice" not in url  # opaque token
    assert mailto.startswith("mailto:") and url.rsplit("/", 1)[1] in mailto
    status, page = request(url)  # what a link scanner or a preview does
    assert status == 200 and '<form method="post"' in page
    assert site.status("alice@lettre-test.fr") == "active"
    status, body = request(url, {"List-Unsubscribe": "One-Click"})  # RFC 8058, from the mail client
    assert status == 200 and body.strip() == "unsubscribed"
    assert site.status("alice@lettre-test.fr") == "unsubscribed"
    assert request(url, {"List-Unsubscribe": "One-Click"})[0] == 200  # again: still fine
    status, page = request(url)
    assert status == 200 and "Déjà désabonné" in page


def test_the_page_button_unsubscribes_too(site: Site) -> None:
    url, _ = _links(site, "chloe@lettre-test.fr")
    status, page = request(url, {})
    assert status == 200 and "Vous êtes désabonné" in page
    assert site.status("chloe@lettre-test.fr") == "unsubscribed"


def test_forged_altered_and_junk_tokens_change_nothing(site: Site) -> None:
    url, _ = _links(site, "bruno@lettre-test.fr")
    token = url.rsplit("/", 1)[1]
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    for bad in (flipped, token + "0", "1." + "0" * 24, "bruno@lettre-test.fr.deadbeef", "%00%ff", "x" * 3000):
        status, _ = request(f"{site.base}/unsubscribe/{bad}", {"List-Unsubscribe": "One-Click"})
        assert 400 <= status < 500, (bad, status)
        assert 400 <= request(f"{site.base}/unsubscribe/{bad}")[0] < 500
    assert site.status("bruno@lettre-test.fr") == "active"
    assert request(f"{site.base}/unsubscribe/{token}", b"\xff" * 40_000, method="POST")[0] == 200
    assert site.status("bruno@lettre-test.fr") == "unsubscribed"  # a junk body is a plain POST: the button


def test_archive_lists_the_sent_edition_and_the_feed_leads_to_it(site: Site) -> None:
    import feedparser

    status, index = request(site.base + "/")
    assert status == 200 and "Lettre du web" in index
    status, xml = request(site.base + "/feed.xml")
    assert status == 200
    feed = feedparser.parse(xml)
    assert not feed.bozo and feed.feed.title and len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title == "Lettre du web" and entry.link.startswith(site.base + "/editions/")
    status, page = request(entry.link)
    assert status == 200
    for heading in ("Point de vue neutre", "Exemple", "Point de vue optimiste", "Point de vue pessimiste"):
        assert heading in page
    assert "@lettre-test.fr" not in page and "/unsubscribe/" not in page  # no personal link
    assert request(site.base + "/editions/nope.html")[0] == 404
    assert request(site.base + "/editions/..%2F..%2Fcomposer.db.html")[0] == 404


def test_subscribe_then_confirm_makes_an_active_reader(site: Site) -> None:
    before = len(site.messages())
    status, page = request(site.base + "/subscribe")
    assert status == 200 and 'name="email"' in page
    status, page = request(site.base + "/subscribe", {"email": "nouveau@lettre-test.fr", "name": "Nouveau"})
    assert status == 200 and "Vérifiez votre boîte" in page
    assert site.status("nouveau@lettre-test.fr") == "pending"
    mails = site.messages()[before:]
    assert len(mails) == 1 and mails[0]["To"].addresses[0].addr_spec == "nouveau@lettre-test.fr"
    assert mails[0]["List-Unsubscribe"] is None  # a transactional mail, not the newsletter
    link = re.search(r"(http://\S+/confirm/\S+)", mails[0].get_body(("plain",)).get_content())
    assert link
    status, page = request(link.group(1))  # a scanner opening the link confirms nothing
    assert status == 200 and "Je confirme" in page
    assert site.status("nouveau@lettre-test.fr") == "pending"
    # Behind the reverse proxy (trusted_proxies), the consent records the reader's own address.
    status, page = request(link.group(1), {}, X_Forwarded_For="203.0.113.7")
    assert status == 200 and "Abonnement confirmé" in page
    assert site.status("nouveau@lettre-test.fr") == "active"
    export = site.cli("subscribers", "export").stdout
    row = next(line for line in export.splitlines() if line.startswith("nouveau@"))
    assert row.endswith(",203.0.113.7") and ",20" in row  # consent_at, consent_ip
    tampered = link.group(1)[:-1] + ("0" if link.group(1)[-1] != "0" else "1")
    assert request(tampered, {})[0] == 400


def test_honeypot_invalid_address_expired_link_and_rate_limit(site: Site) -> None:
    before = len(site.messages())
    status, _ = request(site.base + "/subscribe", {"email": "bot@lettre-test.fr", "website": "http://spam"})
    assert status == 200 and len(site.messages()) == before
    assert "bot@lettre-test.fr" not in site.cli("subscribers", "list").stdout
    status, page = request(site.base + "/subscribe", {"email": "pas une adresse"})
    assert status == 400 and "pas valide" in page
    from composer import subscribers
    from composer.pipeline import open_context

    ctx = open_context(site.ws, environ=site.env)
    try:
        sub, _ = subscribers.request_subscription(ctx.store, "tard@lettre-test.fr")
        old = subscribers.confirm_token(sub, SECRET, hours=-1)
    finally:
        ctx.close()
    status, page = request(f"{site.base}/confirm/{old}", {})
    assert status == 400 and "a expiré" in page
    statuses = [request(site.base + "/subscribe", {"email": f"r{n}@lettre-test.fr"})[0] for n in range(6)]
    assert 429 in statuses  # five sign-ups per address of origin in ten minutes


def test_publish_writes_the_same_archive_as_static_files(site: Site, tmp_path: Path) -> None:
    import feedparser

    out = tmp_path / "site"
    result = site.cli("publish", str(out))
    assert result.returncode == 0, result.stderr
    pages = list((out / "editions").glob("*.html"))
    assert len(pages) == 1 and "Point de vue pessimiste" in pages[0].read_text(encoding="utf-8")
    assert "Lettre du web" in (out / "index.html").read_text(encoding="utf-8")
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].link.endswith(pages[0].name)


def test_an_unsubscribed_reader_must_confirm_again(site: Site) -> None:
    assert site.cli("subscribers", "add", "retour@lettre-test.fr").returncode == 0
    assert site.cli("subscribers", "unsubscribe", "retour@lettre-test.fr").returncode == 0
    before = len(site.messages())
    status, _ = request(
        site.base + "/subscribe", {"email": "Retour@Lettre-Test.fr"}, X_Forwarded_For="198.51.100.9"
    )
    assert status == 200
    assert site.status("retour@lettre-test.fr") == "pending"  # not active until confirmed
    mails = site.messages()[before:]
    assert len(mails) == 1 and "/confirm/" in mails[0].get_body(("plain",)).get_content()


def test_head_requests_change_nothing(site: Site) -> None:
    assert site.cli("subscribers", "add", "tete@lettre-test.fr").returncode == 0
    from composer import subscribers
    from composer.pipeline import open_context

    ctx = open_context(site.ws, environ=site.env)
    try:
        reader = subscribers.find(ctx.store, "tete@lettre-test.fr")
        assert reader is not None
        token = subscribers.unsubscribe_token(reader, SECRET)
        pending, _ = subscribers.request_subscription(ctx.store, "attente@lettre-test.fr")
        confirm = subscribers.confirm_token(pending, SECRET)
    finally:
        ctx.close()
    # Link scanners send HEAD as well as GET: neither may act.
    assert request(f"{site.base}/unsubscribe/{token}", method="HEAD")[0] == 200
    assert request(f"{site.base}/confirm/{confirm}", method="HEAD")[0] == 200
    assert site.status("tete@lettre-test.fr") == "active"
    assert site.status("attente@lettre-test.fr") == "pending"
