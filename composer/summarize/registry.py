"""The registry of summarization methods and the two calls the rest of composer makes."""

from __future__ import annotations

from collections.abc import Callable

from composer.errors import UsageError
from composer.models import Sentence
from composer.text.sentences import split_sentences

# A method gets (sentences, title, count, language) and returns the chosen sentences.
Method = Callable[[list[Sentence], str, int, str], list[Sentence]]

_METHODS: dict[str, Method] = {}


def register(name: str) -> Callable[[Method], Method]:
    """Decorator: make a method available under ``name``."""

    def wrap(fn: Method) -> Method:
        _METHODS[name] = fn
        return fn

    return wrap


def available_methods() -> list[str]:
    """Names accepted by ``--method``: the default, the LEAD baseline, then sumy's, alphabetically."""
    _load()
    first = [m for m in ("default", "lead") if m in _METHODS]
    return first + sorted(m for m in _METHODS if m not in first)


def get_method(name: str) -> Method:
    """The method called ``name``, or a UsageError listing the valid names."""
    _load()
    try:
        return _METHODS[name]
    except KeyError:
        raise UsageError(
            f"unknown summary method {name!r}; choose one of: {', '.join(sorted(_METHODS))}"
        ) from None


def _load() -> None:
    # Importing the modules registers their methods; done lazily to keep start-up fast.
    from composer.summarize import lead, ranker, sumy_methods  # noqa: F401


def summarize(
    text: str,
    title: str = "",
    *,
    method: str = "default",
    sentences: int | None = None,
    language: str = "fr",
) -> list[Sentence]:
    """Summarize ``text``: chosen sentences in source order.

    With ``sentences=None`` the method picks the newsletter's default length (a chapô of one or
    two sentences).
    """
    return summarize_sentences(split_sentences(text, language), title, method=method, sentences=sentences,
                               language=language)


def summarize_sentences(
    sents: list[Sentence],
    title: str = "",
    *,
    method: str = "default",
    sentences: int | None = None,
    language: str = "fr",
) -> list[Sentence]:
    """Like :func:`summarize`, over sentences already split (callers that need them twice split once).

    Whatever the method, a chosen unit too long to read as one sentence (a page without
    punctuation, a transcript) is shown by its first words and "[…]" (``compress.shorten``).
    """
    if not sents:
        return []
    from composer.summarize.compress import shorten

    chosen = get_method(method)(sents, title, sentences or 0, language)
    return sorted((shorten(s) for s in chosen), key=lambda s: s.index)


def key_points(text: str, title: str = "", *, count: int = 3, language: str = "fr") -> list[Sentence]:
    """Three (or ``count``) key sentences for "L'essentiel", in source order."""
    return summarize(text, title, method="default", sentences=count, language=language)
