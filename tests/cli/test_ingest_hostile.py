"""`composer add` under slow and hostile input: every run ends, says what failed, keeps the rest.

Real parts only: the loopback HTTP server (with routes that drip one byte every half second),
real files with hostile names and records, real JSONL, two real `composer` processes at once.
Deadlines are shortened through ``COMPOSER_FETCH_TIMEOUT`` so the tests stay fast; the default
(≤ 30 s per fetch) is checked in tests/unit/test_fetch.py.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import REPO, new_workspace, run_cli
from tests.web_server import serve

STORY = (
    "Le conseil municipal a voté mardi soir la rénovation complète de la piscine Jean-Bouin, fermée "
    "depuis deux ans pour des raisons de sécurité. Les travaux dureront dix-huit mois et coûteront "
    "douze millions d'euros, financés pour moitié par la région. Les clubs de natation, privés de "
    "bassin, s'entraînaient depuis dans les communes voisines, parfois à une heure de route. La "
    "maire a promis une réouverture avant l'été prochain et des créneaux réservés aux écoles du "
    "quartier, qui n'ont plus de cours de natation depuis la fermeture."
)
GOOD = (
    "Réunion publique à la mairie\n\nLes habitants sont invités à débattre du projet d’école, jeudi à "
    "20 heures. L’entrée est libre et un café sera offert à l’issue des échanges avec les architectes.\n"
)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def _lines(text: str, prefix: str = "") -> list[str]:
    return [line for line in text.splitlines() if line.strip() and line.startswith(prefix)]


def _record(rid: str, title: str, body: str) -> bytes:
    return json.dumps({"id": rid, "title": title, "article": body}, ensure_ascii=False).encode() + b"\n"


def _stored(workspace: Path) -> list[str]:
    result = run_cli("list", "--workspace", str(workspace))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return [line.split("\t")[0] for line in _lines(result.stdout)]


# -- 1. deadlines that hold -------------------------------------------------------------------


def test_dripping_servers_are_cut_at_the_deadline_and_the_file_is_added(tmp_path: Path, base: str) -> None:
    good = tmp_path / "reunion.txt"
    good.write_text(GOOD, encoding="utf-8")
    drips = [f"{base}/drip-headers", f"{base}/drip-body"]
    start = time.monotonic()
    result = run_cli(
        "add",
        *drips,
        str(good),
        "--workspace",
        str(new_workspace(tmp_path)),
        env={"COMPOSER_FETCH_TIMEOUT": "1.5"},
    )
    # Without a total deadline the headers alone take ~45 s and the body over an hour.
    assert time.monotonic() - start < 40
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    errors = _lines(result.stderr, "error: ")
    assert len(errors) == 2, result.stderr
    assert errors[0].startswith(f"error: {drips[0]}: no answer within 1.5 s")
    assert errors[1].startswith(f"error: {drips[1]}: the download did not finish within 1.5 s")
    assert len(_lines(result.stdout, "added\t")) == 1
    assert len(_stored(tmp_path / "ws")) == 1


def test_the_workspace_setting_sets_the_deadline(tmp_path: Path, base: str) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    (workspace / "settings.toml").write_text("fetch_timeout = 1\n", encoding="utf-8")
    result = run_cli("add", f"{base}/drip-headers", "--workspace", str(workspace))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    [error] = _lines(result.stderr, "error: ")
    assert "no answer within 1 s" in error and "fetch_timeout" in error


# -- 2. batches that go on --------------------------------------------------------------------


def test_bad_jsonl_records_cost_one_line_each(tmp_path: Path) -> None:
    source = tmp_path / "batch.jsonl"
    big = "Une phrase de remplissage pour grossir l'article. " * (11 * 1024 * 1024 // 50)
    with source.open("wb") as out:
        out.write(_record("a", "Premier", STORY))
        out.write(
            _record("a", "Autre", "Une tout autre histoire, racontée assez longuement pour compter. " * 3)
        )
        out.write(
            _record("latin", "Accents", "placeholder").replace(b"placeholder", "déjà vu".encode("latin-1"))
        )
        out.write(_record("big", "Énorme", big))
        out.write(b"\n")
        out.write(
            b'{"id": "s", "title": "Caract\\udce8re perdu", "article": "Un article dont un caract\\udce8re '
            b'est une moiti\\u00e9 de paire, ce qui arrive dans les exports mal faits."}\n'
        )
        out.write(
            _record("z", "Dernier", "La médiathèque ouvrira le dimanche, a annoncé la mairie lundi. " * 3)
        )
    other = tmp_path / "other.jsonl"
    other.write_bytes(
        _record("o", "Autre fichier", "Le marché de Noël ouvre ses chalets vendredi soir. " * 3)
    )
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    result = run_cli("add", str(source), str(other), "--workspace", str(workspace))
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    errors = _lines(result.stderr, "error: ")
    assert len(errors) == 3, result.stderr
    assert errors[0].startswith(f"error: {source}:2: id 'a' is already used by another article ('Premier')")
    assert errors[1].startswith(f"error: {source}:3: not UTF-8 (byte 0xe9 at column ")
    assert errors[2].startswith(f"error: {source}:4: the record is 11.0 MB, over the 10 MB limit")
    assert sorted(_stored(workspace)) == ["a", "o", "s", "z"]
    listing = run_cli("list", "--workspace", str(workspace)).stdout
    assert "Caract\ufffdre perdu" in listing


def test_a_file_of_bad_lines_is_summed_up_and_its_good_lines_kept(tmp_path: Path) -> None:
    source = tmp_path / "latin1.jsonl"
    with source.open("wb") as out:
        out.write(_record("first", "Premier", STORY))
        for n in range(40):
            out.write(
                _record(f"l{n}", "Été", f"Un été numéro {n}, écrit en Latin-1.").decode().encode("latin-1")
            )
        out.write(_record("last", "Dernier", "La médiathèque ouvrira le dimanche, a annoncé la mairie. " * 3))
    result = run_cli("add", str(source), "--workspace", str(new_workspace(tmp_path)))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    errors = _lines(result.stderr, "error: ")
    assert len(errors) == 21
    assert errors[-1].startswith(f"error: {source}: 20 more bad lines from line 22 on")
    assert sorted(_stored(tmp_path / "ws")) == ["first", "last"]


def test_file_names_that_are_not_utf8_are_named_escaped_and_read(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    raw = os.fsencode(folder)
    with open(os.path.join(raw, b"caf\xe9.txt"), "wb") as handle:
        handle.write(f"La fête du café\n\n{STORY}\n".encode())
    with open(os.path.join(raw, b"r\xe9cits.jsonl"), "wb") as handle:
        handle.write(_record("r1", "Récit", "Le marché de Noël ouvre ses chalets vendredi soir. " * 3))
    result = run_cli("add", str(folder), "--workspace", str(new_workspace(tmp_path)))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    warnings = _lines(result.stderr, "warning: ")
    assert len(warnings) == 2, result.stderr
    assert any(f"{folder}/caf\\xe9.txt: the file name is not valid UTF-8" in w for w in warnings)
    assert any(f"{folder}/r\\xe9cits.jsonl: the file name is not valid UTF-8" in w for w in warnings)
    assert len(_lines(result.stdout, "added\t")) == 3
    assert len(_stored(tmp_path / "ws")) == 3


# -- 3. near-duplicates at scale --------------------------------------------------------------


def test_a_thousand_near_identical_records_make_no_wall_of_warnings(tmp_path: Path) -> None:
    source = tmp_path / "copies.jsonl"
    with source.open("wb") as out:
        for n in range(1000):
            out.write(
                _record(f"c{n}", f"Piscine {n}", f"Selon notre correspondant numéro {n}, c'est acté. {STORY}")
            )
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    result = run_cli("add", str(source), "--workspace", str(workspace))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(_lines(result.stdout, "added\t")) == 1000
    warnings = _lines(result.stderr, "warning: ")
    assert len(warnings) <= 5, warnings[:10]
    assert warnings[0].startswith("warning: 999 likely duplicates of stored or earlier articles")
    listed = workspace / "logs" / "duplicates.tsv"
    assert str(listed) in warnings[0]
    rows = listed.read_text(encoding="utf-8").splitlines()
    assert {row.split("\t")[1] for row in rows[1:]} == {f"c{n}" for n in range(1, 1000)}


# -- 4. links found in feeds stay off private addresses ----------------------------------------


def _feed(base: str, *links: str) -> str:
    return f"{base}/teaser-feed?{urlencode([('link', link) for link in links])}"


def test_a_feed_cannot_send_composer_to_private_addresses(tmp_path: Path, base: str) -> None:
    feed = _feed(base, f"{base}/web/actu-canicule.html", "http://169.254.169.254/latest/meta-data/")
    result = run_cli(
        "add", feed, "--workspace", str(new_workspace(tmp_path)), env={"COMPOSER_FETCH_TIMEOUT": "2"}
    )
    assert result.returncode == 3 and "Traceback" not in result.stderr
    errors = _lines(result.stderr, "error: ")
    assert len(errors) == 2
    assert "entry 1" in errors[0] and "127.0.0.1 is a loopback address" in errors[0]
    assert "entry 2" in errors[1] and "169.254.169.254 is a link-local address" in errors[1]
    assert all("COMPOSER_FETCH_PRIVATE=1" in e for e in errors)
    assert len(_lines(result.stdout, "added\t")) == 1  # the full entry


def test_the_opt_in_lets_a_feed_reach_loopback(tmp_path: Path, base: str) -> None:
    feed = _feed(base, f"{base}/web/actu-canicule.html")
    env = {"COMPOSER_FETCH_TIMEOUT": "2", "COMPOSER_FETCH_PRIVATE": "1"}
    result = run_cli("add", feed, "--workspace", str(new_workspace(tmp_path)), env=env)
    assert result.returncode == 0, result.stderr
    assert len(_lines(result.stdout, "added\t")) == 2


# -- 5. two runs at once ----------------------------------------------------------------------


def _folder(root: Path, name: str, count: int, rng: random.Random) -> Path:
    words = (REPO / "seeds" / "004_9b245662eba6b562.txt").read_text(encoding="utf-8").split()
    folder = root / name
    folder.mkdir()
    for n in range(count):
        text = " ".join(rng.choice(words) for _ in range(150))
        (folder / f"{name}-{n}.txt").write_text(f"{name} numéro {n}\n\n{text}.\n", encoding="utf-8")
    return folder


def test_two_adds_at_once_serialise_cleanly(tmp_path: Path) -> None:
    rng = random.Random(11)
    first, second = (_folder(tmp_path, name, 150, rng) for name in ("alpha", "beta"))
    shared = _folder(tmp_path, "commun", 100, rng)  # both runs add these: one stores, one finds them
    workspace = tmp_path / "ws"
    workspace.mkdir(parents=True, exist_ok=True)  # an existing folder opens as a workspace
    assert run_cli("list", "--workspace", str(workspace)).returncode == 0  # an existing workspace
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSER_")}
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "composer.cli",
                "add",
                str(folder),
                str(shared),
                "--workspace",
                str(workspace),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for folder in (first, second)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0 and "Traceback" not in err and "error" not in err, err
    added = [line for out, _ in outputs for line in _lines(out, "added\t")]
    duplicates = [line for out, _ in outputs for line in _lines(out, "duplicate\t")]
    assert len(added) == 400 and len(duplicates) == 100  # each shared article stored once, by one run
    assert len(_stored(workspace)) == 400
