"""Punkt's ``span_tokenize``, same spans, without most of its per-boundary Python overhead.

``punkt.PunktSentenceTokenizer.span_tokenize`` streams every candidate boundary through five
generator layers and builds a frozen dataclass per candidate; on news text that bookkeeping
cost as much as the decisions themselves.  This module runs the same steps in one loop:

1. candidates: the detector's own regex (``PunktBoundaryDetector.match``), minus periods inside
   "..", "--" or ". . ." runs, each paired with the word before it, overlapping runs resolved
   to their last mark (``PunktBoundaryDetector.detect``);
2. decision: Punkt's two annotation passes on the candidate's context, through the package's
   public ``annotate_tokens`` and word tokenizer (``_context_has_sentbreak``), untouched;
3. spans: a break ends a span at the mark and starts the next at the following token; spans
   that are only "?!." join the previous one; closing quotes and brackets move back onto
   the sentence they close (``_absorb_punctuation_only``, ``_realign``).

It is used only for the rules it was written against (punkt's default European rules, line
breaks ignored); anything else goes through the package itself.  ``tests/unit/test_fast_paths.py``
checks that both give the same spans, on tricky and on random text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_WHITESPACE = " \t\n\r\x0b\x0c"  # string.whitespace: what punkt scans back for before a mark


class FastSpans:
    """``tokenizer.span_tokenize(text)`` as a list, for a tokenizer with the default rules."""

    def __init__(self, tokenizer: Any, multi_char: str) -> None:
        import punkt

        rules = tokenizer.rules
        self._params = tokenizer.params
        self._rules = rules
        self._annotate = punkt.annotate_tokens
        self._candidates = punkt.PunktBoundaryDetector(rules).match
        self._words = punkt.PunktWordTokenizer(rules).tokenize_annotated
        self._multi = re.compile(multi_char, re.UNICODE)
        self._realign = re.compile(rules.boundary_realignment_pattern, re.MULTILINE)
        self._enders = frozenset(rules.sent_end_chars)

    def _breaks(self, context: str) -> bool:
        """Punkt's verdict: does a sentence end inside ``context`` (with a token after it)?"""
        found = False
        for token in self._annotate(self._words(context), self._params, self._rules):
            if found:
                return True
            if token.sentbreak:
                found = True
        return False

    def _raw(self, text: str) -> list[tuple[int, int]]:
        """Spans at the accepted candidates, before punctuation-only spans are absorbed."""
        interior: set[int] = set()
        for m in self._multi.finditer(text):
            interior.update(range(m.start(), m.end() - 1))
        spans: list[tuple[int, int]] = []
        last_break = 0
        prev: re.Match[str] | None = None
        prev_start = prev_stop = 0  # the previous candidate's word: text[prev_start:prev_stop]
        rare_spaces = [c for c in _WHITESPACE[1:] if c in text]  # usually none: only " " to look for
        for match in self._candidates(text):
            mstart = match.start()
            if mstart in interior:
                continue
            space = text.rfind(" ", prev_stop, mstart)
            for c in rare_spaces:
                space = max(space, text.rfind(c, prev_stop, mstart))
            word_start = space + 1 if space > prev_stop else prev_start
            if prev is not None and prev_stop <= word_start:
                last_break = self._accept(text, prev, prev_start, prev_stop, last_break, spans)
            prev, prev_start, prev_stop = match, word_start, mstart
        if prev is not None:
            last_break = self._accept(text, prev, prev_start, prev_stop, last_break, spans)
        spans.append((last_break, len(text.rstrip())))
        return spans

    def _accept(
        self, text: str, match: re.Match[str], w_start: int, w_stop: int, last_break: int,
        spans: list[tuple[int, int]],
    ) -> int:
        """Classify one candidate; on a break, close the span and return where the next starts."""
        after = match.group("after_tok")
        if not self._breaks(text[w_start:w_stop] + match.group() + after):
            return last_break
        end = match.end()
        spans.append((last_break, end))
        return match.start("next_tok") if match.group("next_tok") else end

    def __call__(self, text: str) -> list[tuple[int, int]]:
        enders = self._enders
        spans: list[tuple[int, int]] = []
        for span in self._raw(text):
            if span[0] >= span[1]:
                continue
            if spans and all(ch in enders for ch in text[span[0] : span[1]]):
                spans[-1] = (spans[-1][0], span[1])
            else:
                spans.append(span)
        out: list[tuple[int, int]] = []
        realign = 0
        last = len(spans) - 1
        for index, (start, end) in enumerate(spans):
            start += realign
            if index == last:
                if text[start:end]:
                    out.append((start, end))
                continue
            f_start, f_end = spans[index + 1]
            match = self._realign.match(text[f_start:f_end])
            if match:
                out.append((start, f_start + len(match.group().rstrip())))
                realign = match.end()
            else:
                realign = 0
                if text[start:end]:
                    out.append((start, end))
        return out


def make_spanner(tokenizer: Any, multi_char: str, default_multi_char: str) -> Callable[[str], list]:
    """The fast span function when ``tokenizer`` has the rules it was written for, else punkt's own."""
    import dataclasses

    import punkt

    rules = tokenizer.rules
    plain = dataclasses.replace(rules, multi_char_punct_pattern=default_multi_char)
    if (
        tokenizer.line_breaks == "ignore"
        and plain == punkt.DEFAULT_LANGUAGE_VARS
        and rules.multi_char_punct_pattern in (multi_char, default_multi_char)
    ):
        return FastSpans(tokenizer, rules.multi_char_punct_pattern)
    return lambda text: list(tokenizer.span_tokenize(text))
