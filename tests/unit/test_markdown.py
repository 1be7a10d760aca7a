"""The edition's Markdown reads back exactly: unchanged text changes nothing, and bad text names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.edition import markdown, stored
from composer.edition.edits import edits_for

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _draft(context: object) -> tuple[object, object]:
    from composer.pipeline import add_sources, build_edition, templates

    add = add_sources(context, [str(p) for p in sorted(SEEDS.glob("00[0-2]*.txt"))])  # type: ignore[arg-type]
    edition = build_edition(context, [a.id for a in add.added], edition_id="e1")  # type: ignore[arg-type]
    generated = stored.load(context.store, edition.id, templates(context), edited=False)  # type: ignore[attr-defined]
    return generated, context.store  # type: ignore[attr-defined]


def _parse(generated: object, text: str) -> markdown.ParsedEdition:
    headings = {s.heading: s.kind for i in generated.items for s in i.sections}  # type: ignore[attr-defined]
    known = {i.article.id: i.article.title for i in generated.items}  # type: ignore[attr-defined]
    return markdown.parse(text, known, headings)


def test_unchanged_text_changes_nothing(context: object) -> None:
    generated, store = _draft(context)
    text = markdown.to_markdown(generated, {})  # type: ignore[arg-type]
    applied = markdown.apply(store, generated, _parse(generated, text))  # type: ignore[arg-type]
    assert (applied.edited, applied.dropped, applied.reverted, applied.fields) == (0, 0, 0, [])
    assert not applied.reordered and not applied.articles_dropped
    assert edits_for(store, "e1") == {}  # type: ignore[arg-type]
    row = store.edition_row("e1")  # type: ignore[attr-defined]
    assert row["subject"] == "" and row["preheader"] == ""  # still automatic


def test_typed_subject_is_kept_and_an_edit_back_to_the_original_reverts(context: object) -> None:
    generated, store = _draft(context)
    text = markdown.to_markdown(generated, {})  # type: ignore[arg-type]
    first = generated.items[0]  # type: ignore[attr-defined]
    recap = next(s for s in first.sections if s.kind == "recap").text
    changed = text.replace("subject: ", "subject: Mon objet — ", 1).replace(recap, "Un récapitulatif à nous.")
    applied = markdown.apply(store, generated, _parse(generated, changed))  # type: ignore[arg-type]
    assert applied.edited == 1 and applied.fields == ["subject"]
    assert store.edition_row("e1")["subject"].startswith("Mon objet — ")  # type: ignore[attr-defined]
    edit = edits_for(store, "e1")[(first.article.id, "recap")]  # type: ignore[arg-type]
    assert edit.original == recap and edit.edited == "Un récapitulatif à nous."
    back = markdown.apply(store, generated, _parse(generated, text))  # type: ignore[arg-type]
    assert back.reverted == 1 and edits_for(store, "e1") == {}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "line_of", "message"),
    [
        (lambda t: "Bonjour\n" + t.split("-->\n", 1)[1], "Bonjour", "text before the title"),
        (lambda t: t.replace("{#", "{#inconnu", 1), "{#inconnu", "unknown article"),
        (lambda t: t.replace("### Exemple", "### Exemples", 1), "### Exemples", "unknown section"),
        (lambda t: t.replace("---\n\n#", "\n\n#", 1), None, "never closed"),
        (lambda t: t.replace("subject:", "sujet:", 1), "sujet:", "expected 'subject"),
        (lambda t: t + "\n### Exemple\nEncore.\n", None, "appears twice"),
    ],
)
def test_bad_text_names_its_line(context: object, change, line_of: str | None, message: str) -> None:  # type: ignore[no-untyped-def]
    generated, _ = _draft(context)
    text = change(markdown.to_markdown(generated, {}))  # type: ignore[arg-type]
    with pytest.raises(markdown.MarkdownError, match=message) as error:
        _parse(generated, text)
    if line_of is not None:
        expected = next(n for n, line in enumerate(text.split("\n"), 1) if line_of in line)
        assert error.value.line == expected
