"""Editor's edits keep the original, keep provenance of verbatim quotes, and mark the section."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.edition.edits import (
    DigestChoice,
    changed_sentences,
    choices_for,
    edited_section,
    edits_for,
    get_edit,
    revert_edit,
    save_choice,
    save_edit,
)
from composer.models import Part, Section
from composer.store import open_store

QUOTE = "Les ventes ont doublé en un an."


def _section() -> Section:
    return Section(
        kind="optimistic",
        heading="Point de vue optimiste",
        parts=(Part("template", "Ce qui peut rassurer :"), Part("source", QUOTE, 10, 41, 2, 0.5)),
    )


def test_save_keeps_first_original_and_equal_text_reverts(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    assert save_edit(store, "e", "a", "optimistic", "Original.", "Premier jet.")
    assert save_edit(store, "e", "a", "optimistic", "Premier jet.", "Second jet.")
    edit = get_edit(store, "e", "a", "optimistic")
    assert edit is not None and edit.original == "Original." and edit.edited == "Second jet."
    assert not save_edit(store, "e", "a", "optimistic", "x", " Original. ")
    assert edits_for(store, "e") == {}
    save_edit(store, "e", "a", "recap", "O.", "N.")
    revert_edit(store, "e", "a", "recap")
    assert get_edit(store, "e", "a", "recap") is None
    with pytest.raises(ValueError):
        save_edit(store, "e", "a", "bogus", "a", "b")


def test_verbatim_quote_keeps_its_span_and_new_words_are_ours() -> None:
    section = edited_section(_section(), f"À noter : {QUOTE} Et c'est durable.")
    kinds = [(p.kind, p.text) for p in section.parts]
    assert kinds == [
        ("template", "À noter :"),
        ("source", QUOTE),
        ("template", "Et c'est durable."),
        ("template", "(modifié par la rédaction)"),
    ]
    assert section.parts[1].start == 10 and section.parts[1].sentence_index == 2


def test_rewritten_quote_is_no_longer_a_quote() -> None:
    section = edited_section(_section(), "Les ventes ont triplé.", language="en")
    assert all(p.kind == "template" for p in section.parts)
    assert section.parts[-1].text == "(edited by the newsletter team)"


def test_changed_sentences_marks_only_new_ones() -> None:
    edited = f"{QUOTE} Une phrase neuve."
    spans = changed_sentences(f"Ce qui peut rassurer : {QUOTE}", edited)
    assert [edited[s:e] for s, e in spans] == ["Une phrase neuve."]


def test_choices_round_trip(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite")
    from composer.models import Article

    store.add_article(Article(id="a", title="T", text="Une phrase."))
    store.create_edition("2026-01-05", "T", edition_id="e")
    store.set_edition_articles("e", ["a"])
    save_choice(store, "e", "a", DigestChoice("lead", 3))
    assert choices_for(store, "e") == {"a": DigestChoice("lead", 3)}
    save_choice(store, "e", "a", DigestChoice())
    assert choices_for(store, "e") == {}


def test_edits_and_choices_reach_the_stored_edition(context: object) -> None:
    from composer.pipeline import add_sources, build_edition, load_edition

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    add = add_sources(context, [str(seeds / "004_9b245662eba6b562.txt")])  # type: ignore[arg-type]
    aid = add.added[0].id
    edition = build_edition(context, [aid], edition_id="e1")  # type: ignore[arg-type]
    store = context.store  # type: ignore[attr-defined]
    pessimistic = next(s for s in edition.items[0].sections if s.kind == "pessimistic")
    save_edit(store, "e1", aid, "pessimistic", pessimistic.text, "Rien de grave, selon nous.")
    save_edit(store, "e1", aid, "example", "", "")  # nothing to drop: no edit
    save_choice(store, "e1", aid, DigestChoice("lead", 1))
    item = load_edition(context, "e1").items[0]  # type: ignore[arg-type]
    assert item.digest.method == "lead" and len(item.digest.summary) == 1
    section = next(s for s in item.sections if s.kind == "pessimistic")
    assert section.text == "Rien de grave, selon nous. (modifié par la rédaction)"
    assert item.edited == ("pessimistic",)
    recap = next(s for s in item.sections if s.kind == "recap")
    for part in recap.parts:
        if part.kind == "source":
            assert item.article.text[part.start : part.end] == part.text
    # An empty edit drops the section; the generated text stays as the original.
    save_edit(store, "e1", aid, "example", "Exemple généré.", "")
    kinds = [s.kind for s in load_edition(context, "e1").items[0].sections]  # type: ignore[arg-type]
    assert "example" not in kinds and get_edit(store, "e1", aid, "example").original == "Exemple généré."


def test_an_approved_edition_takes_no_edit(tmp_path: Path) -> None:
    from composer.errors import UsageError
    from composer.models import Article

    store = open_store(tmp_path / "db.sqlite")
    store.add_article(Article(id="a", title="T", text="Une phrase."))
    store.create_edition("2026-01-05", "T", edition_id="e")
    store.set_edition_articles("e", ["a"])
    assert save_edit(store, "e", "a", "recap", "Original.", "Revu.")
    store.set_edition_status("e", "ready")
    for change in (
        lambda: save_edit(store, "e", "a", "recap", "Original.", "Autre."),
        lambda: revert_edit(store, "e", "a", "recap"),
        lambda: save_choice(store, "e", "a", DigestChoice("lead", 1)),
    ):
        with pytest.raises(UsageError, match="ready"):
            change()
    assert get_edit(store, "e", "a", "recap").edited == "Revu."  # what was approved stays
