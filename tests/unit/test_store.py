"""The SQLite workspace stores each article and subscriber once, whatever is repeated."""

from __future__ import annotations

from pathlib import Path

from composer.models import Article
from composer.store import open_store


def _article(text: str, url: str = "", aid: str = "a1") -> Article:
    return Article(id=aid, title="Titre", text=text, url=url)


def test_same_text_up_to_white_space_is_stored_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    first, new = store.add_article(_article("Une phrase.  Une autre."))
    assert new
    again, new_again = store.add_article(_article("Une phrase.\nUne autre.", aid="a2"))
    assert not new_again and again.id == first.id
    assert len(store.articles()) == 1


def test_same_url_is_stored_once(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    store.add_article(_article("Texte un.", url="https://ex.org/a"))
    _, new = store.add_article(_article("Texte deux, mis à jour.", url="https://ex.org/a", aid="b"))
    assert not new


def test_unsent_articles_exclude_sent_editions(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    store.add_article(_article("Premier texte.", aid="a"))
    store.add_article(_article("Second texte.", aid="b"))
    store.create_edition("2026-01-01", "T", edition_id="e1")
    store.set_edition_articles("e1", ["a"])
    store.set_edition_status("e1", "sent")
    assert [a.id for a in store.unsent_articles()] == ["b"]


def test_jsonl_titles_are_one_line(tmp_path: Path) -> None:
    import json

    from composer.ingest.sources import read_jsonl

    src = tmp_path / "a.jsonl"
    record = {
        "id": "1",
        "title": "Un titre\n",
        "article": "Une phrase assez longue pour être un article. Et une autre.",
    }
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    outcome = next(read_jsonl(src))
    assert outcome.article is not None and outcome.article.title == "Un titre"


def test_csv_import_odd_files(tmp_path: Path) -> None:
    import pytest

    from composer import subscribers
    from composer.errors import InputError

    store = open_store(tmp_path / "db.sqlite")
    cr_only = tmp_path / "mac.csv"
    cr_only.write_bytes(b"email\ra@example.org\rb@example.org\r")
    assert subscribers.import_csv(store, cr_only).added == 2
    huge = tmp_path / "huge.csv"
    huge.write_text("email,name\nc@example.org," + '"' + "x" * 200_000 + '"\n')
    with pytest.raises(InputError, match="not a readable CSV"):
        subscribers.import_csv(store, huge)
    utf8 = tmp_path / "utf8.csv"
    utf8.write_text("email\njosé@exemple.fr\n", encoding="utf-8")
    report = subscribers.import_csv(store, utf8)
    assert report.added == 0 and "josé@exemple.fr" in str(report.errors[0])


def test_first_release_unsubscribe_token_survives_url_decoding() -> None:
    from urllib.parse import unquote

    import pytest

    from composer.errors import InputError
    from composer.subscribers import address_from_token
    from composer.subscribers import legacy_unsubscribe_token as unsubscribe_token

    token = unsubscribe_token("a+b.c%d@example.org", "k")
    assert address_from_token(token, "k") == "a+b.c%d@example.org"
    assert address_from_token(unquote(token), "k") == "a+b.c%d@example.org"
    assert address_from_token(token.replace("%2B", "%2b"), "k") == "a+b.c%d@example.org"
    with pytest.raises(InputError):
        address_from_token(token, "other-secret")
    with pytest.raises(InputError):
        address_from_token(unsubscribe_token("x@example.org", "k").replace("x@", "y@"), "k")


def test_tokens_are_opaque_unforgeable_and_old_links_keep_working(tmp_path: Path) -> None:
    import pytest

    from composer import subscribers as subs
    from composer.errors import InputError

    store = open_store(tmp_path / "db.sqlite")
    alice, _ = subs.add(store, "alice@example.org")
    bob, _ = subs.add(store, "bob@example.org")
    token = subs.unsubscribe_token(alice, "k")
    assert "alice" not in token and subs.subscriber_for_token(store, token, "k").email == alice.email
    for forged in (
        token[:-1] + ("0" if token[-1] != "0" else "1"),
        token.replace("1.", "2.", 1),
        token + "0",
    ):
        with pytest.raises(InputError):
            subs.subscriber_for_token(store, forged, "k")
    with pytest.raises(InputError):
        subs.subscriber_for_token(store, token, "other-secret")
    legacy = subs.legacy_unsubscribe_token(bob.email, "k")
    assert subs.unsubscribe_by_token(store, legacy, "k").status == "unsubscribed"
    assert subs.unsubscribe_by_token(store, legacy, "k").status == "unsubscribed"  # idempotent
    # An erased reader's id reused by someone else never matches the old token.
    subs.remove(store, alice.email)
    with pytest.raises(InputError):
        subs.subscriber_for_token(store, token, "k")
