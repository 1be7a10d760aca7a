"""Words keep their accents, lose their elisions; the stop list is complete enough to trust."""

from __future__ import annotations

from composer.text.words import stem, stop_words, tokenize_words


def test_elisions_and_accents() -> None:
    words = tokenize_words("L'État qu'il a créé d'ores et déjà aujourd'hui, l’Europe")
    assert words == ["état", "il", "a", "créé", "ores", "et", "déjà", "aujourd'hui", "europe"]


def test_compounds_stay_whole() -> None:
    assert "porte-parole" in tokenize_words("Le porte-parole des États-Unis")
    assert "états-unis" in tokenize_words("Le porte-parole des États-Unis")


def test_english_keeps_apostrophes() -> None:
    assert tokenize_words("It's the dog's bone", "en") == ["it's", "the", "dog's", "bone"]


def test_french_stop_list_has_what_sumy_lacks() -> None:
    stops = stop_words("fr")
    assert {"de", "un", "une", "à", "se", "ne", "plus", "cette"} <= stops
    assert len(stops) > 250
    assert "gouvernement" not in stops
    assert "the" in stop_words("en")


def test_snowball_stems() -> None:
    assert stem("nationales") == stem("national")
    assert stem("running", "en") == "run"
