"""RSS and Atom feeds: full entries, teaser entries fetched from their page, broken feeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.ingest.duplicates import DuplicateIndex, jaccard, near_duplicates, shingles
from composer.ingest.sources import Outcome, read_sources
from composer.models import Article
from tests.web_server import FIXTURES, serve


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def _articles(outcomes: list[Outcome]) -> list[Article]:
    return [o.article for o in outcomes if o.article is not None]


def test_atom_entries_become_articles() -> None:
    outcomes = list(read_sources([str(FIXTURES / "atom.xml")]))
    lynx, drought = _articles(outcomes)
    assert lynx.title == "Le lynx recolonise lentement le massif du Jura"
    assert (lynx.author, lynx.date) == ("Camille Perrin", "2024-06-14")
    assert lynx.url == "https://www.quotidien-matin.fr/planete/article/2024/06/14/lynx-jura_6250.html"
    assert "Des passages à faune" in lynx.text
    assert any(p.kind == "heading" for p in lynx.paragraphs)
    assert sum(p.kind == "bullet" for p in drought.paragraphs) == 2
    assert lynx.text[lynx.paragraphs[0].start : lynx.paragraphs[0].end].startswith("Longtemps disparu")


def test_rss_content_encoded_and_local_dates() -> None:
    solar, fibre = _articles(list(read_sources([str(FIXTURES / "rss.xml")])))
    assert solar.author == "Inès Bouvier" and solar.date == "2024-09-10"
    assert "Des arnaques toujours nombreuses" in solar.text
    assert fibre.url.endswith("fibre-optique-raccordements-qualite-48280/")


def test_teasers_fetch_their_page_and_one_failure_stays_with_its_entry(base: str) -> None:
    outcomes = list(read_sources([f"{base}/web/teasers.rss"], timeout=2))
    assert len(outcomes) == 3
    heat, school = _articles(outcomes)
    assert "Il est à peine 9 heures" in heat.text and "Jacques69" not in heat.text
    assert (
        heat.url
        == "https://www.quotidien-matin.fr/societe/article/2024/06/12/canicule-lyon-cours-ecole_6238.html"
    )
    assert heat.author == "Claire Dubois" and heat.date == "2024-06-12"
    assert school.title == "L’IA générative entre au collège"  # the feed's title wins
    assert school.author == "Hugo Lambert"  # the page fills what the feed lacks
    [failed] = [o for o in outcomes if o.error is not None]
    message = str(failed.error)
    assert "entry 3" in message and "Un article qui a disparu" in message and "404" in message


def test_a_feed_served_as_html_is_still_a_feed(base: str) -> None:
    assert len(_articles(list(read_sources([f"{base}/feed-as-html"], timeout=2)))) == 2


def test_a_broken_feed_is_one_error() -> None:
    [outcome] = list(read_sources([str(FIXTURES / "broken-feed.xml")]))
    assert outcome.error is not None and "not a well-formed feed" in str(outcome.error)


def test_an_xml_file_that_is_no_feed(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://x.fr/</loc></url></urlset>')
    [outcome] = list(read_sources([str(path)]))
    assert outcome.error is not None and "not a readable RSS or Atom feed" in str(outcome.error)


def test_a_teaser_without_link(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>Court</title>'
        "<description>Deux lignes seulement.</description></item></channel></rss>",
        encoding="utf-8",
    )
    [outcome] = list(read_sources([str(path)]))
    assert "only a short teaser and no web link" in str(outcome.error)


# -- near duplicates --------------------------------------------------------------------------

STORY = (
    "Le conseil municipal a voté mardi soir la rénovation complète de la piscine Jean-Bouin, fermée "
    "depuis deux ans pour des raisons de sécurité. Les travaux dureront dix-huit mois et coûteront "
    "douze millions d'euros, financés pour moitié par la région. Les clubs de natation, privés de "
    "bassin, s'entraînaient depuis dans les communes voisines, parfois à une heure de route. La "
    "maire a promis une réouverture avant l'été prochain et des créneaux réservés aux écoles du "
    "quartier, qui n'ont plus de cours de natation depuis la fermeture."
)


def _article(text: str, aid: str) -> Article:
    return Article(id=aid, title=aid, text=text, source=f"{aid}.txt")


def test_an_edited_copy_is_a_near_duplicate_and_another_story_is_not() -> None:
    edited = STORY.replace("mardi soir", "lundi soir").replace("dix-huit mois", "deux ans")
    assert jaccard(shingles(STORY), shingles(edited)) >= 0.7
    other = "La médiathèque ouvrira le dimanche à partir de septembre, a annoncé la mairie. " * 3
    found = near_duplicates(_article(STORY + " Fin.", "b"), [_article(STORY, "a"), _article(other, "c")])
    assert [d.other.id for d in found] == ["a"]
    assert "a.txt" in found[0].message() and "b.txt" in found[0].message()


def test_index_ignores_the_article_itself() -> None:
    index = DuplicateIndex()
    article = _article(STORY, "a")
    index.add(article)
    assert index.check(article) == []


def test_a_feed_with_an_xml_error_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "loose.rss"
    body = (
        "Un article complet sur le marché de Noël de Strasbourg&nbsp;: " + "des chalets, du vin chaud. " * 20
    )
    path.write_text(
        f'<rss version="2.0"><channel><title>T</title><item><title>Marché de Noël</title>'
        f"<link>https://x.fr/noel</link><description>{body}</description></item></channel></rss>",
        encoding="utf-8",
    )
    [outcome] = list(read_sources([str(path)]))
    assert outcome.article is not None and outcome.article.url == "https://x.fr/noel"
    assert "the feed is malformed" in outcome.warnings[0]
