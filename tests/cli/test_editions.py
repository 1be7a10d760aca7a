"""The stored edition from the shell: edit in $EDITOR, approve, send exactly that, once.

Every test runs the real ``composer`` command in a subprocess against a real workspace, with
a real SMTP server on loopback where mail goes out, as an editor, a script or cron would.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from composer.store.schema import VERSION
from tests.conftest import REPO, SEEDS, run_cli
from tests.email.smtpd import CONFIGURED, SmtpServer

FAST = {"COMPOSER_SMTP_BACKOFF": "0.01", "COMPOSER_SMTP_TIMEOUT": "10"}
EDITED = "Texte réécrit par la rédaction : la nuance compte."
CHAPO = "Un chapô écrit par la rédaction."

# A scripted $EDITOR (as git's tests drive git): rewrites the pessimistic view and the chapô of
# the first article, drops the example of the second, moves the third first, removes the last
# one, and writes a two-paragraph introduction.
EDITOR_SCRIPT = r"""
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
head, *articles = re.split(r"(?m)^(?=## )", text)
head = re.sub(r"(?m)^# .*$", "# Lettre revue\n\nPremier paragraphe.\n\nSecond paragraphe.", head)
first = re.sub(r"(### Point de vue pessimiste\n).*?\n\n", r"\g<1>EDITED\n\n", articles[0], flags=re.S)
first = re.sub(r"(### Chapô\n).*?\n\n", r"\g<1>CHAPO\n\n", first, flags=re.S)
second = re.sub(r"### Exemple\n.*?\n\n", "", articles[1], flags=re.S)
open(path, "w", encoding="utf-8").write(head + articles[2] + first + second + "".join(articles[3:-1]))
""".replace("EDITED", EDITED).replace("CHAPO", CHAPO)


def _workspace(tmp_path: Path, readers: int = 4) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("add", str(SEEDS), "--workspace", str(ws)).returncode == 0
    csv_path = tmp_path / "subs.csv"
    csv_path.write_text("email\n" + "".join(f"reader{i}@lettre-test.fr\n" for i in range(readers)))
    assert run_cli("subscribers", "import", str(csv_path), "--workspace", str(ws)).returncode == 0
    return ws


def _editor(tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT, encoding="utf-8")
    return {"EDITOR": f"{sys.executable} {script}"}


def _parts(message: email.message.EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return " ".join(text.split()), html


def test_edit_in_editor_then_ready_then_send_delivers_exactly_the_edit(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    built = run_cli("build", "--workspace", str(ws))
    assert built.returncode == 0, built.stderr
    eid = built.stdout.strip()
    before = run_cli("edition", "show", "--format", "json", "--workspace", str(ws))
    import json

    articles = [a["id"] for a in json.loads(before.stdout)["articles"]]
    # Without a terminal and without $EDITOR: a clear error, nothing changed.
    bare = run_cli("edition", "edit", "--workspace", str(ws), env={"EDITOR": "", "VISUAL": ""})
    assert bare.returncode == 2 and "EDITOR" in bare.stderr and "Traceback" not in bare.stderr
    edited = run_cli("edition", "edit", "--workspace", str(ws), env=_editor(tmp_path))
    assert edited.returncode == 0, edited.stderr
    assert "2 block(s) edited; 1 dropped" in edited.stderr and "1 article(s) removed" in edited.stderr
    after = json.loads(run_cli("edition", "show", "--format", "json", "--workspace", str(ws)).stdout)
    assert [a["id"] for a in after["articles"]] == [articles[2], articles[0], articles[1], *articles[3:-1]]
    assert (
        after["introduction"] == "Premier paragraphe.\n\nSecond paragraphe."
        and after["title"] == "Lettre revue"
    )
    first = after["articles"][1]
    assert first["edits"]["pessimistic"]["edited"] == EDITED and first["edits"]["pessimistic"]["original"]
    assert first["edits"]["chapo"]["edited"] == CHAPO
    assert after["articles"][2]["edits"]["example"]["dropped"]
    assert "example" not in [s["kind"] for s in after["articles"][2]["sections"]]
    # Sending needs approval first.
    with SmtpServer() as server:
        env = {**server.env(), **FAST}
        refused = run_cli("send", "--workspace", str(ws), env=env)
        assert refused.returncode == 2 and "composer edition ready" in refused.stderr
        assert run_cli("edition", "ready", eid, "--workspace", str(ws)).returncode == 0
        sent = run_cli("send", "--workspace", str(ws), env=env)
        assert sent.returncode == 0, sent.stderr
        again = run_cli("send", "--workspace", str(ws), env=env)
        assert again.returncode == 0 and "sent=0" in again.stdout and "skipped=4" in again.stdout
    assert len(server.messages) == 4
    for message in server.messages:
        text, html = _parts(message)
        assert EDITED in text and EDITED in html
        assert CHAPO in text and CHAPO in html
        assert "modifié par la rédaction" in text and "modifié par la rédaction" in html
        assert "Premier paragraphe." in html and "Second paragraphe." in html
        assert message["Subject"] == "Lettre revue"
    archive = (ws / "editions" / f"{eid}.html").read_text(encoding="utf-8")
    assert EDITED in archive and CHAPO in archive
    listing = run_cli("edition", "list", "--workspace", str(ws)).stdout.splitlines()
    row = next(line.split("\t") for line in listing if line.startswith(eid))
    assert row[1:6] == ["sent", "4", "4", "0", "0"]
    # The generated text is still there, as the original of each edit.
    assert first["edits"]["pessimistic"]["original"] != EDITED


def test_a_file_that_cannot_be_read_back_is_kept_and_named_with_its_line(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, 1)
    assert run_cli("build", "--workspace", str(ws)).returncode == 0
    typo = {"EDITOR": "sed -i s/^###\\ Exemple/###\\ Exempel/"}
    broken = run_cli("edition", "edit", "--workspace", str(ws), env=typo)
    assert broken.returncode == 3 and "Traceback" not in broken.stderr
    assert re.search(r"\.edit\.md:\d+: unknown section 'Exempel'", broken.stderr), broken.stderr
    kept = next((ws / "editions").glob("*.edit.md"))
    assert "### Exempel" in kept.read_text(encoding="utf-8")
    show = run_cli("edition", "show", "--format", "json", "--workspace", str(ws)).stdout
    assert '"edits": {}' in show  # nothing applied
    fixed = run_cli("edition", "edit", "--workspace", str(ws), env={"EDITOR": "sed -i s/Exempel/Exemple/"})
    assert fixed.returncode == 0, fixed.stderr
    assert "reopening your unsaved text" in fixed.stderr and not kept.exists()
    # A failing editor changes nothing either.
    failing = run_cli("edition", "edit", "--workspace", str(ws), env={"EDITOR": "false"})
    assert failing.returncode == 1 and "nothing changed" in failing.stderr


def test_placeholders_refuse_smtp_send_and_weekly_but_the_outbox_warns_and_delivers(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, 2)
    assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
    with SmtpServer() as server:
        env = {k: v for k, v in {**server.env(), **FAST}.items() if k not in CONFIGURED}
        refused = run_cli("send", "--workspace", str(ws), env=env)
        assert refused.returncode == 7, refused.stderr
        problems = [line for line in refused.stderr.splitlines() if line.startswith("problem: ")]
        assert len(problems) == 3
        assert any("COMPOSER_FROM" in p for p in problems) and any("base_url" in p for p in problems)
        cron = {"PATH": os.environ["PATH"], "COMPOSER_WORKSPACE": str(ws), **env}
        weekly = subprocess.run(
            [sys.executable, "-m", "composer.cli", "weekly"],
            env=cron,
            cwd="/",
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert weekly.returncode == 7 and "preflight problem" in weekly.stderr
        assert not server.messages
        checklist = run_cli("preflight", "--workspace", str(ws), env=env)
        assert checklist.returncode == 7 and checklist.stdout.count("ERROR\t") == 3
        forced = run_cli("send", "--force", "--workspace", str(ws), env=env)
        assert forced.returncode == 0, forced.stderr
        assert len(server.messages) == 2
    outbox_ws = _workspace(tmp_path / "o", 2)
    assert run_cli("build", "--ready", "--workspace", str(outbox_ws)).returncode == 0
    local = run_cli("send", "--workspace", str(outbox_ws))
    assert local.returncode == 0, local.stderr
    assert local.stderr.count("warning: ") == 3
    assert len(list((outbox_ws / "outbox" / "new").iterdir())) == 2


def test_weekly_counts_a_send_made_by_hand_the_same_week(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, 3)
    with SmtpServer() as server:
        env = {**server.env(), **FAST}
        assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
        assert run_cli("send", "--workspace", str(ws), env=env).returncode == 0
        # A new article and a new ready edition: still not this week.
        extra = tmp_path / "extra.txt"
        extra.write_text(
            "Un titre neuf\n\nUne phrase neuve. Une autre phrase, plus longue que la première.\n"
        )
        assert run_cli("add", str(extra), "--workspace", str(ws)).returncode == 0
        assert run_cli("build", "--new", "--ready", "--workspace", str(ws)).returncode == 0
        cron = {"PATH": os.environ["PATH"], "COMPOSER_WORKSPACE": str(ws), **env}
        weekly = subprocess.run(
            [sys.executable, "-m", "composer.cli", "weekly"],
            env=cron,
            cwd="/",
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert weekly.returncode == 0, weekly.stderr
        assert weekly.stdout.startswith("already-sent\t") and "already sent this week" in weekly.stderr
    assert len(server.messages) == 3


def test_a_workspace_of_the_previous_release_migrates_in_place(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    db = ws / "composer.db"
    dump = (REPO / "tests" / "fixtures" / "workspaces" / "release-v1.sql").read_text(encoding="utf-8")
    with sqlite3.connect(db) as conn:
        conn.executescript(dump)
    listing = run_cli("edition", "list", "--workspace", str(ws))
    assert listing.returncode == 0, listing.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in listing.stdout.splitlines()[1:]}
    assert rows["demo-2026-12-03"][1:4] == ["sent", "5", "3"]
    assert rows["2026-12-01-1"][1:3] == ["ready", "2"] and rows["2026-12-02-1"][1] == "draft"
    assert (ws / "composer.db.v1.bak").is_file()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == VERSION
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
        assert conn.execute("SELECT COUNT(*) FROM subscribers").fetchone()[0] == 3
        assert conn.execute("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'").fetchone()[0] == 3
        method = conn.execute(
            "SELECT method, sentences FROM edition_items WHERE edition_id = '2026-12-01-1' AND position = 1"
        ).fetchone()
        assert tuple(method) == ("lead", 2)
    # The ready edition keeps its edit and goes out with it; the demo edition is not sent again.
    show = run_cli("edition", "show", "2026-12-01-1", "--format", "json", "--workspace", str(ws))
    assert "Texte revu par la rédaction." in show.stdout
    with SmtpServer() as server:
        sent = run_cli("send", "--workspace", str(ws), env={**server.env(), **FAST})
        assert sent.returncode == 0, sent.stderr
    assert len(server.messages) == 3
    for message in server.messages:
        text, html = _parts(message)
        assert "Texte revu par la rédaction." in text and "Texte revu par la rédaction." in html
    again = run_cli("edition", "list", "--workspace", str(ws)).stdout
    assert "2026-12-01-1\tsent\t2\t3" in again
    # Opening it again is a no-op: no second backup, same version.
    assert run_cli("list", "--workspace", str(ws)).returncode == 0
    assert len(list(ws.glob("composer.db.v*.bak"))) == 1


def test_two_sends_at_once_deliver_one_copy_each(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, 12)
    assert run_cli("build", "--ready", "--workspace", str(ws)).returncode == 0
    with SmtpServer() as server:
        env = {**os.environ, **server.env(), **FAST}
        env = {k: v for k, v in env.items() if not k.startswith("COMPOSER_") or k in {**server.env(), **FAST}}
        # --rate keeps each send busy for about a second, so the two really overlap.
        command = [sys.executable, "-m", "composer.cli", "send", "--rate", "12", "--workspace", str(ws)]
        runs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        outs = [p.communicate(timeout=120) for p in runs]
        assert all(p.returncode == 0 for p in runs), outs
    addresses = [m["To"].addresses[0].addr_spec for m in server.messages]
    assert len(addresses) == 12 and len(set(addresses)) == 12
    assert sorted(o[0].decode().split("\t")[1] for o in outs) == ["sent=0", "sent=12"]
