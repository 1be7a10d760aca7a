"""The default summarizer: a sentence ranker (first version: centrality plus position)."""

from __future__ import annotations

from collections import Counter

from composer.models import Sentence
from composer.summarize.registry import register
from composer.text.words import stem, stop_words, tokenize_words


def _bag(text: str, language: str) -> Counter[str]:
    stops = stop_words(language)
    return Counter(stem(w, language) for w in tokenize_words(text, language) if w not in stops)


@register("default")
def default(sentences: list[Sentence], title: str, count: int, language: str) -> list[Sentence]:
    """Score sentences by overlap with the title and the whole article, favouring early ones."""
    whole = _bag(" ".join(s.text for s in sentences), language)
    title_bag = _bag(title, language)
    scored = []
    for s in sentences:
        bag = _bag(s.text, language)
        if len(s.text.split()) < 6 or not bag:
            continue
        centrality = sum(whole[w] for w in bag) / (len(bag) ** 0.5 * 10)
        title_overlap = sum(1 for w in bag if w in title_bag)
        position = 1.0 / (1 + s.index)
        scored.append((centrality + title_overlap + 2 * position, s))
    scored.sort(key=lambda p: -p[0])
    if count:
        return [s for _, s in scored[:count]]
    picked: list[Sentence] = []
    words = 0
    for _, s in scored:
        n = len(s.text.split())
        if picked and words + n > 45:
            continue
        picked.append(s)
        words += n
        if words >= 30 or len(picked) == 2:
            break
    return picked or sentences[:1]
