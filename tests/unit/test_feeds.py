"""RSS and Atom feeds: full entries, teaser entries fetched from their page, broken feeds.

The loopback server's teaser feeds link back to 127.0.0.1, an address a feed may only lead to
when the policy allows private addresses (``LOOPBACK``); without it those links are refused.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from composer.ingest import duplicates
from composer.ingest.duplicates import (
    DuplicateIndex,
    duplicate_warnings,
    jaccard,
    near_duplicates,
    shingles,
    write_pairs,
)
from composer.ingest.fetch import FetchPolicy
from composer.ingest.sources import Outcome, read_sources
from composer.models import Article
from tests import web_server
from tests.web_server import FIXTURES, serve

LOOPBACK = FetchPolicy(timeout=2, allow_private=True)


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
    outcomes = list(read_sources([f"{base}/web/teasers.rss"], policy=LOOPBACK))
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


def _feed(base: str, *links: str) -> str:
    return f"{base}/teaser-feed?{urlencode([('link', link) for link in links])}"


def test_links_found_in_a_feed_may_not_lead_to_private_addresses(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    links = (
        f"{base}/web/actu-canicule.html",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        f"http://localhost:{port}/web/tech-ia-ecole.html",
    )
    before = len(web_server._Handler.seen_agents)
    outcomes = list(read_sources([_feed(base, *links)], policy=FetchPolicy(timeout=2)))
    assert len(web_server._Handler.seen_agents) == before + 1  # the feed the user gave, nothing else
    errors = [str(o.error) for o in outcomes if o.error is not None]
    assert len(errors) == 3
    for number, (link, message) in enumerate(zip(links, errors, strict=True), 1):
        assert f"entry {number}" in message and link in message and "not fetched" in message
        assert "COMPOSER_FETCH_PRIVATE=1" in message and "\n" not in message
    assert "169.254.169.254 is a link-local address" in errors[1]
    [article] = _articles(outcomes)  # the full entry needs no fetch and still comes in
    assert article.title == "Horaires élargis à la médiathèque"


def test_opting_in_lets_a_feed_lead_to_loopback(base: str) -> None:
    outcomes = list(read_sources([_feed(base, f"{base}/web/actu-canicule.html")], policy=LOOPBACK))
    assert [o.error for o in outcomes] == [None, None]
    assert "Il est à peine 9 heures" in outcomes[0].article.text  # type: ignore[union-attr]


def test_a_feeds_linked_pages_share_one_time_budget(base: str) -> None:
    policy = FetchPolicy(timeout=1, feed_timeout=1.6, allow_private=True)
    drip = f"{base}/drip-body"
    start = time.monotonic()
    outcomes = list(read_sources([_feed(base, drip, drip, drip, drip)], policy=policy))
    assert time.monotonic() - start < 10  # four dripping pages, each over an hour long
    errors = [str(o.error) for o in outcomes if o.error is not None]
    assert len(errors) == 4
    assert "entry 1" in errors[0] and "did not finish within 1 s" in errors[0]
    for message in errors[1:]:  # the second page gets what is left; after it, nothing is fetched
        assert "the 1.6 s allowed for the pages of this feed are used up" in message
        assert "COMPOSER_FEED_TIMEOUT" in message
    assert len(_articles(outcomes)) == 1


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


def test_a_thousand_copies_cost_a_bounded_check_each() -> None:
    index = DuplicateIndex()
    copies = [_article(f"{STORY} Selon notre correspondant numéro {i}.", f"c{i}") for i in range(300)]
    found = [index.check(copy, remember=True) for copy in copies]
    assert found[0] == [] and all(matches for matches in found[1:])
    assert all(len(matches) <= duplicates.EXACT_CHECKS for matches in found)
    assert max(len(bucket) for bucket in index._buckets.values()) <= duplicates.BUCKET_CAP
    assert len(index) == 300
    # An unrelated article among them is not flagged.
    other = "La médiathèque ouvrira le dimanche à partir de septembre, a annoncé la mairie. " * 3
    assert index.check(_article(other, "other")) == []


def test_many_near_duplicates_make_one_summary_line(tmp_path: Path) -> None:
    index = DuplicateIndex()
    found = [index.check(_article(f"{STORY} Version {i}.", f"v{i}"), remember=True) for i in range(12)]
    found = [matches for matches in found if matches]
    assert len(found) == 11
    listed = write_pairs(found, tmp_path / "logs" / "duplicates.tsv")
    lines = duplicate_warnings(found, listed_in=listed)
    assert len(lines) == 1 + duplicates.EXAMPLES
    assert (
        lines[0].startswith("11 likely duplicates of stored or earlier articles") and str(listed) in lines[0]
    )
    assert all("similar to" in line for line in lines[1:])
    rows = listed.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("similarity\tid") and len(rows) - 1 >= 11
    few = duplicate_warnings(found[:2])
    assert len(few) == 2 and all("similar to" in line for line in few)


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
