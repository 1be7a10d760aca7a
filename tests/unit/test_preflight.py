"""The preflight checklist passes a sound edition and catches what clients would trip on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from composer.preflight import GMAIL_CLIP_BYTES, blocking, run_preflight
from composer.render import UNSUBSCRIBE_PLACEHOLDER

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _built(context: object) -> tuple[object, object]:
    from composer.pipeline import add_sources, build_edition, render

    add = add_sources(context, [str(p) for p in sorted(SEEDS.glob("00[0-2]*.txt"))])  # type: ignore[arg-type]
    edition = build_edition(context, [a.id for a in add.added], edition_id="e1")  # type: ignore[arg-type]
    rendered, _, _ = render(context, edition)  # type: ignore[arg-type]
    return edition, rendered


CONFIGURED = {
    "sender": "La Lettre <lettre@lettre-test.fr>",
    "postal_address": "La Lettre, 12 rue des Tests, 69001 Lyon",
    "base_url": "https://lettre-test.fr",
}


def test_sound_edition_has_no_blocking_check(context: object) -> None:
    edition, rendered = _built(context)
    settings = replace(context.settings, **CONFIGURED)  # type: ignore[attr-defined]
    checks = run_preflight(edition, rendered, settings)  # type: ignore[arg-type]
    assert not blocking(checks)
    by_key = {c.key: c for c in checks}
    assert by_key["list_unsubscribe"].ok and by_key["text_part"].ok and by_key["unsubscribe_link"].ok
    assert 0 < by_key["size"].size < GMAIL_CLIP_BYTES
    assert "Ko" in by_key["size"].label("fr") and "KB" in by_key["size"].label("en")
    # Seeds 000 and 001 carry no date: the editor is told which.
    assert not by_key["missing_date"].ok and len(by_key["missing_date"].items) >= 1


def test_missing_unsubscribe_and_text_and_huge_html_block(context: object) -> None:
    edition, rendered = _built(context)
    broken = replace(
        rendered, text="", html=rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, "#") + "x" * 110_000
    )
    settings = replace(context.settings, **CONFIGURED)  # type: ignore[attr-defined]
    keys = {c.key for c in blocking(run_preflight(edition, broken, settings))}  # type: ignore[arg-type]
    assert keys == {"text_part", "unsubscribe_link", "size"}


def test_shipped_placeholders_block_and_say_what_to_set(context: object) -> None:
    edition, rendered = _built(context)
    settings = context.settings  # type: ignore[attr-defined]
    problems = {c.key: c.problem(settings) for c in blocking(run_preflight(edition, rendered, settings))}  # type: ignore[arg-type]
    assert set(problems) == {"sender", "postal_address", "unsubscribe_url"}
    assert "COMPOSER_FROM" in problems["sender"] and "postal_address" in problems["postal_address"]
    assert "base_url" in problems["unsubscribe_url"]
    # Any example.* sender counts as the placeholder, a real domain does not.
    other = replace(settings, **(CONFIGURED | {"sender": "x@mail.example.com"}))  # type: ignore[arg-type]
    assert {c.key for c in blocking(run_preflight(edition, rendered, other))} == {"sender"}  # type: ignore[arg-type]


def test_a_sender_that_is_not_an_address_is_refused_when_settings_are_read(tmp_path: Path) -> None:
    import pytest

    from composer.config import load_settings
    from composer.errors import ConfigError

    path = tmp_path / "settings.toml"
    path.write_text('sender = "pas une adresse"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sender"):
        load_settings(path, {})
    with pytest.raises(ConfigError, match="COMPOSER_FROM"):
        load_settings(None, {"COMPOSER_FROM": "pas une adresse"})
    assert load_settings(None, {"COMPOSER_FROM": "Lettre <a@b.fr>"}).sender == "Lettre <a@b.fr>"


def test_size_estimate_is_within_a_fifth_of_the_real_size(context: object) -> None:
    from composer.preflight import UNKNOWN_ITEM_BYTES, estimate_html_bytes

    edition, rendered = _built(context)
    real = len(rendered.html.encode("utf-8"))  # type: ignore[attr-defined]
    estimate = estimate_html_bytes(edition.items)  # type: ignore[attr-defined]
    assert abs(estimate - real) / real < 0.2
    assert estimate_html_bytes([], unknown=2) > 2 * UNKNOWN_ITEM_BYTES
