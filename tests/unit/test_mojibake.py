"""Tests for composer.ingest.mojibake: repair what is broken, never touch what is not."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from composer.ingest.mojibake import repair_text, repair_with_count, suspicious_characters

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CLEAN_SEEDS = ["000_7b10752b77e9de8c", "001_f00f8dc28bd75bb8", "002_38ae22ee5cb95642", "003_3f29c12ee32016cb"]
BROKEN_SEED = "004_9b245662eba6b562"

# Everything a repaired French article may contain beyond ASCII.
ALLOWED = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ’‘“”«»…–—•€°\u00a0")


def _seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("la DĂ©fense", "la Défense"),  # UTF-8 read as ISO-8859-16
        ("oĂč les États", "où les États"),
        ("peut-ĂȘtre", "peut-être"),
        ("reconnaĂźtre la naĂŻvetĂ© du cĂŽtĂ©", "reconnaître la naïveté du côté"),
        ("des modĂšles", "des modèles"),
        ("assistons Ă\u00a0 une", "assistons à une"),  # the 0xA0 continuation survived as NBSP
        ("la rÃ©forme", "la réforme"),  # classic cp1252, via the scanner or ftfy
        ("lâ€™IA et lâ€œlaâ€\x9d", "l’IA et l“la”"),  # sloppy cp1252: 0x9D undefined
        ("les Ã‰tats-Unis", "les États-Unis"),
        ("Å“uvre", "œuvre"),
        ("Â« oui Â»", "« oui »"),
        ("ðŸš¨ alerte ðŸ‡«ðŸ‡·", "🚨 alerte 🇫🇷"),  # emoji and flags
        ("Ã  Paris", "à Paris"),
    ],
)
def test_repairs_mojibake(broken: str, fixed: str) -> None:
    assert repair_text(broken) == fixed


def test_broken_and_correct_in_the_same_line() -> None:
    assert repair_text("l’éthique du dĂ©bat") == "l’éthique du débat"


def test_lone_a_breve_before_a_space_is_a_grave() -> None:
    assert repair_text("pain Ă la caserne") == "pain à la caserne"


def test_final_a_breve_needs_evidence() -> None:
    assert repair_text("voilĂ tout") == "voilĂ tout"
    assert repair_text("dĂ©jĂ perdu") == "déjà perdu"


def test_doubly_broken_letters_need_evidence() -> None:
    assert repair_text("votre clientÚle") == "votre clientÚle"
    assert repair_text("la rĂ©alitĂ© de votre clientÚle, Ă vue d’Ɠil") == (
        "la réalité de votre clientèle, à vue d’œil"
    )


def test_ellipsis_turned_line_break_is_restored_with_evidence() -> None:
    assert repair_text("la sĂ©curitĂ©, parce que\n eh bien") == "la sécurité, parce que… eh bien"
    assert repair_text("parce que\n eh bien") == "parce que\n eh bien"


def test_count_reports_evidence() -> None:
    assert repair_with_count("la DĂ©fense")[1] == 1
    assert repair_with_count("la Défense")[1] == 0


@pytest.mark.parametrize(
    "text",
    [
        "C’est l’été à Paris : « Où est l’œuvre ? » — dit-il… Même là, ça coûte 5 €.",
        "Traian Băsescu și Ăla, ÎNVĂȚĂMÂNT PĂȘUNE, ROMÂNĂ ȘI",  # Romanian, capitals included
        "LIBERTÉ\u00a0! ÉTÉ\u00a0» à\u00a0» Straße heißt Ørsted Ústí",
        "Œdipe, cœur, « guillemets », “curly” ‘single’ — ÂGE, Âme",
        "🇫🇷 🇹🇳 👨\u200d👩\u200d👧 ⚖️ ➡️ 🚀 l’IA",
        "Le prix: 2.600 €, 3,5 % et 10 °C.",
    ],
)
def test_repair_is_identity_on_clean_text(text: str) -> None:
    assert repair_text(text) == text


@pytest.mark.parametrize("name", CLEAN_SEEDS)
def test_repair_is_identity_on_clean_seeds(name: str) -> None:
    raw = _seed(name)
    assert repair_text(raw) == raw


def test_no_mojibake_left_in_seed_004() -> None:
    repaired = repair_text(_seed(BROKEN_SEED))
    assert suspicious_characters(repaired) == []
    for char in set(repaired):
        if ord(char) < 128 or char in ALLOWED:
            continue
        # Emoji, flags and their joiners are fine; nothing else is.
        assert ord(char) >= 0x1F000 or unicodedata.category(char) == "So", repr(char)


def test_seed_004_keeps_typographic_quotes_and_emoji() -> None:
    repaired = repair_text(_seed(BROKEN_SEED))
    assert repaired.count("’") == _seed(BROKEN_SEED).count("’")
    assert "“Mon pain appartient à l’humanité entière !”" in repaired
    assert "🇹🇳" in repaired and "👉 cliquez ici 👈" in repaired
    assert "clientèle" in repaired and "complètement" in repaired and "d’œil" in repaired
    assert "parce que… eh bien" in repaired and "vocale… tout" in repaired


def test_suspicious_characters() -> None:
    assert suspicious_characters("dĂ©bat") == ["Ă"]
    assert suspicious_characters("ÂGE et Âme") == []
    assert suspicious_characters("Â« oui") == ["Â"]
