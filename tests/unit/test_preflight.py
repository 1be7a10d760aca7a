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


def test_sound_edition_has_no_blocking_check(context: object) -> None:
    edition, rendered = _built(context)
    checks = run_preflight(edition, rendered, context.settings)  # type: ignore[arg-type, attr-defined]
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
    keys = {c.key for c in blocking(run_preflight(edition, broken, context.settings))}  # type: ignore[arg-type, attr-defined]
    assert keys == {"text_part", "unsubscribe_link", "size"}


def test_size_estimate_is_within_a_fifth_of_the_real_size(context: object) -> None:
    from composer.preflight import UNKNOWN_ITEM_BYTES, estimate_html_bytes

    edition, rendered = _built(context)
    real = len(rendered.html.encode("utf-8"))  # type: ignore[attr-defined]
    estimate = estimate_html_bytes(edition.items)  # type: ignore[attr-defined]
    assert abs(estimate - real) / real < 0.2
    assert estimate_html_bytes([], unknown=2) > 2 * UNKNOWN_ITEM_BYTES
