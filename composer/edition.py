"""Assembling an Edition: each chosen article's digest, sections and tone, plus the balance.

Pure functions: the same articles, templates and date always give the same edition, which is
what lets cron, the TUI and the tests share them.
"""

from __future__ import annotations

from collections.abc import Sequence

from composer.models import Article, Digest, Edition, EditionItem, ToneBalance
from composer.perspectives.sections import build_sections
from composer.perspectives.templates import PerspectiveTemplates
from composer.summarize import key_points, summarize

ONE_SIDED = 0.7


def digest_article(article: Article, *, method: str = "default", sentences: int | None = None) -> Digest:
    """The chapô and "L'essentiel" of an article, both made of its own sentences."""
    summary = summarize(
        article.text, article.title, method=method, sentences=sentences, language=article.language
    )
    points = key_points(article.text, article.title, language=article.language)
    return Digest(article_id=article.id, method=method, summary=tuple(summary), key_points=tuple(points))


def compose_item(article: Article, templates: PerspectiveTemplates, position: int = 0) -> EditionItem:
    """One article ready for the newsletter: digest, the five sections and its overall tone."""
    digest = digest_article(article)
    sections = build_sections(article, digest, templates, variant_seed=position)
    polarities = [p.polarity for s in sections for p in s.parts if p.polarity is not None]
    tone = sum(polarities) / len(polarities) if polarities else 0.0
    return EditionItem(article=article, digest=digest, sections=sections, tone=round(tone, 4))


def tone_balance(items: Sequence[EditionItem], threshold: float = 0.15) -> ToneBalance:
    """Share of positive, negative and neutral articles, with a warning when one side dominates.

    Tone is relative: an article counts as positive when its mean polarity is above the
    edition's median by ``threshold``, since lexicons find most tech news positive.
    """
    if not items:
        return ToneBalance(0.0, 0.0, 0.0)
    tones = sorted(i.tone for i in items)
    median = tones[len(tones) // 2]
    pos = sum(1 for t in tones if t > median + threshold) / len(tones)
    neg = sum(1 for t in tones if t < median - threshold) / len(tones)
    warning = ""
    if len(items) >= 3 and max(pos, neg) >= ONE_SIDED:
        side = "positive" if pos > neg else "négative"
        warning = f"Édition déséquilibrée : {max(pos, neg):.0%} des articles ont une tonalité {side}."
    return ToneBalance(round(pos, 3), round(neg, 3), round(1 - pos - neg, 3), warning)


def assemble_edition(
    edition_id: str,
    title: str,
    date: str,
    articles: Sequence[Article],
    templates: PerspectiveTemplates,
    *,
    introduction: str = "",
    subject: str = "",
    preheader: str = "",
) -> Edition:
    """The edition of ``articles`` in the given order."""
    items = tuple(compose_item(a, templates, i) for i, a in enumerate(articles))
    if not preheader and items:
        preheader = items[0].digest.summary_text[:140]
    return Edition(
        id=edition_id,
        title=title,
        date=date,
        items=items,
        introduction=introduction,
        subject=subject or title,
        preheader=preheader,
        balance=tone_balance(items),
    )
