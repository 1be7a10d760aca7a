"""HTML pages to articles: main content, block kinds, metadata and encodings, on saved pages.

The quality floors below were measured on tests/fixtures/web with its hand-made gold.json
(``must``: snippets of the article body; ``must_not``: page furniture); a change that lowers them
is a regression, as in trafilatura's own test suite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from composer.errors import InputError
from composer.ingest.encoding import decode_document
from composer.ingest.html import html_document
from composer.ingest.html_meta import iso_date, strip_site_suffix
from composer.ingest.sources import read_document, read_sources, sniff_kind
from tests.conftest import MOJIBAKE
from tests.web_server import FIXTURES, serve

GOLD = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))


def _document(name: str, extractor: str = "auto"):  # type: ignore[no-untyped-def]
    decoded = decode_document((FIXTURES / name).read_bytes(), name, markup=True)
    return html_document(decoded.text, source=name, extractor=extractor)  # type: ignore[arg-type]


def _score(extractor: str) -> tuple[float, int]:
    found = total = leaks = 0
    for name, gold in GOLD.items():
        doc = _document(name, extractor)
        body = "\n".join(text for _, text in doc.blocks)
        found += sum(snippet in body for snippet in gold["must"])
        total += len(gold["must"])
        leaks += sum(snippet in body + doc.subtitle for snippet in gold["must_not"])
    return found / total, leaks


@pytest.mark.parametrize("name", sorted(GOLD))
def test_metadata_of_each_page(name: str) -> None:
    gold = GOLD[name]
    doc = _document(name)
    expected = (gold["title"], gold["author"], gold["date"], gold["url"])
    assert (doc.title, doc.author, doc.date, doc.url) == expected


@pytest.mark.parametrize("name", sorted(GOLD))
def test_body_keeps_the_article_and_its_block_kinds(name: str) -> None:
    gold = GOLD[name]
    doc = _document(name)
    body = "\n".join(text for _, text in doc.blocks)
    missing = [s for s in gold["must"] if s not in body]
    assert len(missing) <= len(gold["must"]) // 4, missing
    assert set(gold["kinds"]) <= {kind for kind, _ in doc.blocks}
    assert not MOJIBAKE & set(body), "mojibake left in the text"
    assert all(text.strip() == text and text for _, text in doc.blocks)


def test_quality_floors_trafilatura_and_fallback() -> None:
    recall, leaks = _score("auto")
    assert recall >= 0.97 and leaks <= 2
    recall, leaks = _score("fallback")
    assert recall >= 0.97 and leaks <= 7


def test_cookie_banner_comments_and_related_links_are_dropped() -> None:
    doc = _document("actu-canicule.html")
    text = " ".join(t for _, t in doc.blocks)
    for furniture in ("cookies", "Articles connexes", "Jacques69", "Enfin une mesure", "Mentions légales"):
        assert furniture not in text
    assert doc.subtitle.startswith("Face aux vagues de chaleur")
    assert ("heading", "Jusqu’à sept degrés de moins") in doc.blocks
    assert ("bullet", "3 200 arbres plantés dans les écoles de la ville ;") in doc.blocks


def test_a_page_without_article_text_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text found"):
        _document("no-content.html")


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("Titre de l’article - Le Monde", "", "Titre de l’article"),
        ("Titre de l’article | Numérique Hebdo", "", "Titre de l’article"),
        ("Un titre – avec un tiret – Le Blog", "Le Blog", "Un titre – avec un tiret"),
        ("Covid-19 - bilan", "", "Covid-19 - bilan"),
    ],
)
def test_site_suffix_is_stripped_from_titles(raw: str, site: str, expected: str) -> None:
    assert strip_site_suffix(raw, site) == expected


def test_dates_are_normalised() -> None:
    assert iso_date("2024-06-12T06:30:00+02:00") == "2024-06-12"
    assert iso_date("Publié le 18/11/2023") == "2023-11-18"
    assert iso_date("hier") == ""


# -- encodings -------------------------------------------------------------------------------


def test_latin1_declared_in_meta() -> None:
    decoded = decode_document((FIXTURES / "regional-latin1.html").read_bytes(), "p", markup=True)
    assert decoded.encoding == "cp1252" and not decoded.guessed
    assert "grâce aux habitants" in decoded.text


def test_cp1252_without_declaration_is_guessed_and_reported() -> None:
    data = (FIXTURES / "blog-cp1252.html").read_bytes()
    decoded = decode_document(data, "p", markup=True)
    assert decoded.guessed and decoded.encoding == "cp1252"
    assert "d’une grand-mère" in decoded.text and "2 300 €" in decoded.text
    [outcome] = list(read_document(data, "blog.html", suffix=".html"))
    assert outcome.article is not None and "no declared encoding" in outcome.warnings[0]


def test_utf8_bom_wins_and_disappears() -> None:
    decoded = decode_document((FIXTURES / "bom-utf8.html").read_bytes(), "p", markup=True)
    assert decoded.encoding == "utf-8-sig" and not decoded.text.startswith("\ufeff")


def test_utf16_text_with_bom() -> None:
    data = "\ufeffLa rédaction a écrit un article.".encode("utf-16-le")
    assert decode_document(b"\xff\xfe" + data[2:], "t").text == "La rédaction a écrit un article."


def test_a_false_utf8_declaration_falls_back_to_the_guess() -> None:
    data = '<meta charset="utf-8"><p>L’été à Noël, 20 €</p>'.encode("cp1252")
    decoded = decode_document(data, "p", markup=True)
    assert decoded.guessed and "L’été à Noël, 20 €" in decoded.text


def test_mojibake_in_a_page_is_repaired() -> None:
    sentence = "La crÃ©ation dâ€™un service Ã  Paris a Ã©tÃ© annoncÃ©e ce matin par la mairie. "
    body = f"<p>{sentence * 5}</p>"
    html = f"<html><head><title>Un été à Paris</title></head><body><article>{body}</article></body></html>"
    doc = html_document(html, source="p.html")
    assert "La création d’un service à Paris a été annoncée" in doc.blocks[0][1]


def test_binary_data_is_refused() -> None:
    with pytest.raises(InputError, match="PNG image"):
        decode_document(b"\x89PNG\r\n\x1a\n" + bytes(100), "image.html")
    with pytest.raises(InputError, match="binary"):
        decode_document(b"abc\x00\x01\x02" * 10, "data.txt")


def test_kind_is_sniffed_from_content() -> None:
    page = (FIXTURES / "actu-canicule.html").read_bytes()
    feed = (FIXTURES / "rss.xml").read_bytes()
    assert sniff_kind(page, ".xml") == "html"
    assert sniff_kind(feed, ".html", "text/html") == "feed"
    assert sniff_kind((FIXTURES / "atom.xml").read_bytes()) == "feed"
    assert sniff_kind(b"Un titre\n\nUn paragraphe.", ".txt") == "text"
    assert sniff_kind(page, ".txt") == "html"


# -- through an URL ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve() as url:
        yield url


def test_charset_from_the_http_header(base: str) -> None:
    [outcome] = list(read_sources([f"{base}/latin1-header"], timeout=2))
    assert outcome.article is not None and "grâce aux habitants" in outcome.article.title
    assert not outcome.warnings


def test_url_article_gets_the_canonical_url_and_metadata(base: str) -> None:
    [outcome] = list(read_sources([f"{base}/redirect/2"], timeout=2))
    article = outcome.article
    assert article is not None
    assert article.url == GOLD["actu-canicule.html"]["url"]
    assert article.source == f"{base}/redirect/2"
    assert article.author == "Claire Dubois" and article.language == "fr"


def test_page_without_content_type_or_canonical(base: str) -> None:
    [outcome] = list(read_sources([f"{base}/page-no-type"], timeout=2))
    assert outcome.article is not None and outcome.article.url == GOLD["bom-utf8.html"]["url"]


def test_an_xml_file_holding_a_page_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.xml"
    path.write_bytes((FIXTURES / "tech-ia-ecole.html").read_bytes())
    [outcome] = list(read_sources([str(path)]))
    assert outcome.article is not None and outcome.article.author == "Hugo Lambert"


def test_furniture_labels_go_but_sentences_starting_alike_stay() -> None:
    from composer.ingest.html import tidy_blocks

    blocks = [
        ("paragraph", "Publicité"),
        ("paragraph", "Lire aussi : Vagues de chaleur, la France se prépare"),
        ("paragraph", "Publicité mensongère : la DGCCRF sanctionne trois vendeurs de panneaux solaires."),
        ("heading", "Commentaires (3)"),
    ]
    assert tidy_blocks(blocks) == [blocks[2]]
