"""Golden files for the seeds' edition: the archive page (HTML, text) and one subscriber's message.

The real CLI builds and sends a fixed edition over ``seeds/*.txt`` to ``seeds/subscribers.csv``
through the Maildir outbox.  Only the values that change from run to run are replaced by tokens
before comparing (see :func:`_normalize` and :func:`_golden_eml`); every other byte must match
the files in ``tests/golden/edition/``:

* ``edition.html`` and ``edition.txt``: ``<workspace>/editions/<id>.html`` and ``.txt``;
* ``message.eml``: the message to the first subscriber of ``seeds/subscribers.csv``, headers as
  sent and both parts decoded from quoted-printable so that a review reads the real text.

A missing golden file fails the test; it is never written unless asked for.  After an intended
change, regenerate deliberately and read the diff line by line::

    COMPOSER_WRITE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/email/test_golden.py
    git diff tests/golden/edition/
"""

from __future__ import annotations

import binascii
import csv
import difflib
import email
import email.policy
import html
import os
import re
import subprocess
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest

from composer.models import Subscriber
from composer.render import long_date
from composer.subscribers import unsubscribe_token
from tests.conftest import REPO, SEEDS, run_cli

GOLDEN = REPO / "tests" / "golden" / "edition"
WRITE = "COMPOSER_WRITE_GOLDEN"
SECRET = "golden-secret"
TITLE = "La Lettre — édition de référence"
INTRO = (
    "Cinq articles sur OpenAI, lus sous quatre angles : neutre, concret, optimiste et pessimiste.\n\n"
    "Chaque phrase citée renvoie, par son numéro, à sa place dans l'article d'origine."
)

# The tokens that replace volatile values.  They must not occur in the real output.
TODAY = "{TODAY}"
DATE = "{DATE}"
RANDOM = "{RANDOM}"
BOUNDARY = "{BOUNDARY}"
TOKENS = (TODAY, DATE, RANDOM, BOUNDARY)
REGENERATE = f"{WRITE}=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/email/test_golden.py"


@dataclass(frozen=True)
class Output:
    """What one run of the CLI produced, raw and normalized."""

    edition_id: str
    day: str
    titles: list[str]  # as `composer add` reports them, in the order added
    archive_html: str
    archive_text: str
    message: email.message.EmailMessage
    message_text: str  # decoded text/plain part
    message_html: str  # decoded text/html part
    unsubscribe_url: str
    recipient: str
    normalized: dict[str, str]  # golden file name -> normalized content


def _first_subscriber() -> str:
    with (SEEDS / "subscribers.csv").open(encoding="utf-8", newline="") as handle:
        return next(csv.DictReader(handle))["email"]


def _ok(result: subprocess.CompletedProcess[str], what: str) -> str:
    assert result.returncode == 0, f"`composer {what}` failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


def _decode_parts(raw: str) -> tuple[str, list[tuple[str, str, str]], str]:
    """Split a multipart message into its header block, its parts and its boundary.

    Each part is ``(part headers, encoded body, decoded body)``; bodies must be quoted-printable.
    """
    head, sep, body = raw.partition("\n\n")
    assert sep, "the message has no blank line after its headers"
    found = re.findall(r'^Content-Type: multipart/alternative;\n boundary="([^"]+)"$', head, re.M)
    assert len(found) == 1, f"expected one multipart/alternative boundary in:\n{head}"
    boundary = found[0]
    chunks = body.split(f"--{boundary}")
    assert chunks[0] == "" and chunks[-1] == "--\n", "unexpected preamble or epilogue around the parts"
    parts = []
    for chunk in chunks[1:-1]:
        assert chunk.startswith("\n") and chunk.endswith("\n"), "a boundary line is not a line of its own"
        part_head, sep, encoded = chunk[1:-1].partition("\n\n")
        assert sep, f"part without a body:\n{chunk[:200]}"
        assert "Content-Transfer-Encoding: quoted-printable" in part_head.splitlines(), part_head
        too_long = [line for line in encoded.splitlines() if len(line) > 76]
        assert not too_long, f"quoted-printable lines over 76 characters: {too_long[:3]}"
        decoded = binascii.a2b_qp(encoded.encode("ascii")).decode("utf-8")
        parts.append((part_head, encoded, decoded))
    return head, parts, boundary


