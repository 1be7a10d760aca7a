"""`composer bounces` on a real Maildir: hard, soft and non-standard bounces, a reader's reply, junk."""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from pathlib import Path

from tests.conftest import SEEDS, new_workspace, run_cli

READERS = [f"{n}@lettre-test.fr" for n in ("alice", "bruno", "chloe", "dora", "eve")]


def dsn(recipient: str, action: str, status: str, original_id: str) -> bytes:
    """An RFC 3464 delivery status notification, as Postfix writes them."""
    return (
        "From: MAILER-DAEMON@mx.lettre-test.fr (Mail Delivery System)\r\n"
        "To: lettre@lettre-test.fr\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <dsn.{status}.{recipient}@mx.lettre-test.fr>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.lettre-test.fr\r\nArrival-Date: Mon, 7 Dec 2026 07:00:01 +0100\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nOriginal-Recipient: rfc822;{recipient}\r\n"
        f"Action: {action}\r\nStatus: {status}\r\nDiagnostic-Code: smtp; 550 {status} no such user\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: La Lettre <lettre@lettre-test.fr>\r\nTo: {recipient}\r\nMessage-ID: {original_id}\r\n"
        "Subject: La Lettre\r\n\r\n--B--\r\n"
    ).encode()


def qmail_bounce(recipient: str, original_id: str = "") -> bytes:
    """A non-standard bounce (qmail's plain text), read by flufl.bounce's detectors."""
    return (
        "From: MAILER-DAEMON@mail.other.example\r\nTo: lettre@lettre-test.fr\r\n"
        "Subject: failure notice\r\nMessage-ID: <q1@mail.other.example>\r\n\r\n"
        "Hi. This is the qmail-send program at mail.other.example.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        f"<{recipient}>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        "--- Below this line is a copy of the message.\r\n\r\n"
        + (f"Message-ID: {original_id}\r\n" if original_id else "")
        + "Subject: La Lettre\r\n"
    ).encode()


