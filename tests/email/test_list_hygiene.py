"""Retrying rejected readers, spreading a list over days, and the proxy headers of `composer serve`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS, run_cli
from tests.email.smtpd import Faults, SmtpServer

FAST = {"COMPOSER_SMTP_BACKOFF": "0.01", "COMPOSER_SMTP_TIMEOUT": "10"}


def _workspace(tmp_path: Path, readers: list[str]) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS / "004_9b245662eba6b562.txt"), "--workspace", str(ws)).returncode == 0
    csv = tmp_path / "r.csv"
    csv.write_text("email\n" + "\n".join(readers) + "\n")
    assert run_cli("subscribers", "import", str(csv), "--workspace", str(ws)).returncode == 0
    assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
    return ws


def test_retry_failed_sends_only_to_the_rejected(tmp_path: Path) -> None:
    readers = [f"r{n}@lettre-test.fr" for n in range(4)]
    ws = _workspace(tmp_path, readers)
    with SmtpServer(Faults(reject={readers[1]})) as server:
        env = {**server.env(), **FAST}
        first = run_cli("send", "--workspace", str(ws), env=env)
        assert first.returncode == 6 and "rejected=1" in first.stdout
        assert run_cli("send", "--workspace", str(ws), env=env).stdout.count("sent=0") == 1
        server.handler.faults.reject.clear()  # the reader's mailbox is fixed
        retry = run_cli("send", "--retry-failed", "--workspace", str(ws), env=env)
        assert retry.returncode == 0, retry.stderr
        assert "sent=1" in retry.stdout
    got = [m["To"].addresses[0].addr_spec for m in server.messages]
    assert sorted(got) == sorted(readers)  # each exactly once in the end
    report = run_cli("report", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")
    assert report[1] == "sent" and report[3:5] == ["4", "0"]


def test_max_per_day_holds_the_rest_and_a_later_run_goes_on(tmp_path: Path) -> None:
    readers = [f"r{n}@lettre-test.fr" for n in range(5)]
    ws = _workspace(tmp_path, readers)
    first = run_cli("send", "--workspace", str(ws), env={"COMPOSER_MAX_PER_DAY": "2"})
    assert first.returncode == 0, first.stderr
    assert "sent=2" in first.stdout and "3 held for the next run" in first.stderr
    listing = run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")
    assert listing[1] == "sending" and listing[3] == "2"
    same_day = run_cli("send", "--workspace", str(ws), env={"COMPOSER_MAX_PER_DAY": "2"})
    assert "sent=0" in same_day.stdout  # today's quota is spent
    # Tomorrow (here: a larger quota), the same command finishes the send; nobody gets two.
    rest = run_cli("send", "--workspace", str(ws), env={"COMPOSER_MAX_PER_DAY": "10"})
    assert "sent=3" in rest.stdout and "skipped=2" in rest.stdout
    assert len(list((ws / "outbox" / "new").iterdir())) == 5
    assert run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")[1] == "sent"


def test_a_reader_always_deferred_is_given_up_and_the_next_edition_goes_out(tmp_path: Path) -> None:
    from composer.deliver.send import MAX_ATTEMPTS

    readers = [f"r{n}@lettre-test.fr" for n in range(3)]
    ws = _workspace(tmp_path, readers)
    with SmtpServer(Faults(defer_always={readers[0]})) as server:
        env = {**server.env(), **FAST}
        for _ in range(MAX_ATTEMPTS - 1):
            assert run_cli("send", "--workspace", str(ws), env=env).returncode == 6
        status = run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")[1]
        assert status == "failed"
        last = run_cli("send", "--workspace", str(ws), env=env)
        assert "given up" in last.stderr
        row = run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")
        assert row[1:5] == ["sent", "1", "2", "1"]
        dry = run_cli("send", "--retry-failed", "--dry-run", "--workspace", str(ws), env=env)
        assert "would send to 1 of 3" in dry.stdout
        again = run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()[1].split("\t")
        assert again[1] == "sent"  # a dry run changes nothing
    assert sorted(m["To"].addresses[0].addr_spec for m in server.messages) == readers[1:]
