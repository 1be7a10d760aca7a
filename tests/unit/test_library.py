"""The library's light rows match the stored articles without reading texts into Python."""

from __future__ import annotations

from pathlib import Path

from composer.library import (
    ArticleRow,
    archive_articles,
    article_rows,
    flag_duplicates,
    remove_articles,
    short_source,
    title_key,
)
from composer.models import Article
from composer.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_rows_count_words_like_the_article(context: object) -> None:
    from composer.pipeline import add_sources

    add_sources(context, [str(p) for p in sorted(SEEDS.glob("*.txt"))])  # type: ignore[arg-type]
    rows = article_rows(context.store)  # type: ignore[attr-defined]
    articles = {a.id: a for a in context.store.articles()}  # type: ignore[attr-defined]
    assert len(rows) == 5
    for row in rows:
        assert row.words == articles[row.id].word_count
        assert row.title == articles[row.id].title


def test_duplicates_by_title_or_url_are_flagged() -> None:
    def row(aid: str, title: str, url: str = "") -> ArticleRow:
        return ArticleRow(aid, title, "", url, "", "fr", 10, "t")

    rows = flag_duplicates(
        [
            row("a", "L’IA à l’école", "https://www.ex.org/ia?utm=1"),
            row("b", "L'IA a l'école !"),
            row("c", "Autre chose", "https://ex.org/ia/"),
            row("d", "Sans rapport"),
        ]
    )
    assert [r.duplicate_of for r in rows] == ["", "a", "a", ""]
    assert title_key("Éléphant, ÉTÉ") == "elephant ete"


def test_short_source() -> None:
    assert short_source("https://www.lemonde.fr/a/b") == "lemonde.fr"
    assert short_source("/tmp/x/article.txt") == "article.txt"


def test_archive_hides_and_remove_keeps_sent_articles(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    for i in range(3):
        store.add_article(Article(id=f"a{i}", title=f"T{i}", text=f"Texte numéro {i}."))
    assert archive_articles(store, ["a0"]) == 1
    assert [r.id for r in article_rows(store)] == ["a1", "a2"]
    assert len(article_rows(store, include_archived=True)) == 3
    for eid, day, aid in (("e1", "2024-01-01", "a1"), ("e2", "2024-01-02", "a2")):
        store.create_edition(day, "E", edition_id=eid)
        store.set_edition_articles(eid, [aid])
    store.set_edition_status("e1", "sent")
    removed, kept = remove_articles(store, ["a1", "a2"])
    assert removed == ["a2"] and kept == ["a1"]
    assert store.edition_article_ids("e2") == []
