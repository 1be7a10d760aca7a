"""The editor's changes to a draft edition: rewritten sections and per-article summary choices.

An edit is stored beside the text composer generated (the original is never lost, so an edit
can be reverted) and is keyed by (edition, article, section kind).  When the edition is
assembled again, :func:`apply_changes` puts the editor's words in place: sentences the editor
kept verbatim keep their provenance (span in the article), everything else becomes the
newsletter's own words, and the section ends with a visible "modifié par la rédaction" note so
readers are never told an edited line is a quotation.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from composer.models import SECTION_KINDS, Article, Edition, EditionItem, Part, Section
from composer.store import Store, now

if TYPE_CHECKING:
    # Imported lazily at run time: the editor opens before any template or summarizer loads.
    from composer.perspectives.templates import PerspectiveTemplates

EDITED_NOTE = {"fr": "(modifié par la rédaction)", "en": "(edited by the newsletter team)"}

EditKey = tuple[str, str]  # (article id, section kind)


@dataclass(frozen=True)
class SectionEdit:
    """The editor's text for one section, and the generated text it replaced."""

    edition_id: str
    article_id: str
    kind: str
    original: str
    edited: str
    updated_at: str = ""


@dataclass(frozen=True)
class DigestChoice:
    """The summary method and length the editor chose for one article (0 = the method's default)."""

    method: str = "default"
    sentences: int = 0


DEFAULT_CHOICE = DigestChoice()


def _norm(text: str) -> str:
    return " ".join(text.split())


def save_edit(store: Store, edition_id: str, article_id: str, kind: str, original: str, edited: str) -> bool:
    """Store the editor's text for a section; text equal to the original removes the edit.

    Returns True when an edit is now stored.  The first original is kept across later edits,
    so "revert" always goes back to what composer wrote.
    """
    if kind not in SECTION_KINDS:
        raise ValueError(f"unknown section kind {kind!r}")
    previous = get_edit(store, edition_id, article_id, kind)
    first_original = previous.original if previous else original
    if _norm(edited) == _norm(first_original):
        revert_edit(store, edition_id, article_id, kind)
        return False
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO section_edits (edition_id, article_id, kind, original, edited, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(edition_id, article_id, kind) DO UPDATE SET"
            " edited = excluded.edited, updated_at = excluded.updated_at",
            (edition_id, article_id, kind, first_original, edited.strip(), now()),
        )
    return True


def get_edit(store: Store, edition_id: str, article_id: str, kind: str) -> SectionEdit | None:
    """The stored edit of one section, or None."""
    row = store.conn.execute(
        "SELECT * FROM section_edits WHERE edition_id = ? AND article_id = ? AND kind = ?",
        (edition_id, article_id, kind),
    ).fetchone()
    return _edit(row) if row else None


def edits_for(store: Store, edition_id: str) -> dict[EditKey, SectionEdit]:
    """Every edit of an edition, keyed by (article id, kind)."""
    rows = store.conn.execute("SELECT * FROM section_edits WHERE edition_id = ?", (edition_id,))
    return {(r["article_id"], r["kind"]): _edit(r) for r in rows}


def revert_edit(store: Store, edition_id: str, article_id: str, kind: str) -> None:
    """Drop an edit: the section goes back to composer's text."""
    with store.transaction() as conn:
        conn.execute(
            "DELETE FROM section_edits WHERE edition_id = ? AND article_id = ? AND kind = ?",
            (edition_id, article_id, kind),
        )


def _edit(r: sqlite3.Row) -> SectionEdit:
    keys = ("edition_id", "article_id", "kind", "original", "edited", "updated_at")
    return SectionEdit(*(r[k] for k in keys))


def save_choice(store: Store, edition_id: str, article_id: str, choice: DigestChoice) -> None:
    """Remember the summary method and length chosen for an article in this edition."""
    with store.transaction() as conn:
        if choice == DEFAULT_CHOICE:
            conn.execute(
                "DELETE FROM digest_choices WHERE edition_id = ? AND article_id = ?", (edition_id, article_id)
            )
            return
        conn.execute(
            "INSERT INTO digest_choices (edition_id, article_id, method, sentences) VALUES (?,?,?,?)"
            " ON CONFLICT(edition_id, article_id) DO UPDATE SET method = excluded.method,"
            " sentences = excluded.sentences",
            (edition_id, article_id, choice.method, choice.sentences),
        )


def choices_for(store: Store, edition_id: str) -> dict[str, DigestChoice]:
    """The non-default summary choices of an edition, by article id."""
    rows = store.conn.execute(
        "SELECT article_id, method, sentences FROM digest_choices WHERE edition_id = ?", (edition_id,)
    )
    return {r[0]: DigestChoice(r[1], int(r[2])) for r in rows}


def compose_item(
    article: Article,
    templates: PerspectiveTemplates,
    choice: DigestChoice = DEFAULT_CHOICE,
    position: int = 0,
) -> EditionItem:
    """An edition item built with the editor's chosen summary method and length."""
    from composer.edition import compose_item as compose

    return compose(article, templates, position, method=choice.method, sentences=choice.sentences or None)


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


def apply_changes(
    edition: Edition,
    edits: Mapping[EditKey, SectionEdit],
    *,
    choices: Mapping[str, DigestChoice] | None = None,
    templates: PerspectiveTemplates | None = None,
    language: str = "fr",
) -> Edition:
    """The edition with the editor's summary choices and section edits applied, balance updated."""
    from composer.edition import tone_balance

    items: list[EditionItem] = []
    for position, item in enumerate(edition.items):
        choice = (choices or {}).get(item.article.id)
        if choice and choice != DEFAULT_CHOICE and templates is not None:
            item = compose_item(item.article, templates, choice, position)
        sections = tuple(
            edited_section(s, edits[(item.article.id, s.kind)].edited, language)
            if (item.article.id, s.kind) in edits
            else s
            for s in item.sections
        )
        items.append(replace(item, sections=sections))
    return replace(edition, items=tuple(items), balance=tone_balance(items))


def edited_kinds(edits: Mapping[EditKey, SectionEdit], article_id: str) -> Sequence[str]:
    """Which sections of an article the editor changed, in newsletter order."""
    return [k for k in SECTION_KINDS if (article_id, k) in edits]