def _no_tokens(text: str) -> str:
    for token in TOKENS:
        assert token not in text, f"the output contains the token {token!r}; choose another token"
    return text


def _normalize(text: str, day: str) -> str:
    """Replace today's date by a token: the edition id is ``<today>-1`` and shows in links and pages,
    and the edition date is printed in words ("3 décembre 2026")."""
    return _no_tokens(text).replace(day, TODAY).replace(long_date(day), TODAY)


def _golden_eml(raw: str, day: str) -> str:
    """The message with its headers as sent and its parts' bodies decoded, normalized.

    Besides today's date, three header values change on every send and become tokens: the
    ``Date:`` value, the random hex of the ``Message-ID`` (its edition tag and domain stay) and
    the MIME boundary (in the Content-Type header and on the delimiter lines).
    """
    head, parts, boundary = _decode_parts(_no_tokens(raw))
    head, dates = re.subn(r"^Date: .+$", f"Date: {DATE}", head, flags=re.M)
    message_id = r"^(Message-ID: <[^>@]*\.)[0-9a-f]{24}(@[^>]+>)$"
    head, ids = re.subn(message_id, rf"\g<1>{RANDOM}\g<2>", head, flags=re.M)
    assert dates == 1 and ids == 1, f"expected one Date and one <tag.24-hex@domain> Message-ID in:\n{head}"
    lines = [head.replace(boundary, BOUNDARY), ""]
    for part_head, _, decoded in parts:
        lines += [f"--{BOUNDARY}", part_head, "", decoded]
    lines.append(f"--{BOUNDARY}--\n")
    return "\n".join(lines).replace(day, TODAY).replace(long_date(day), TODAY)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Output:
    """Build and send the seeds' edition once through the real CLI."""
    ws = tmp_path_factory.mktemp("golden") / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    env = {"COMPOSER_UNSUBSCRIBE_SECRET": SECRET}
    common = ("--workspace", str(ws))
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert len(seeds) == 5
    added = _ok(run_cli("add", *seeds, *common, cwd=REPO, env=env), "add")
    titles = [line.split("\t", 2)[2] for line in added.splitlines() if line.startswith("added\t")]
    assert len(titles) == 5, added
    _ok(
        run_cli("subscribers", "import", str(SEEDS / "subscribers.csv"), *common, cwd=REPO, env=env), "import"
    )
    build = run_cli("build", "--title", TITLE, "--intro", INTRO, "--ready", *common, cwd=REPO, env=env)
    _ok(build, "build")
    send = run_cli("send", "--transport", "outbox", *common, cwd=REPO, env=env)
    _ok(send, "send")

    pages = sorted((ws / "editions").glob("*.html"))
    assert len(pages) == 1, pages
    edition_id = pages[0].stem
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})-1", edition_id)
    assert match, f"unexpected edition id {edition_id!r}"
    day = match.group(1)
    # The id carries the day the test ran (a run across midnight may see yesterday).
    assert date.fromisoformat(day) in {date.today(), date.today() - timedelta(days=1)}, day
    archive_html = pages[0].read_text(encoding="utf-8")
    archive_text = pages[0].with_suffix(".txt").read_text(encoding="utf-8")

    recipient = _first_subscriber()
    stored = {}
    for path in (ws / "outbox" / "new").iterdir():
        raw = path.read_bytes().decode("ascii")  # headers are RFC 2047 and bodies quoted-printable
        parsed = email.message_from_string(raw, policy=email.policy.default)
        stored[parsed["To"].addresses[0].addr_spec] = (raw, parsed)
    with (SEEDS / "subscribers.csv").open(encoding="utf-8", newline="") as handle:
        assert set(stored) == {row["email"] for row in csv.DictReader(handle)}
    raw, message = stored[recipient]
    _, parts, _ = _decode_parts(raw)
    assert [p[0].splitlines()[0] for p in parts] == [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Type: text/html; charset=utf-8",
    ]
    message_text, message_html = parts[0][2], parts[1][2]
    # The email package reads the same bodies as the hand decoding above.
    assert message.get_body(("plain",)).get_content() == message_text
    assert message.get_body(("html",)).get_content() == message_html
    unsubscribe_url = str(message["List-Unsubscribe"]).split(",")[0].strip().strip("<>")

    return Output(
        edition_id=edition_id,
        day=day,
        titles=titles,
        archive_html=archive_html,
        archive_text=archive_text,
        message=message,
        message_text=message_text,
        message_html=message_html,
        unsubscribe_url=unsubscribe_url,
        recipient=recipient,
        normalized={
            "edition.html": _normalize(archive_html, day),
            "edition.txt": _normalize(archive_text, day),
            "message.eml": _golden_eml(raw, day),
        },
    )


