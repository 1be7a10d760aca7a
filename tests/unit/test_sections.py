"""Perspective sections are grounded: every source part is exactly the text at its span."""

from __future__ import annotations

from composer.edition import compose_item
from composer.ingest.sources import read_text_file
from composer.models import SECTION_KINDS, Article, Paragraph
from composer.paths import templates_dir
from composer.perspectives.templates import PerspectiveTemplates
from tests.conftest import SEEDS


def _templates() -> PerspectiveTemplates:
    return PerspectiveTemplates([templates_dir()], "fr")


def test_every_seed_is_grounded_and_has_five_sections() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        article = read_text_file(path)
        item = compose_item(article, _templates())
        assert tuple(s.kind for s in item.sections) == SECTION_KINDS
        for section in item.sections:
            assert section.parts, (path.name, section.kind)
            for part in section.parts:
                if part.kind == "source":
                    assert part.start is not None and part.end is not None
                    assert article.text[part.start : part.end] == part.text


def test_optimistic_and_pessimistic_never_share_a_sentence() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        item = compose_item(read_text_file(path), _templates())
        sections = {s.kind: s for s in item.sections}
        opt = {p.sentence_index for p in sections["optimistic"].parts if p.kind == "source"}
        pes = {p.sentence_index for p in sections["pessimistic"].parts if p.kind == "source"}
        assert not opt & pes


def test_flat_article_says_so_instead_of_borrowing() -> None:
    text = "La réunion a lieu mardi à dix heures dans la salle du conseil municipal."
    article = Article(id="x", title="Réunion", text=text, paragraphs=(Paragraph("paragraph", 0, len(text)),))
    item = compose_item(article, _templates())
    sections = {s.kind: s for s in item.sections}
    assert sections["optimistic"].empty
    assert sections["optimistic"].text == "L'article n'avance guère d'argument optimiste."
    assert sections["pessimistic"].empty


def test_user_template_overrides_shipped_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    override = tmp_path / "perspectives" / "fr"
    override.mkdir(parents=True)
    (override / "optimistic.j2").write_text(
        "{% macro v1(sentences, first, others, count, title) %}Bonne nouvelle : {{ first }}{% endmacro %}"
        "{% macro empty(sentences, first, others, count, title) %}Rien de réjouissant.{% endmacro %}"
    )
    templates = PerspectiveTemplates([tmp_path, templates_dir()], "fr")
    text = "La réunion a lieu mardi à dix heures dans la salle du conseil municipal."
    item = compose_item(Article(id="x", title="R", text=text), templates)
    assert {s.kind: s for s in item.sections}["optimistic"].text == "Rien de réjouissant."
