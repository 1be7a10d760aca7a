"""Assembling an Edition: each chosen article's digest, sections and tone, plus the balance.

Pure functions: the same articles, templates and date always give the same edition, which is
what lets cron, the TUI and the tests share them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from composer.models import Article, Digest, Edition, EditionItem, Sentence, ToneBalance
from composer.perspectives.sections import build_sections
from composer.perspectives.templates import PerspectiveTemplates

ONE_SIDED = 0.7


_ESSENTIALS = re.compile(r"^(?:l[’']essentiel|en bref|à retenir|key points|in short)\s*:?$", re.IGNORECASE)


def own_key_points(article: Article, sentences: list[Sentence]) -> list[Sentence]:
    """The article's own "L'essentiel" bullets (seeds 000 and 001 have them), as source sentences."""
    points: list[Sentence] = []
    in_block = False
    for para in article.paragraphs:
        if para.kind == "heading":
            if points:
                break
            in_block = bool(_ESSENTIALS.match(article.text[para.start : para.end].strip()))
        elif in_block and para.kind == "bullet":
            first = next((s for s in sentences if para.start <= s.start < para.end), None)
            if first is not None:
                points.append(
                    Sentence(first.index, para.start, para.end, article.text[para.start : para.end])
                )
        elif points:
            break
    return points


def digest_article(
    article: Article,
    *,
    method: str = "default",
    sentences: int | None = None,
    split: list[Sentence] | None = None,
) -> Digest:
    """The chapô, "L'essentiel" and the recap of an article, all made of its own sentences.

    The chapô is the method's summary; "L'essentiel" is the article's own bullet block when it
    has one, else the three best sentences after the chapô; the recap is the next best
    sentences, so the three never repeat one another.
    """
    from composer.summarize import get_method, summarize_sentences
    from composer.summarize.ranker import chapo_and_ranking
    from composer.text.sentences import split_sentences

    sents = split if split is not None else split_sentences(article.text, article.language)
    body = [
        s
        for s in sents
        if not any(p.kind == "heading" and p.start <= s.start < p.end for p in article.paragraphs)
    ] or sents
    if method == "default" and sentences is None:
        chapo, ranked = chapo_and_ranking(body, article.title, 9, article.language)
        summary = sorted(chapo, key=lambda s: s.index)
    else:
        summary = summarize_sentences(
            body, article.title, method=method, sentences=sentences, language=article.language
        )
        ranked = get_method("default")(body, article.title, 9, article.language) if body else []
    taken = {s.index for s in summary}
    points = own_key_points(article, sents)
    if not points:
        points = [s for s in ranked if s.index not in taken][:3]
    taken |= {s.index for s in points}
    recap = [s for s in ranked if s.index not in taken][:3] or list(summary)
    return Digest(
        article_id=article.id,
        method=method,
        summary=tuple(summary),
        key_points=tuple(sorted(points, key=lambda s: s.index)),
        recap=tuple(sorted(recap, key=lambda s: s.index)),
    )


def compose_item(
    article: Article,
    templates: PerspectiveTemplates,
    position: int = 0,
    *,
    method: str = "default",
    sentences: int | None = None,
) -> EditionItem:
    """One article ready for the newsletter: digest, the five sections and its overall tone."""
    from composer.text.sentences import split_sentences

    split = split_sentences(article.text, article.language)
    digest = digest_article(article, method=method, sentences=sentences, split=split)
    sections = build_sections(article, digest, templates, split, variant_seed=position)
    return EditionItem(article=article, digest=digest, sections=sections, tone=article_tone(article, split))


def article_tone(article: Article, sentences: list[Sentence]) -> float:
    """Net share of clearly positive minus clearly negative sentences, in [-1, 1]."""
    from composer.perspectives.polarity import label, score_many

    texts = [s.text for s in sentences if len(s.text.split()) >= 6]
    if not texts:
        return 0.0
    labels = [label(v) for v in score_many(texts, article.language)]
    return round((labels.count("positive") - labels.count("negative")) / len(labels), 4)


def tone_balance(items: Sequence[EditionItem], threshold: float = 0.1) -> ToneBalance:
    """Share of positive, negative and neutral articles, with a warning when one side dominates.

    An article's tone is its net share of clearly positive over clearly negative sentences
    (:func:`article_tone`); it leans one way beyond ``threshold``.
    """
    if not items:
        return ToneBalance(0.0, 0.0, 0.0)
    pos = sum(1 for i in items if i.tone > threshold) / len(items)
    neg = sum(1 for i in items if i.tone < -threshold) / len(items)
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