@pytest.mark.parametrize("name", ["edition.html", "edition.txt", "message.eml"])
def test_matches_golden(output: Output, name: str) -> None:
    actual = output.normalized[name]
    path = GOLDEN / name
    if os.environ.get(WRITE) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        warnings.warn(f"{WRITE}=1: wrote {path.relative_to(REPO)}; read it before committing", stacklevel=1)
        return
    if not path.exists():
        pytest.fail(
            f"golden file {path.relative_to(REPO)} is missing; it is never written silently.\n"
            f"Create it deliberately, from the repository root, with\n    {REGENERATE}\n"
            "then read it (see tests/golden/README.md) before committing it.",
            pytrace=False,
        )
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{name}",
                f"actual/{name}",
            )
        )
        shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:60])
        more = f"... ({len(diff) - 60} more diff lines)\n" if len(diff) > 60 else ""
        pytest.fail(
            f"{name} differs from {path.relative_to(REPO)}:\n{shown}{more}"
            f"If the change is intended, regenerate deliberately with\n    {REGENERATE}\n"
            "and review `git diff tests/golden/edition/` line by line.",
            pytrace=False,
        )


class _Titles(HTMLParser):
    """The text of every ``<h2 class="article-title">``, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2" and "article-title" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.titles.append("")
        elif self._depth and tag == "h2":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "h2":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.titles[-1] += data


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def test_both_parts_carry_the_same_article_titles(output: Output) -> None:
    parser = _Titles()
    parser.feed(output.message_html)
    html_titles = [_squeeze(t) for t in parser.titles]
    assert sorted(html_titles) == sorted(output.titles)
    # The text part numbers the same titles in the same order (wrapped at 72 columns).
    text = _squeeze(output.message_text)
    positions = [text.find(f" {n}. {title} ") for n, title in enumerate(html_titles, 1)]
    assert all(p >= 0 for p in positions), dict(zip(html_titles, positions, strict=True))
    assert positions == sorted(positions)
    assert "<" not in output.message_text and "&nbsp;" not in output.message_text
    for heading in ("POINT DE VUE NEUTRE", "EXEMPLE", "POINT DE VUE OPTIMISTE", "POINT DE VUE PESSIMISTE"):
        assert output.message_text.count(f"\n{heading}\n") == 5, heading


def test_headers_read_back(output: Output) -> None:
    message = output.message
    assert message["Subject"] == TITLE
    assert message["To"].addresses[0].addr_spec == output.recipient
    assert message["X-Composer-Edition"] == output.edition_id
    # The link is the one made from the secret given to the CLI, for this reader (the first one
    # imported, id 1); it is opaque, and the mailto: fallback carries the same token.
    token = unsubscribe_token(Subscriber(email=output.recipient, id=1), SECRET)
    assert output.unsubscribe_url == f"https://newsletter.example.org/unsubscribe/{token}"
    assert output.recipient.split("@")[0] not in token
    assert f"<mailto:newsletter@example.org?subject=unsubscribe%20{token}>" in message["List-Unsubscribe"]
    sent = parsedate_to_datetime(message["Date"])
    assert sent.tzinfo is not None and abs(datetime.now(UTC) - sent) < timedelta(minutes=10), message["Date"]


def test_archive_and_message_differ_only_by_recipient_bits(output: Output) -> None:
    """The web page is the message minus its personal footer line (address, unsubscribe link)."""
    for personal, archive, url, address in (
        (
            output.message_html,
            output.archive_html,
            html.escape(output.unsubscribe_url),
            html.escape(output.recipient),
        ),
        (output.message_text, output.archive_text, output.unsubscribe_url, output.recipient),
    ):
        assert personal.count(url) == 1 and url not in archive
        assert address not in archive and "/subscribe" in archive
        mine = [line for line in personal.splitlines() if url not in line and address not in line]
        public = [line for line in archive.splitlines() if "Version en ligne de la lettre" not in line]
        assert mine == public, "".join(
            list(difflib.unified_diff(public, mine, "archive", "message", lineterm=""))[:60]
        )
