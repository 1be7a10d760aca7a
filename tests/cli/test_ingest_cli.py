"""`composer add` and `composer ingest` on pages, URLs, feeds and every kind of bad input.

Each bad source must cost exactly one stderr line naming it, never a traceback nor the rest of
the batch; the exit code says something failed.  The network is a loopback server only.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import new_workspace, run_cli
from tests.web_server import FIXTURES, serve, unused_port

# A total per fetch: long enough for the 10 MB endless body to hit the size cap first on a busy machine.
FAST = {"COMPOSER_FETCH_TIMEOUT": "2"}
# The loopback server's teaser feeds link back to 127.0.0.1, which a feed may reach only when allowed.
LOOPBACK = {**FAST, "COMPOSER_FETCH_PRIVATE": "1"}
CANICULE_URL = "https://www.quotidien-matin.fr/societe/article/2024/06/12/canicule-lyon-cours-ecole_6238.html"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _stored(workspace: Path) -> list[str]:
    result = run_cli("list", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    return [line.split("\t")[3] for line in _lines(result.stdout)]


def test_help() -> None:
    result = run_cli("ingest", "--help")
    assert result.returncode == 0 and "--output" in result.stdout


def test_ingest_writes_jsonl_and_creates_no_workspace(tmp_path: Path, base: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("regional-latin1.html", "atom.xml", "bom-utf8.html"):
        shutil.copy(FIXTURES / name, pages / name)
    out = tmp_path / "out.jsonl"
    result = run_cli(
        "ingest", str(pages), f"{base}/web/tech-ia-ecole.html", "--output", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    for record in records:
        assert {"id", "title", "subtitle", "author", "date", "url", "language", "text"} <= set(record)
        assert record["language"] == "fr" and "\n\n" in record["text"]
    by_title = {r["title"]: r for r in records}
    bakery = by_title["Saint-Jean-de-Boiseau : la boulangerie rouvre grâce aux habitants"]
    assert bakery["author"] == "Yves Le Goff" and "cœur du village" in bakery["text"]
    school = by_title["L’IA générative entre au collège : ce que prévoit l’expérimentation"]
    assert school["url"].startswith("https://www.numerique-hebdo.fr/education/")
    assert "5 articles written" in result.stderr
    assert not (tmp_path / "composer-workspace").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "pages"]


def test_every_bad_source_costs_one_line_and_the_rest_go_on(tmp_path: Path, base: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(
        "Réunion publique à la mairie\n\nLes habitants sont invités à débattre du projet d’école, "
        "jeudi à 20 heures. L’entrée est libre et un café sera offert à l’issue des échanges.".encode(
            "cp1252"
        )
    )
    refused = f"http://127.0.0.1:{unused_port()}/article"
    bad = {
        str(empty): "empty",
        str(binary): "PNG image",
        str(huge): "too large",
        str(tmp_path / "missing.md"): "no such file",
        str(tmp_path / ("long" * 80 + ".txt")): "cannot read it (File name too long)",
        str(FIXTURES / "no-content.html"): "no article text found",
        str(FIXTURES / "broken-feed.xml"): "not a well-formed feed",
        f"{base}/slow": "no answer within 2 s",
        f"{base}/404": "404",
        refused: "connection refused",
        f"{base}/huge": "larger than 10 MB",
    }
    good = [str(FIXTURES / "malformed.html"), str(legacy), f"{base}/web/actu-canicule.html"]
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    result = run_cli("add", *bad, *good, "--workspace", str(workspace), env=FAST)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    errors = [line for line in _lines(result.stderr) if line.startswith("error: ")]
    assert len(errors) == len(bad), result.stderr
    for source, reason in bad.items():
        [line] = [e for e in errors if e.startswith(f"error: {source}:")]
        assert reason in line, line
    [warning] = [line for line in _lines(result.stderr) if line.startswith("warning: ")]
    assert str(legacy) in warning and "save it as UTF-8" in warning
    assert len([line for line in _lines(result.stdout) if line.startswith("added\t")]) == 3
    assert len(_stored(workspace)) == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Un texte.")
    path.chmod(0)
    result = run_cli("add", str(path), "--workspace", str(new_workspace(tmp_path)))
    assert result.returncode == 3 and "cannot read it (Permission denied)" in result.stderr


def test_the_same_article_twice_is_stored_once(tmp_path: Path, base: str) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    first = run_cli("add", str(FIXTURES / "actu-canicule.html"), "--workspace", str(workspace))
    assert first.returncode == 0, first.stderr
    again = run_cli("add", f"{base}/redirect/2", "--workspace", str(workspace), env=FAST)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("duplicate\t")
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("Un titre\n\nUn   paragraphe   assez long pour être un article entier, pas moins.\n")
    respaced = tmp_path / "respaced.txt"
    respaced.write_text("Un titre\n\nUn paragraphe assez long pour être un article entier, pas moins.\n")
    both = run_cli("add", str(spaced), str(respaced), "--workspace", str(workspace))
    assert [line.split("\t")[0] for line in _lines(both.stdout)] == ["added", "duplicate"]
    assert len(_stored(workspace)) == 2


def test_near_duplicates_are_reported(tmp_path: Path) -> None:
    original = tmp_path / "original.html"
    shutil.copy(FIXTURES / "actu-canicule.html", original)
    edited = tmp_path / "edited.html"
    page = original.read_text(encoding="utf-8")
    edited.write_text(
        page.replace("Il est à peine 9 heures", "Il est à peine 10 heures").replace(
            CANICULE_URL, "https://x.fr/a"
        ),
        encoding="utf-8",
    )
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    result = run_cli("add", str(original), str(edited), "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    [warning] = [line for line in _lines(result.stderr) if line.startswith("warning: ")]
    assert str(original) in warning and str(edited) in warning and "similar" in warning
    assert len(_stored(workspace)) == 2


def test_teaser_feed_through_the_cli(tmp_path: Path, base: str) -> None:
    out = tmp_path / "feed.jsonl"
    result = run_cli("ingest", f"{base}/web/teasers.rss", "-o", str(out), env=LOOPBACK)
    assert result.returncode == 3
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    errors = [line for line in _lines(result.stderr) if line.startswith("error: ")]
    assert len(errors) == 1 and "entry 3" in errors[0] and "404" in errors[0]
