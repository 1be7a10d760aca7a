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


def test_neutral_view_never_quotes_a_sentence_twice() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        item = compose_item(read_text_file(path), _templates())
        neutral = next(s for s in item.sections if s.kind == "neutral")
        spans = [(p.start, p.end) for p in neutral.parts if p.kind == "source"]
        assert len(spans) == len(set(spans)), path.name


def test_digest_parts_do_not_repeat_and_own_bullets_are_used() -> None:
    article = read_text_file(SEEDS / "000_7b10752b77e9de8c.txt")
    digest = compose_item(article, _templates()).digest
    chapo = {s.index for s in digest.summary}
    points = {s.index for s in digest.key_points}
    recap = {s.index for s in digest.recap}
    assert not (chapo & points) and not (chapo & recap) and not (points & recap)
    assert digest.key_points[0].text.startswith("Une campagne d’espionnage assistée par IA")
    assert len(digest.key_points) == 3
    for s in (*digest.summary, *digest.key_points, *digest.recap):
        assert article.text[s.start : s.end] == s.text


def test_quotes_are_kept_whole_with_their_attribution() -> None:
    article = read_text_file(SEEDS / "000_7b10752b77e9de8c.txt")
    item = compose_item(article, _templates())
    for section in item.sections:
        for part in section.parts:
            if part.kind == "source" and part.text.startswith('"'):
                assert part.text.rstrip().endswith("points)"), part.text


def test_phrasings_rotate_across_an_edition() -> None:
    article = read_text_file(SEEDS / "004_9b245662eba6b562.txt")
    openings = {
        compose_item(article, _templates(), position).sections[3].parts[0].text for position in range(3)
    }
    assert len(openings) == 3


def test_tone_balance_warns_when_one_sided() -> None:
    from dataclasses import replace

    from composer.edition import tone_balance

    item = compose_item(read_text_file(SEEDS / "002_38ae22ee5cb95642.txt"), _templates())
    negative = [replace(item, tone=-0.4)] * 3
    balance = tone_balance(negative)
    assert balance.negative == 1.0 and "déséquilibrée" in balance.warning
    mixed = tone_balance([replace(item, tone=-0.4), replace(item, tone=0.5), replace(item, tone=0.0)])
    assert not mixed.warning and mixed.positive == mixed.negative == mixed.neutral
