"""`composer weekly` as cron runs it: bare environment, loopback SMTP, exactly once per week."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.conftest import SEEDS, run_cli
from tests.email.smtpd import CONFIGURED, SmtpServer

FAST = {"COMPOSER_SMTP_BACKOFF": "0.01", "COMPOSER_SMTP_TIMEOUT": "10"}


def bare_env(server: SmtpServer, workspace: Path) -> dict[str, str]:
    """What cron gives a job: PATH and the COMPOSER_* lines of the crontab, nothing else."""
    return {"PATH": os.environ["PATH"], "COMPOSER_WORKSPACE": str(workspace), **server.env(), **FAST}


def weekly(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "composer.cli", "weekly", *extra],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def prepare(tmp_path: Path, count: int) -> tuple[Path, list[str]]:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS), "--workspace", str(ws)).returncode == 0
    readers = [f"reader{i:03d}@example.org" for i in range(count)]
    csv_path = tmp_path / "subs.csv"
    csv_path.write_text("email\n" + "\n".join(readers) + "\n")
    assert run_cli("subscribers", "import", str(csv_path), "--workspace", str(ws)).returncode == 0
    return ws, readers


def recipients(server: SmtpServer) -> Counter[str]:
    return Counter(m["To"].addresses[0].addr_spec for m in server.messages)


def test_first_run_sends_second_sends_nothing(tmp_path: Path) -> None:
    ws, readers = prepare(tmp_path, 12)
    with SmtpServer() as server:
        env = bare_env(server, ws)
        first = weekly(env)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("sent\t")
        second = weekly(env)
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("already-sent\t")
        assert "already sent this week" in second.stderr
    assert recipients(server) == Counter(readers)
    log = (ws / "logs" / "weekly.log").read_text()
    assert "already sent this week" in log and "built automatic edition" in log
    for run in (first, second):
        assert "Traceback" not in run.stderr


def test_two_simultaneous_runs_send_one_copy_each(tmp_path: Path) -> None:
    ws, readers = prepare(tmp_path, 30)
    with SmtpServer() as server:
        env = bare_env(server, ws)
        cmd = [sys.executable, "-m", "composer.cli", "weekly"]
        procs = [
            subprocess.Popen(
                cmd,
                env=env,
                cwd="/",
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted(o[0].split("\t")[0] for o in outs) == ["already-sent", "sent"]
    assert recipients(server) == Counter(readers)
    assert all("Traceback" not in o[1] for o in outs)


def test_crash_then_resume_then_nothing(tmp_path: Path) -> None:
    ws, readers = prepare(tmp_path, 80)
    with SmtpServer() as server:
        env = {**bare_env(server, ws), "COMPOSER_RATE": "40"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "composer.cli", "weekly"],
            env=env,
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(server.messages) < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert 0 < len(server.messages) < len(readers)
        env.pop("COMPOSER_RATE")
        resumed = weekly(env)
        assert resumed.returncode == 0, resumed.stderr
        assert "resuming the interrupted send" in resumed.stderr
        counts = recipients(server)
        assert set(counts) == set(readers) and sum(counts.values()) - len(readers) <= 1
        again = weekly(env)
        assert again.stdout.startswith("already-sent")
        assert sum(recipients(server).values()) == sum(counts.values())


def test_nothing_to_send_exits_zero(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    with SmtpServer() as server:
        result = weekly(bare_env(server, ws))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("nothing")
    assert "nothing to send" in result.stderr


def test_ready_edition_is_preferred_and_force_sends_again(tmp_path: Path) -> None:
    ws, readers = prepare(tmp_path, 3)
    built = run_cli("build", "--title", "Édition prête", "--ready", "--workspace", str(ws))
    edition_id = built.stdout.strip()
    with SmtpServer() as server:
        env = bare_env(server, ws)
        first = weekly(env)
        assert first.stdout.strip() == f"sent\t{edition_id}", first.stderr
        assert all(m["Subject"] == "Édition prête" for m in server.messages)
        assert recipients(server) == Counter(readers)
        forced = weekly(env, "--force")
        assert forced.returncode == 0, forced.stderr
    assert forced.stdout.startswith("nothing")  # every article already went out


def test_failure_is_non_zero_and_reported_to_the_editor(tmp_path: Path) -> None:
    from tests.email.smtpd import Faults

    ws, readers = prepare(tmp_path, 4)
    with SmtpServer(Faults(reject={readers[1]})) as server:
        env = {**bare_env(server, ws), "COMPOSER_EDITOR_EMAIL": "editor@example.org"}
        result = weekly(env)
    assert result.returncode == 6
    assert "rejected 1" in result.stderr
    alerts = [m for m in server.messages if m["To"].addresses[0].addr_spec == "editor@example.org"]
    assert len(alerts) == 1 and "weekly send failed" in str(alerts[0]["Subject"])


def test_schedule_prints_cron_and_checks_bare_environment(tmp_path: Path) -> None:
    ws, _ = prepare(tmp_path, 1)
    env = {"COMPOSER_TRANSPORT": "smtp", "COMPOSER_SMTP_HOST": "127.0.0.1", "COMPOSER_SMTP_USER": "editor"}
    result = run_cli("schedule", "--workspace", str(ws), env=env)
    assert "weekly --workspace" in result.stdout and "OnCalendar=" in result.stdout
    assert result.returncode != 0
    assert "COMPOSER_SMTP_PASSWORD is not in this environment" in result.stderr
    # The shipped placeholder sender, postal address and base_url would stop an SMTP send.
    placeholders = run_cli("schedule", "--workspace", str(ws), env={**env, "COMPOSER_SMTP_PASSWORD": "pw"})
    assert placeholders.returncode != 0 and "COMPOSER_FROM" in placeholders.stderr
    ok = run_cli(
        "schedule", "--workspace", str(ws), env={**env, **CONFIGURED, "COMPOSER_SMTP_PASSWORD": "pw"}
    )
    assert ok.returncode == 0, ok.stderr
    assert "pw" not in ok.stdout


def test_an_unfinished_run_is_resumed_the_next_week_not_resent(tmp_path: Path) -> None:
    from datetime import date

    from composer.pipeline import open_context
    from composer.weekly import run_weekly
    from tests.email.smtpd import Faults

    ws, readers = prepare(tmp_path, 4)
    with SmtpServer(Faults(defer_always={readers[2]})) as server:
        ctx = open_context(ws, environ={**server.env(), **FAST})
        first = run_weekly(ctx, today=date(2026, 12, 28))
        assert first.outcome == "failed" and first.report and len(first.report.deferred) == 1
        server.handler.faults.defer_always.clear()
        second = run_weekly(ctx, today=date(2027, 1, 4))
        ctx.close()
    assert second.edition_id == first.edition_id
    assert second.outcome == "sent"
    assert recipients(server) == Counter(readers)
