"""Delivery against a real SMTP server on loopback, with faults, through the real CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS, run_cli
from tests.email.smtpd import CONFIGURED, Faults, SmtpServer

FAST = {"COMPOSER_SMTP_BACKOFF": "0.01", "COMPOSER_SMTP_TIMEOUT": "10"}


def _subscribers_csv(path: Path, count: int, *, extra: str = "") -> list[str]:
    valid = [f"reader{i:04d}@example.org" for i in range(count)]
    lines = ["email,name", *(f"{a},Lecteur {i}" for i, a in enumerate(valid)), extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return valid


def _workspace(tmp_path: Path, count: int, *, extra: str = "") -> tuple[Path, list[str]]:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS), "--workspace", str(ws)).returncode == 0
    csv_path = tmp_path / "subs.csv"
    valid = _subscribers_csv(csv_path, count, extra=extra)
    run_cli("subscribers", "import", str(csv_path), "--workspace", str(ws))
    build = run_cli("build", "--ready", "--workspace", str(ws))
    assert build.returncode == 0, build.stderr
    return ws, valid


def _recipients(server: SmtpServer) -> Counter[str]:
    return Counter(m["To"].addresses[0].addr_spec for m in server.messages)


def test_plain_smtp_delivers_one_copy_each_with_both_parts(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 20, extra="READER0001@EXAMPLE.ORG,Doublon\nnot-an-address,X\n")
    with SmtpServer() as server:
        result = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
    assert result.returncode == 0, result.stderr
    assert _recipients(server) == Counter(valid)
    ids = {m["Message-ID"] for m in server.messages}
    assert len(ids) == len(valid)
    for msg in server.messages:
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg["Date"] and msg["From"].addresses[0].addr_spec == "lettre@lettre-test.fr"
        text = msg.get_body(("plain",)).get_content()
        assert "POINT DE VUE PESSIMISTE" in text and "<table" not in text


def test_faults_421_451_550_every_valid_reader_gets_exactly_one(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 60)
    rejected = {valid[3], valid[40]}
    deferred = {valid[5], valid[6], valid[50]}
    faults = Faults(hangup_every=7, defer_once=deferred, reject=rejected)
    with SmtpServer(faults) as server:
        env = {**server.env(), **FAST}
        first = run_cli("send", "--workspace", str(ws), env=env)
        assert first.returncode == 6, first.stderr
        assert server.handler.hangups >= 5
        assert _recipients(server) == Counter(a for a in valid if a not in rejected)
        for address in rejected:
            assert f"rejected: {address}: 550" in first.stderr
        again = run_cli("send", "--workspace", str(ws), env=env)
        assert again.returncode == 0, again.stderr
        assert "sent=0" in again.stdout
        assert len(server.messages) == len(valid) - len(rejected)
    listing = run_cli("subscribers", "list", "--workspace", str(ws)).stdout
    assert all(address in listing for address in rejected)


def test_auth_over_starttls_with_self_signed_certificate(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 3)
    with SmtpServer(tls_dir=tmp_path, user="editor", password="s3cret-pass") as server:
        bad = run_cli(
            "send", "--workspace", str(ws), env={**server.env("starttls", "editor", "wrong"), **FAST}
        )
        assert bad.returncode != 0
        assert "refused the login" in bad.stderr and "Traceback" not in bad.stderr
        assert "wrong" not in bad.stderr
        good = run_cli(
            "send", "--workspace", str(ws), env={**server.env("starttls", "editor", "s3cret-pass"), **FAST}
        )
        assert good.returncode == 0, good.stderr
    assert _recipients(server) == Counter(valid)
    assert "s3cret-pass" not in good.stderr + good.stdout
    assert not any(
        "s3cret" in p.read_text(errors="ignore") for p in ws.rglob("*") if p.is_file() and p.suffix != ".db"
    )


def test_unverified_certificate_is_refused(tmp_path: Path) -> None:
    ws, _ = _workspace(tmp_path, 1)
    with SmtpServer(tls_dir=tmp_path) as server:
        env = {**server.env("starttls"), **FAST}
        env.pop("COMPOSER_SMTP_CAFILE")
        result = run_cli("send", "--workspace", str(ws), env=env)
    assert result.returncode != 0
    assert "cannot connect to the SMTP server" in result.stderr


def test_kill_9_mid_send_then_resume_sends_only_the_rest(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 150)
    with SmtpServer() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
        env.update(server.env(), **FAST)
        proc = subprocess.Popen(
            [sys.executable, "-m", "composer.cli", "send", "--rate", "60", "--workspace", str(ws)],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(server.messages) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        interrupted = len(server.messages)
        assert 0 < interrupted < len(valid)
        resume = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert resume.returncode == 0, resume.stderr
        counts = _recipients(server)
        assert set(counts) == set(valid)
        assert sum(counts.values()) - len(valid) <= 1  # at most the one message in flight
        third = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert "sent=0" in third.stdout
        assert sum(_recipients(server).values()) == sum(counts.values())


def test_unsubscribe_link_token_round_trip(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 2)
    with SmtpServer() as server:
        run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
    message = next(m for m in server.messages if m["To"].addresses[0].addr_spec == valid[0])
    token = message["List-Unsubscribe"].split(",")[0].strip().strip("<>").rsplit("/", 1)[1]
    assert token in message.get_body(("html",)).get_content()
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert run_cli("subscribers", "unsubscribe", forged, "--workspace", str(ws)).returncode != 0
    done = run_cli("subscribers", "unsubscribe", token, "--workspace", str(ws))
    assert done.returncode == 0, done.stderr
    listing = run_cli("subscribers", "list", "--status", "unsubscribed", "--workspace", str(ws)).stdout
    assert listing.split("\t")[0] == valid[0]


@pytest.mark.parametrize("security", ["none"])
def test_server_down_is_one_clear_line(tmp_path: Path, security: str) -> None:
    ws, _ = _workspace(tmp_path, 1)
    from tests.email.smtpd import free_port

    env = {
        "COMPOSER_TRANSPORT": "smtp",
        "COMPOSER_SMTP_HOST": "127.0.0.1",
        "COMPOSER_SMTP_PORT": str(free_port()),
        "COMPOSER_SMTP_SECURITY": security,
        **CONFIGURED,
        **FAST,
    }
    result = run_cli("send", "--workspace", str(ws), env=env)
    assert result.returncode == 6
    assert result.stderr.strip().splitlines()[-1].startswith("error: cannot connect to the SMTP server")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the test server, on loopback
def test_sender_refused_stops_the_run_without_failing_anyone(tmp_path: Path) -> None:
    ws, valid = _workspace(tmp_path, 5)
    with SmtpServer(user="editor", password="pw") as server:
        refused = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert refused.returncode == 6
        assert "refused the sender or the message (530" in refused.stderr
        assert "Traceback" not in refused.stderr
        listing = run_cli("subscribers", "list", "--workspace", str(ws)).stdout
        assert listing.count("\tactive") == 5
        fixed = run_cli("send", "--workspace", str(ws), env={**server.env("none", "editor", "pw"), **FAST})
        assert fixed.returncode == 0, fixed.stderr
    assert _recipients(server) == Counter(valid)


def test_header_injection_in_names_and_titles_is_neutralised(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS / "004_9b245662eba6b562.txt"), "--workspace", str(ws)).returncode == 0
    csv_path = tmp_path / "subs.csv"
    csv_path.write_text('email,name\nb@example.org,"Bob\nBcc: evil@example.net"\n', encoding="utf-8")
    run_cli("subscribers", "import", str(csv_path), "--workspace", str(ws))
    built = run_cli("build", "--ready", "--title", "Lettre\nX-Evil: 1\n\ncorps", "--workspace", str(ws))
    assert built.returncode == 0, built.stderr
    with SmtpServer() as server:
        result = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
    assert result.returncode == 0, result.stderr
    (message,) = server.messages
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message.is_multipart()
    assert message["To"].addresses[0].addr_spec == "b@example.org"
