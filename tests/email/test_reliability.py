"""The send under a hostile world: two senders at once, odd subscribers, spreadsheets, damaged files."""

from __future__ import annotations

import email
import email.policy
import os
import stat
import subprocess
import sys
from collections import Counter
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_cli
from tests.email.smtpd import SmtpServer

FAST = {"COMPOSER_SMTP_BACKOFF": "0.01", "COMPOSER_SMTP_TIMEOUT": "10"}
INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f\ufeff")


def _workspace(tmp_path: Path, csv_text: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
    ws = tmp_path / "ws"
    assert run_cli("init", str(ws)).returncode == 0  # as a newcomer does: a private workspace
    assert run_cli("add", str(SEEDS / "004_9b245662eba6b562.txt"), "--workspace", str(ws)).returncode == 0
    csv = tmp_path / "r.csv"
    csv.write_text(csv_text, encoding="utf-8")
    imported = run_cli("subscribers", "import", str(csv), "--workspace", str(ws))
    assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
    return ws, imported


def test_two_sends_at_the_same_moment_then_one_more_give_each_reader_one_message(tmp_path: Path) -> None:
    readers = [f"r{n:03d}@lettre-test.fr" for n in range(300)]
    ws, _ = _workspace(tmp_path, "email\n" + "\n".join(readers) + "\n")
    with SmtpServer() as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
        env.update({**server.env(), **FAST})
        command = [sys.executable, "-m", "composer.cli", "send", "--workspace", str(ws)]
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outs = [p.communicate(timeout=300) for p in runs]
        assert all(p.returncode == 0 for p in runs), outs
        third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert third.returncode == 0 and "sent=0" in third.stdout
    counts = Counter(m["To"].addresses[0].addr_spec for m in server.messages)
    assert counts == Counter(readers)  # every reader exactly once
    assert all(b"Traceback" not in err for _, err in outs)


def test_odd_subscribers_each_get_one_message_and_never_stop_the_list(tmp_path: Path) -> None:
    long_ascii = "A" * 1000
    long_accented = "Éléonore-Françoise " * 22  # about 400 characters
    bidi = "Alice\u202egnp.exe\u202c \u200bMartin\u2066"
    rows = [
        "email,name",
        f"long@lettre-test.fr,{long_ascii}",
        f"accent@lettre-test.fr,{long_accented}",
        f"bidi@lettre-test.fr,{bidi}",
        "idn@exämple.org,Domaine accentué",
        "ïdn@lettre-test.fr,Partie locale accentuée",
        "plain@lettre-test.fr,Plain",
    ]
    ws, imported = _workspace(tmp_path, "\n".join(rows) + "\n")
    assert imported.returncode == 3 and "ïdn@lettre-test.fr" in imported.stderr  # refused at import, named
    assert "Traceback" not in imported.stderr
    listing = run_cli("subscribers", "list", "--workspace", str(ws)).stdout
    assert "idn@xn--exmple-cua.org" in listing  # the IDN domain is kept in punycode
    with SmtpServer() as server:
        sent = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert sent.returncode == 0, sent.stderr
    counts = Counter(m["To"].addresses[0].addr_spec for m in server.messages)
    expected = ["long@lettre-test.fr", "accent@lettre-test.fr", "bidi@lettre-test.fr"]
    assert counts == Counter([*expected, "idn@xn--exmple-cua.org", "plain@lettre-test.fr"])
    for data in server.handler.raw:
        head = data.split(b"\r\n\r\n", 1)[0]
        assert max(len(line) for line in head.split(b"\r\n")) <= 998  # folded, never un-folded
        raw = email.message_from_bytes(data, policy=email.policy.compat32)["To"]
        # Decoded as RFC 2047 says (whitespace between encoded words is not text).
        name = str(make_header(decode_header(raw))).rpartition("<")[0].strip().strip('"')
        assert not INVISIBLE & set(name), repr(name)
        assert len(name) <= 120
    bidi_to = next(m for m in server.messages if "bidi@" in str(m["To"]))
    assert bidi_to["To"].addresses[0].display_name == "Alicegnp.exe Martin"
    accent = next(d for d in server.handler.raw if b"accent@" in d)
    raw = email.message_from_bytes(accent, policy=email.policy.compat32)["To"]
    assert str(make_header(decode_header(raw))).startswith("Éléonore-Françoise Éléonore-Françoise")


def test_a_title_of_3000_characters_still_sends(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS / "004_9b245662eba6b562.txt"), "--workspace", str(ws)).returncode == 0
    assert run_cli("subscribers", "add", "r@lettre-test.fr", "--workspace", str(ws)).returncode == 0
    title = "Édition " + "x" * 3000
    assert run_cli("build", "--ready", "--title", title, "--workspace", str(ws)).returncode == 0
    with SmtpServer() as server:
        sent = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert sent.returncode == 0, sent.stderr
    (message,) = server.messages
    assert str(message["Subject"]) == title


def test_export_never_starts_a_cell_with_a_formula(tmp_path: Path) -> None:
    rows = [
        "email,name",
        'a@lettre-test.fr,=HYPERLINK("http://x")',
        "b@lettre-test.fr,@SUM(A1)",
        "c@lettre-test.fr,+33 6 12",
        "d@lettre-test.fr,-1",
        "e@lettre-test.fr,Normal",
    ]
    ws, _ = _workspace(tmp_path, "\n".join(rows) + "\n")
    export = run_cli("subscribers", "export", "--workspace", str(ws)).stdout
    import csv
    import io

    cells = [cell for row in csv.reader(io.StringIO(export)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://x")' in cells and "Normal" in cells


def test_the_workspace_is_private_and_a_damaged_database_is_one_clear_line(tmp_path: Path) -> None:
    ws, _ = _workspace(tmp_path, "email\nr@lettre-test.fr\n")
    assert stat.S_IMODE(ws.stat().st_mode) == 0o700
    for name in ("composer.db", "composer.db-wal"):
        path = ws / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, name
    backup = run_cli("backup", str(tmp_path / "copy.db"), "--workspace", str(ws))
    assert backup.returncode == 0 and (tmp_path / "copy.db").stat().st_size > 0
    (ws / "composer.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    for wal in ws.glob("composer.db-*"):
        wal.unlink()
    for command in (["list"], ["send"], ["edition", "list"]):
        result = run_cli(*command, "--workspace", str(ws))
        assert result.returncode == 4, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert "composer backup" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_second_sender_that_gives_up_says_who_holds_the_lock(tmp_path: Path) -> None:
    from composer.deliver.lock import send_lock
    from composer.errors import WorkspaceError
    from composer.pipeline import deliver, open_context

    ws, _ = _workspace(tmp_path, "email\nr@lettre-test.fr\n")
    ctx = open_context(ws, environ={})
    try:
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                (
                    "import time; from pathlib import Path; from composer.deliver.lock import send_lock\n"
                    f"with send_lock(Path({str(ws / 'composer.db')!r})):\n"
                    "    print('held', flush=True); time.sleep(30)\n"
                ),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceError, match=f"pid {holder.pid}"):
            deliver(ctx, lock_wait=0.5)
        holder.kill()
        holder.wait()
        with send_lock(ws / "composer.db", wait=5):  # released by the kernel when its holder died
            pass
    finally:
        ctx.close()
