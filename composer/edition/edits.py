"""The editor's changes to a draft edition: rewritten or dropped blocks, and per-article summary choices.

A block is one of an entry's sections, its chapô or its "L'essentiel".  An edit is stored beside
the text composer generated (the original is never lost, so an edit can be reverted) and is
keyed by (edition, article, block).  :func:`apply_edits` puts the editor's words in place when
the stored edition is read: sentences the editor kept verbatim keep their provenance (span in
the article), everything else becomes the newsletter's own words and carries a visible
"modifié par la rédaction" note, so readers are never told an edited line is a quotation.
An edit whose text is empty drops the block.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from composer.errors import UsageError
from composer.i18n import EDITED_NOTE  # re-exported: the editor's review uses it
from composer.models import SECTION_KINDS, Article, Edition, EditionItem, Part, Section, Sentence
from composer.store import Store
from composer.store.editions import EditRow

if TYPE_CHECKING:
    # Imported lazily at run time: the editor opens before any template or summarizer loads.
    from composer.perspectives.templates import PerspectiveTemplates

_BULLET = re.compile(r"^[-*•]\s+")

BLOCKS: tuple[str, ...] = ("chapo", "essentiel", *SECTION_KINDS)

EditKey = tuple[str, str]  # (article id, block kind)
SectionEdit = EditRow


@dataclass(frozen=True)
class DigestChoice:
    """The summary method and length the editor chose for one article (0 = the method's default)."""

    method: str = "default"
    sentences: int = 0


DEFAULT_CHOICE = DigestChoice()


def _norm(text: str) -> str:
    return " ".join(text.split())


def block_text(item: EditionItem, kind: str) -> str:
    """The generated text of one block of an entry, as the editor sees it (bullets one per line)."""
    if kind == "chapo":
        return item.digest.summary_text
    if kind == "essentiel":
        return "\n".join(s.text for s in item.digest.key_points)
    section = next((s for s in item.sections if s.kind == kind), None)
    return section.text if section else ""


def _editable(store: Store, edition_id: str) -> None:
    """Only a draft takes edits: an approved edition goes out exactly as it was approved."""
    row = store.edition_row(edition_id)
    if row is not None and row["status"] != "draft":
        hint = "take it back to draft first" if row["status"] == "ready" else "it cannot change any more"
        raise UsageError(f"edition {edition_id} is {row['status']}; {hint}")


def save_edit(store: Store, edition_id: str, article_id: str, kind: str, original: str, edited: str) -> bool:
    """Store the editor's text for a block; text equal to the original removes the edit.

    Returns True when an edit is now stored.  The first original is kept across later edits,
    so "revert" always goes back to what composer wrote.  Empty ``edited`` drops the block.
    """
    if kind not in BLOCKS:
        raise ValueError(f"unknown block {kind!r}")
    _editable(store, edition_id)
    previous = store.edit_row(edition_id, article_id, kind)
    first_original = previous.original if previous else original
    if _norm(edited) == _norm(first_original) and (edited.strip() or not first_original.strip()):
        store.delete_edit(edition_id, article_id, kind)
        return False
    store.put_edit(edition_id, article_id, kind, first_original, edited.strip())
    return True


def get_edit(store: Store, edition_id: str, article_id: str, kind: str) -> SectionEdit | None:
    """The stored edit of one block, or None."""
    return store.edit_row(edition_id, article_id, kind)


def edits_for(store: Store, edition_id: str) -> dict[EditKey, SectionEdit]:
    """Every edit of an edition, keyed by (article id, kind)."""
    return {(e.article_id, e.kind): e for e in store.edit_rows(edition_id)}


def revert_edit(store: Store, edition_id: str, article_id: str, kind: str) -> None:
    """Drop an edit: the block goes back to composer's text."""
    _editable(store, edition_id)
    store.delete_edit(edition_id, article_id, kind)


def save_choice(store: Store, edition_id: str, article_id: str, choice: DigestChoice) -> None:
    """Remember the summary method and length chosen for an article in this edition."""
    _editable(store, edition_id)
    store.set_item_choice(edition_id, article_id, choice.method, choice.sentences)


def choices_for(store: Store, edition_id: str) -> dict[str, DigestChoice]:
    """The non-default summary choices of an edition, by article id."""
    out = {i.article_id: DigestChoice(i.method, i.sentences) for i in store.edition_items(edition_id)}
    return {k: v for k, v in out.items() if v != DEFAULT_CHOICE}


def compose_item(
    article: Article, templates: PerspectiveTemplates, choice: DigestChoice = DEFAULT_CHOICE
) -> EditionItem:
    """An edition item built with the editor's chosen summary method and length."""
    from composer.edition.compose import compose_item as compose

    return compose(article, templates, method=choice.method, sentences=choice.sentences or None)


def edited_section(section: Section, text: str, language: str = "fr") -> Section:
    """``section`` rewritten as ``text``: verbatim source sentences keep their spans, the rest is ours.

    A source sentence is kept as a quotation only if it still appears word for word, in order;
    every other word becomes a template part (the newsletter's words), then the edit note.
    """
    text = _norm(text)
    note = EDITED_NOTE.get(language, EDITED_NOTE["fr"])
    parts: list[Part] = []
    pos = 0
    for part in section.parts:
        if part.kind != "source":
            continue
        found = text.find(part.text, pos)
        if found < 0:
            continue
        _words(parts, text[pos:found])
        parts.append(part)
        pos = found + len(part.text)
    _words(parts, text[pos:])
    if not parts:
        return replace(section, parts=(Part("template", note),), empty=True)
    parts.append(Part("template", note))
    return replace(section, parts=tuple(parts), empty=False)


def edited_sentences(original: Sequence[Sentence], text: str) -> tuple[Sentence, ...]:
    """The editor's ``text`` as sentences: verbatim originals keep their place, new text has index -1."""
    out: list[Sentence] = []
    text = _norm(text)
    pos = 0
    for sentence in original:
        # A clipped piece is shown with its "[…]" marks: kept as is when the editor kept them.
        shown = sentence.shown
        found = text.find(shown, pos)
        if found < 0:
            shown = sentence.text
            found = text.find(shown, pos)
        if found < 0:
            continue
        if text[pos:found].strip():
            out.append(Sentence(-1, -1, -1, text[pos:found].strip()))
        kept_marks = shown == sentence.shown
        out.append(sentence if kept_marks else replace(sentence, cut_before=False, cut_after=False))
        pos = found + len(shown)
    if text[pos:].strip():
        out.append(Sentence(-1, -1, -1, text[pos:].strip()))
    return tuple(out)


def _words(parts: list[Part], text: str) -> None:
    text = text.strip()
    if text:
        parts.append(Part("template", text))


def changed_sentences(original: str, edited: str, language: str = "fr") -> list[tuple[int, int]]:
    """Spans, in ``edited``, of the sentences the editor wrote or changed (for marking them).

    A sentence found word for word anywhere in the original counts as unchanged, so moving a
    quotation or trimming the framing words around it does not mark it.
    """
    from composer.text.sentences import split_sentences

    before = _norm(original)
    return [(s.start, s.end) for s in split_sentences(edited, language) if _norm(s.text) not in before]


def edited_item(item: EditionItem, edits: Mapping[str, SectionEdit], language: str = "fr") -> EditionItem:
    """One entry with the editor's blocks in place: rewritten, dropped, or as composed."""
    if not edits:
        return item
    digest = item.digest
    if "chapo" in edits:
        digest = replace(digest, summary=edited_sentences(digest.summary, edits["chapo"].edited))
    if "essentiel" in edits:
        # One bullet marker (and its space) at most: "- -20 % sur les frais" keeps its minus.
        points = [_BULLET.sub("", line.strip(), count=1) for line in edits["essentiel"].edited.splitlines()]
        kept = {_norm(s.text): s for s in digest.key_points}
        digest = replace(
            digest,
            key_points=tuple(kept.get(_norm(p)) or Sentence(-1, -1, -1, p) for p in points if p),
        )
    sections = tuple(
        s if s.kind not in edits else edited_section(s, edits[s.kind].edited, language)
        for s in item.sections
        if s.kind not in edits or edits[s.kind].edited.strip()
    )
    edited = tuple(k for k in BLOCKS if k in edits and edits[k].edited.strip())
    return replace(item, digest=digest, sections=sections, edited=edited)


def apply_edits(edition: Edition, edits: Mapping[EditKey, SectionEdit], language: str = "fr") -> Edition:
    """The edition with the editor's edits applied, tone balance unchanged (it is the articles')."""
    by_article: dict[str, dict[str, SectionEdit]] = {}
    for (aid, kind), edit in edits.items():
        by_article.setdefault(aid, {})[kind] = edit
    items = tuple(edited_item(i, by_article.get(i.article.id, {}), language) for i in edition.items)
    return replace(edition, items=items)


def edited_kinds(edits: Mapping[EditKey, SectionEdit], article_id: str) -> Sequence[str]:
    """Which blocks of an article the editor changed, in newsletter order."""
    return [k for k in BLOCKS if (article_id, k) in edits]
