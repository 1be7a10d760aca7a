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


def test_stemming_is_safe_across_threads() -> None:
    """The editor summarizes in a background thread while a build stems in another."""
    import threading

    from composer.text import words

    vocabulary = [
        f"{base}{suffix}"
        for base in ("gouvern", "nation", "économ", "administr", "finan")
        for suffix in ("ement", "ements", "alement", "ation", "ations", "ateurs", "istes", "iques")
    ]
    expected = {w: words._stemmer("fr").stemWord(w) for w in vocabulary}
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(3000):
                w = vocabulary[(i + offset) % len(vocabulary)] + "s" * (i % 3)
                got = words._stemmer("fr").stemWord(w)
                if w in expected:
                    assert got == expected[w]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
