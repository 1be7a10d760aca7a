"""Cases found by reading the code as an attacker or an unlucky user would."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from composer.errors import UsageError
from composer.models import Article
from composer.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _draft(context: object) -> tuple[object, list[str]]:
    from composer.pipeline import add_sources, build_edition

    add = add_sources(context, [str(p) for p in sorted(SEEDS.glob("00[0-2]*.txt"))])  # type: ignore[arg-type]
    ids = [a.id for a in add.added]
    edition = build_edition(context, ids[:2], edition_id="e1")  # type: ignore[arg-type]
    return edition, ids


def test_an_approved_edition_keeps_its_plan_and_fields(context: object) -> None:
    from composer.edition.stored import mark_ready
    from composer.pipeline import templates

    _, ids = _draft(context)
    store = context.store  # type: ignore[attr-defined]
    mark_ready(store, "e1", templates(context))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="ready"):
        store.update_edition("e1", title="Changé après coup")
    with pytest.raises(UsageError, match="ready"):
        store.set_edition_articles("e1", ids[:1])
    removed, kept = store.remove_articles([ids[0]])  # the editor's `del` in the library
    assert removed == [] and kept == [ids[0]]
    assert store.edition_article_ids("e1") == ids[:2]


def test_build_with_an_article_adds_it_and_keeps_the_edits(context: object) -> None:
    from composer.edition.edits import edits_for, save_edit
    from composer.pipeline import build_edition

    _, ids = _draft(context)
    store = context.store  # type: ignore[attr-defined]
    save_edit(store, "e1", ids[0], "recap", "x", "Un récapitulatif à nous.")
    again = build_edition(context, [ids[2]], edition_id="e1")  # type: ignore[arg-type]
    assert [i.article.id for i in again.items] == ids[:3]
    assert (ids[0], "recap") in edits_for(store, "e1")


def test_a_key_point_that_starts_with_a_minus_keeps_it(context: object) -> None:
    from composer.edition.edits import save_edit
    from composer.pipeline import load_edition

    _, ids = _draft(context)
    save_edit(context.store, "e1", ids[0], "essentiel", "x", "-20 % sur les frais\n- - 3 postes")  # type: ignore[attr-defined]
    points = [s.text for s in load_edition(context, "e1").items[0].digest.key_points]  # type: ignore[arg-type]
    assert points == ["-20 % sur les frais", "- 3 postes"]


def test_markdown_with_a_bom_and_cr_line_ends_reads_back(context: object) -> None:
    from composer.edition import markdown, stored
    from composer.pipeline import templates

    _draft(context)
    generated = stored.load(context.store, "e1", templates(context), edited=False)  # type: ignore[attr-defined, arg-type]
    text = "\ufeff" + markdown.to_markdown(generated, {}).replace("\n", "\r")
    headings = {s.heading: s.kind for i in generated.items for s in i.sections}
    parsed = markdown.parse(text, {i.article.id: i.article.title for i in generated.items}, headings)
    assert parsed.title == generated.title and len(parsed.articles) == 2


def test_edition_ids_cannot_walk_out_of_the_workspace(context: object) -> None:
    from composer.pipeline import build_edition

    _, ids = _draft(context)
    for bad in ("../../../tmp/pwn", "a/b", "x\r\nBcc: y"):
        with pytest.raises(UsageError, match="edition id"):
            build_edition(context, ids[:1], edition_id=bad, new=True)  # type: ignore[arg-type]


def test_a_list_id_keeps_its_id_literal_and_idn_senders_are_punycode() -> None:
    from composer.config import Settings
    from composer.deliver.message import MessageTemplate, list_id, parse
    from composer.models import RenderedEdition, Subscriber

    settings = Settings(newsletter_name="La Lettre d'Été", sender="Lettre <news@exämple.fr>")
    assert list_id(settings).endswith(" <la-lettre-d-ete.xn--exmple-cua.fr>")
    rendered = RenderedEdition("e", "Sujet", "", "<p>x</p>", "x")
    message = parse(MessageTemplate(rendered, settings, secret="k").render(Subscriber("a@b.fr", id=1)))
    assert message["From"].addresses[0].addr_spec == "news@xn--exmple-cua.fr"
    assert "@xn--exmple-cua.fr>" in message["Message-ID"]


def test_idn_readers_of_an_older_release_are_merged_not_doubled(tmp_path: Path) -> None:
    from composer import subscribers

    db = tmp_path / "composer.db"
    store = open_store(db)
    store.conn.execute(
        "INSERT INTO subscribers (email, name, created_at, updated_at)"
        " VALUES ('zoe@exämple.fr','Zoé','t','t')"
    )
    store.conn.execute(
        "INSERT INTO subscribers (email, name, created_at, updated_at)"
        " VALUES ('zoe@xn--exmple-cua.fr','','t2','t2')"
    )
    store.conn.execute("INSERT INTO editions (id, title, date, created_at) VALUES ('e','T','d','t')")
    store.conn.execute(
        "INSERT INTO deliveries (edition_id, subscriber_id, status, updated_at) VALUES ('e', 2, 'sent', 't')"
    )
    store.conn.execute("PRAGMA user_version = 3")
    store.conn.commit()
    store.close()
    store = open_store(db)
    rows = subscribers.listing(store, None)
    assert [(r.email, r.name) for r in rows] == [("zoe@xn--exmple-cua.fr", "Zoé")]
    assert store.ledger("e") == {rows[0].id: "sent"}  # the twin's history moved to the survivor
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_export_then_import_gives_back_the_same_list(tmp_path: Path) -> None:
    from composer import subscribers

    first = open_store(tmp_path / "a.db")
    subscribers.add(first, "+tag@lettre-test.fr", "=SUM(A1)")
    gone, _ = subscribers.add(first, "bob@lettre-test.fr")
    subscribers.set_status(first, gone, "unsubscribed")
    csv_path = tmp_path / "export.csv"
    csv_path.write_text(subscribers.export_csv(first), encoding="utf-8")
    second = open_store(tmp_path / "b.db")
    report = subscribers.import_csv(second, csv_path)
    assert not report.errors
    assert {(s.email, s.name, s.status) for s in subscribers.listing(second, None)} == {
        ("+tag@lettre-test.fr", "=SUM(A1)", "active"),
        ("bob@lettre-test.fr", "", "unsubscribed"),
    }


def test_publish_writes_files_a_web_server_can_read(context: object, tmp_path: Path) -> None:
    import os

    from composer.web.archive import publish

    old = os.umask(0o077)
    try:
        written = publish(context, tmp_path / "site")  # type: ignore[arg-type]
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o755
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)


def test_never_sqlite_outside_the_store() -> None:
    # (kept here as a reminder of why the two SQL statements above live in a test, not the code)
    assert sqlite3.sqlite_version
    assert Article
