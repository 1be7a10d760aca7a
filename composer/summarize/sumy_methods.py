"""sumy's algorithms, fed by composer's own splitter, words, stop list and stems.

sumy's ``Tokenizer("french")`` needs NLTK's ``punkt_tab`` download; we never build one.
Instead the document model (ObjectDocumentModel → Paragraph → Sentence) is assembled from
sentences we already split, with a tiny tokenizer object that delegates to
``composer.text.words``.  Headings and fragments are marked as sumy headings so that no
algorithm can pick them.
"""

from __future__ import annotations

from typing import Any

from composer.models import Sentence
from composer.summarize.registry import register
from composer.text.sentences import ends_like_sentence
from composer.text.words import stem, stop_words, tokenize_words

# composer name → (sumy module, class name)
SUMY_METHODS: dict[str, tuple[str, str]] = {
    "lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
}


class _Words:
    """The one method sumy asks of a tokenizer, answered by composer's word tokenizer."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_words(self, text: str) -> tuple[str, ...]:
        return tuple(tokenize_words(text, self.language))


def _build(name: str, language: str) -> Any:
    import importlib

    module_name, class_name = SUMY_METHODS[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    summarizer = cls(lambda word: stem(word, language))
    summarizer.stop_words = stop_words(language)
    return summarizer


def run_sumy(name: str, sentences: list[Sentence], count: int, language: str) -> list[Sentence]:
    """Run sumy's ``name`` algorithm on our sentences and map its picks back to them."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    words = _Words(language)
    objects = [SumySentence(s.text, words, is_heading=not ends_like_sentence(s.text)) for s in sentences]
    if all(o.is_heading for o in objects):
        return sentences[:count]
    document = ObjectDocumentModel([Paragraph(objects)])
    back = {id(o): s for o, s in zip(objects, sentences, strict=True)}
    picked = _build(name, language)(document, count)
    return [back[id(o)] for o in picked if id(o) in back]


def _make(name: str) -> None:
    def method(sentences: list[Sentence], title: str, count: int, language: str) -> list[Sentence]:
        return run_sumy(name, sentences, count or 1, language)

    method.__doc__ = f"sumy's {SUMY_METHODS[name][1]} through composer's tokenizer (1 sentence by default)."
    register(name)(method)


for _name in SUMY_METHODS:
    _make(_name)