def _setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS / "004_9b245662eba6b562.txt"), "--workspace", str(ws)).returncode == 0
    csv = tmp_path / "r.csv"
    csv.write_text("email\n" + "\n".join(READERS) + "\n")
    assert run_cli("subscribers", "import", str(csv), "--workspace", str(ws)).returncode == 0
    assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
    assert run_cli("send", "--workspace", str(ws)).returncode == 0
    ids = {}
    for path in (ws / "outbox" / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        ids[message["To"].addresses[0].addr_spec] = str(message["Message-ID"])
    return ws, ids


def _statuses(ws: Path) -> dict[str, str]:
    out = run_cli("subscribers", "list", "--workspace", str(ws)).stdout
    return {line.split("\t")[0]: line.split("\t")[2] for line in out.splitlines()}


def test_hard_soft_nonstandard_and_unsubscribe_mails(tmp_path: Path) -> None:
    ws, ids = _setup(tmp_path)
    inbox = mailbox.Maildir(tmp_path / "inbox", create=True)
    inbox.add(dsn("bruno@lettre-test.fr", "failed", "5.1.1", ids["bruno@lettre-test.fr"]))
    for n in range(2):  # two soft bounces: below the limit of three
        inbox.add(
            dsn("alice@lettre-test.fr", "delayed", "4.2.2", ids["alice@lettre-test.fr"]).replace(
                b"Message-ID: <dsn.", f"Message-ID: <dsn{n}.".encode(), 1
            )
        )
    inbox.add(qmail_bounce("chloe@lettre-test.fr", ids["chloe@lettre-test.fr"]))
    head = "From: dora@lettre-test.fr\r\nTo: lettre@lettre-test.fr\r\n"
    reply = f"{head}Subject: Merci !\r\n\r\nBravo pour la lettre.\r\n".encode()
    inbox.add(reply)
    inbox.add(b"\xff\xfe garbage \x00 not a mail at all")
    dora = email.message_from_bytes(
        next(p for p in (ws / "outbox" / "new").iterdir() if b"dora@" in p.read_bytes()).read_bytes(),
        policy=email.policy.default,
    )
    token = re.search(r"subject=unsubscribe%20([0-9a-f.]+)", str(dora["List-Unsubscribe"]))
    assert token
    inbox.add(f"{head}Subject: unsubscribe {token.group(1)}\r\n\r\n".encode())

    dry = run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--dry-run", "--workspace", str(ws))
    assert dry.returncode == 0, dry.stderr
    assert "bounced\tbruno@lettre-test.fr" in dry.stdout and "Traceback" not in dry.stderr
    assert set(_statuses(ws).values()) == {"active"} and len(inbox) == 7  # nothing changed or moved

    run = run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--workspace", str(ws))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    statuses = _statuses(ws)
    assert statuses["bruno@lettre-test.fr"] == "bounced"  # 5.1.1: at once
    assert statuses["chloe@lettre-test.fr"] == "bounced"  # qmail's permanent error
    assert statuses["alice@lettre-test.fr"] == "active"  # two soft bounces only
    assert statuses["dora@lettre-test.fr"] == "unsubscribed"  # the mailto: of List-Unsubscribe
    assert "5 processed (2 hard, 2 soft bounces)" in run.stderr
    left = sorted(inbox.get_bytes(k) for k in inbox.iterkeys())
    assert reply in left and len(left) == 2  # the reader's reply and the junk stay
    assert len(inbox.get_folder("processed")) == 5
    again = run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--workspace", str(ws))
    assert again.returncode == 0 and "0 processed" in again.stderr

    # A third soft bounce within the window marks alice; the next send skips every bounced reader.
    inbox.add(dsn("alice@lettre-test.fr", "delayed", "4.2.2", ids["alice@lettre-test.fr"]))
    assert run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--workspace", str(ws)).returncode == 0
    assert _statuses(ws)["alice@lettre-test.fr"] == "bounced"
    extra = tmp_path / "extra.txt"
    extra.write_text("Une brève\n\nLa médiathèque ouvre le dimanche. Les usagers l'avaient demandé.\n")
    assert run_cli("add", str(extra), "--workspace", str(ws)).returncode == 0
    assert run_cli("build", "--new", "--ready", "--workspace", str(ws)).returncode == 0
    before = set((ws / "outbox" / "new").iterdir())
    assert run_cli("send", "--workspace", str(ws)).returncode == 0
    new = set((ws / "outbox" / "new").iterdir()) - before
    assert len(new) == 1 and b"eve@lettre-test.fr" in next(iter(new)).read_bytes()  # the one reader left
    report = run_cli("report", "--workspace", str(ws)).stdout.splitlines()
    first = report[1].split("\t")
    assert first[3:8] == ["5", "0", "0", "3", "1"]  # sent, failed, deferred, bounced, unsubscribed


def test_a_folder_that_is_not_a_maildir_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("bounces", "--maildir", str(tmp_path), "--workspace", str(new_workspace(tmp_path)))
    assert result.returncode == 3 and "not a Maildir" in result.stderr and "Traceback" not in result.stderr
    none = run_cli("bounces", "--workspace", str(new_workspace(tmp_path)))
    assert none.returncode == 2 and "--maildir" in none.stderr


def test_a_hard_bounce_that_quotes_no_message_of_ours_only_counts(tmp_path: Path) -> None:
    ws, _ = _setup(tmp_path)
    inbox = mailbox.Maildir(tmp_path / "inbox", create=True)
    inbox.add(qmail_bounce("bruno@lettre-test.fr"))  # anyone can write this: no Message-ID of ours
    run = run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--workspace", str(ws))
    assert run.returncode == 0, run.stderr
    assert _statuses(ws)["bruno@lettre-test.fr"] == "active"
    for _ in range(2):  # three such reports (the soft limit) are needed
        inbox.add(qmail_bounce("bruno@lettre-test.fr"))
    assert run_cli("bounces", "--maildir", str(tmp_path / "inbox"), "--workspace", str(ws)).returncode == 0
    assert _statuses(ws)["bruno@lettre-test.fr"] == "bounced"
