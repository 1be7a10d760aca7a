"""`composer demo` end to end: seeds in, one valid multipart message per sample subscriber out."""

from __future__ import annotations

import email
import email.policy
import mailbox
from pathlib import Path

import pytest

from tests.conftest import MOJIBAKE, SEEDS, run_cli

HEADINGS = [
    "Récapitulatif factuel",
    "Point de vue neutre",
    "Exemple",
    "Point de vue optimiste",
    "Point de vue pessimiste",
]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    workspace = tmp_path_factory.mktemp("demo") / "ws"
    result = run_cli("demo", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    return workspace, result.stdout


def _messages(workspace: Path) -> list[email.message.EmailMessage]:
    box = mailbox.Maildir(workspace / "outbox", create=False)
    out = []
    for key in box.iterkeys():
        with box.get_file(key) as handle:
            out.append(email.message_from_binary_file(handle, policy=email.policy.default))
    return out


def test_demo_prints_the_paths(demo_run: tuple[Path, str]) -> None:
    workspace, stdout = demo_run
    lines = dict(line.split(": ", 1) for line in stdout.strip().splitlines())
    assert Path(lines["html"]).is_file() and lines["html"].endswith(".html")
    assert Path(lines["text"]).is_file() and lines["text"].endswith(".txt")
    assert lines["outbox"].split()[0] == str(workspace.resolve() / "outbox")


def test_one_valid_message_per_sample_subscriber(demo_run: tuple[Path, str]) -> None:
    workspace, _ = demo_run
    messages = _messages(workspace)
    expected = {line.split(",")[0] for line in (SEEDS / "subscribers.csv").read_text().splitlines()[1:]}
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == sorted(expected)
    assert len({m["Message-ID"] for m in messages}) == len(messages)
    for msg in messages:
        for header in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"):
            assert msg[header], header
        assert msg.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in msg.iter_parts()]
        assert parts == ["text/plain", "text/html"]


def test_html_has_titles_headings_and_no_mojibake(demo_run: tuple[Path, str]) -> None:
    workspace, _ = demo_run
    titles = [
        (SEEDS / name).read_text(encoding="utf-8").splitlines()[0].strip()
        for name in ("000_7b10752b77e9de8c.txt", "001_f00f8dc28bd75bb8.txt")
    ]
    for msg in _messages(workspace):
        html = msg.get_body(preferencelist=("html",)).get_content()
        text = msg.get_body(preferencelist=("plain",)).get_content()
        for title in titles:
            assert title in html
            assert title.split(",")[0] in text
        for heading in HEADINGS:
            assert html.count(heading) >= 5, heading
            assert heading.upper() in text
        assert not MOJIBAKE & set(html), sorted(MOJIBAKE & set(html))
        assert not MOJIBAKE & set(text)
        assert "<" not in text.replace("<https", "")  # a real text part, not HTML source
        assert msg["To"].addresses[0].addr_spec in text


def test_second_demo_sends_nothing_twice(demo_run: tuple[Path, str]) -> None:
    workspace, _ = demo_run
    before = len(_messages(workspace))
    result = run_cli("demo", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert len(_messages(workspace)) == before
    assert "0 messages delivered, 3 already delivered" in result.stderr
