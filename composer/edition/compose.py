"""Composing an Edition: each chosen article's digest, sections and tone, plus the balance.

Pure functions: the same articles, templates and date always give the same edition, which is
what lets cron, the TUI and the tests share them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from composer.i18n import TONE_WARNING
from composer.models import Article, Digest, Edition, EditionItem, Sentence, ToneBalance
from composer.perspectives.sections import Scored, build_sections, entry_units, select
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


def lead_and_ranking(
    article: Article,
    split: list[Sentence],
    *,
    method: str = "default",
    sentences: int | None = None,
) -> tuple[list[Sentence], list[Sentence]]:
    """The chapô (the method's summary, in source order) and every body sentence by rank.

    Headings never lead; the ranking (the default ranker's) decides what "L'essentiel" and the
    recap take once the perspective sections have taken theirs.
    """
    from composer.summarize import get_method, summarize_sentences
    from composer.summarize.ranker import chapo_and_ranking

    body = [
        s
        for s in split
        if not any(p.kind == "heading" and p.start <= s.start < p.end for p in article.paragraphs)
    ] or split
    if not body:
        return [], []
    if method == "default" and sentences is None:
        chapo, ranked = chapo_and_ranking(body, article.title, len(body), article.language)
    else:
        chapo = summarize_sentences(
            body, article.title, method=method, sentences=sentences, language=article.language
        )
        ranked = get_method("default")(body, article.title, len(body), article.language)
    return sorted(chapo, key=lambda s: s.index), ranked


def variant_seed(article_id: str) -> int:
    """Which template phrasings an article gets: fixed by its id, not by its place in an edition.

    So the entry the editor reviews is the entry that is built and sent, wherever the article
    is moved, and neighbouring entries still tend to use different phrasings.
    """
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) % 9973


def compose_item(
    article: Article,
    templates: PerspectiveTemplates,
    *,
    method: str = "default",
    sentences: int | None = None,
) -> EditionItem:
    """One article's entry: digest, the five sections and its overall tone.

    This is the one road from an Article to what readers get: the CLI (``composer
    perspectives``), the benchmark, the editor's review and the newsletter build all call it, so
    what the benchmark measures is what the reader receives.  No unit appears twice in the
    entry (see :mod:`composer.perspectives.sections`).
    """
    from composer.text.sentences import split_sentences

    split = split_sentences(article.text, article.language)
    own_points = own_key_points(article, split)
    # The article's own "L'essentiel" bullets are shown as such: the chapô is chosen elsewhere.
    candidates = [s for s in split if not any(p.start <= s.start < p.end for p in own_points)] or split
    chapo, ranking = lead_and_ranking(article, candidates, method=method, sentences=sentences)
    scored = entry_units(article, split)
    selection = select(scored, chapo, own_points, ranking)
    digest = Digest(
        article_id=article.id,
        method=method,
        summary=tuple(chapo),
        key_points=tuple(selection.key_points),
        recap=tuple(s.unit.sentence for s in selection.recap),
    )
    sections = build_sections(article, selection, templates, variant_seed=variant_seed(article.id))
    return EditionItem(article=article, digest=digest, sections=sections, tone=entry_tone(scored))


def entry_tone(scored: Sequence[Scored]) -> float:
    """Net share of optimistic minus pessimistic units by the framing scorer, in [-1, 1]."""
    if not scored:
        return 0.0
    labels = [s.framing.label for s in scored]
    return round((labels.count("optimistic") - labels.count("pessimistic")) / len(labels), 4)





def tone_balance(items: Sequence[EditionItem], threshold: float = 0.1, language: str = "fr") -> ToneBalance:
    """Share of positive, negative and neutral articles, with a warning when one side dominates.

    An article's tone is its net share of clearly positive over clearly negative sentences
    (:func:`entry_tone`); it leans one way beyond ``threshold``.
    """
    if not items:
        return ToneBalance(0.0, 0.0, 0.0)
    pos = sum(1 for i in items if i.tone > threshold) / len(items)
    neg = sum(1 for i in items if i.tone < -threshold) / len(items)
    warning = ""
    if len(items) >= 3 and max(pos, neg) >= ONE_SIDED:
        text, positive, negative = TONE_WARNING.get(language, TONE_WARNING["fr"])
        warning = text.format(share=f"{max(pos, neg):.0%}", side=positive if pos > neg else negative)
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
    items = tuple(compose_item(a, templates) for a in articles)
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
