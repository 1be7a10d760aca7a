"""The splitter on the cases French news throws at it, and its one hard promise: exact spans."""

from __future__ import annotations

import pytest

from composer.text.sentences import ends_like_sentence, split_sentences

CASES = [
    ("M. Macron est arrivé. Il a parlé.", ["M. Macron est arrivé.", "Il a parlé."]),
    (
        "Le navire peut contenir 2.600 passagers. Il a heurté le quai.",
        ["Le navire peut contenir 2.600 passagers.", "Il a heurté le quai."],
    ),
    ("Il vit aux U.S.A. depuis 2010. Il travaille.", ["Il vit aux U.S.A. depuis 2010.", "Il travaille."]),
    ("Des pommes, des poires, etc. Puis il part.", ["Des pommes, des poires, etc.", "Puis il part."]),
    ("« Je suis là. » Il a dit cela.", ["« Je suis là. »", "Il a dit cela."]),
    ("Il hésita… Puis il partit.", ["Il hésita…", "Puis il partit."]),
    ("Visiter Venise.Selon le quotidien, oui.", ["Visiter Venise.", "Selon le quotidien, oui."]),
    # Paragraphs glued by a page that lost its breaks, after a year, a quote or a bracket
    ("Il est né en 2018.Alors il a grandi.", ["Il est né en 2018.", "Alors il a grandi."]),
    ('Un faux "prétexte".Le maire a ri.', ['Un faux "prétexte".', "Le maire a ri."]),
    ("Une baisse (84%).Le constat est clair.", ["Une baisse (84%).", "Le constat est clair."]),
    ("Il a dit « non ».Le maire a ri.", ["Il a dit « non ».", "Le maire a ri."]),
    ("Voir le point 1.Le reste suit.", ["Voir le point 1.Le reste suit."]),  # maybe a numbered heading
    ("Voir M.Dupont demain.", ["Voir M.Dupont demain."]),
    ("Il est né le 3 janv. 2000 à Paris. Voilà.", ["Il est né le 3 janv. 2000 à Paris.", "Voilà."]),
    ("Le Dr. Dupont est arrivé. Bien.", ["Le Dr. Dupont est arrivé.", "Bien."]),
    ("Il a dit : « Non ! » Puis rien.", ["Il a dit : « Non ! »", "Puis rien."]),
    ("Quoi ? Vraiment ! Oui.", ["Quoi ?", "Vraiment !", "Oui."]),
    ("Selon J.-L. Mélenchon, rien. Voilà.", ["Selon J.-L. Mélenchon, rien.", "Voilà."]),
    ("Le site franceinfo.fr a publié. Puis.", ["Le site franceinfo.fr a publié.", "Puis."]),
    (
        "Il a gagné 3,5 millions. 200 personnes sont venues.",
        ["Il a gagné 3,5 millions.", "200 personnes sont venues."],
    ),
    ("Mme Dupont et MM. Durand sont là. Fin.", ["Mme Dupont et MM. Durand sont là.", "Fin."]),
    ('Il a dit "Bonjour." Puis il est parti.', ['Il a dit "Bonjour."', "Puis il est parti."]),
    (
        'Il doit se lever à sept." Aussitôt arrivé, il dort.',
        ['Il doit se lever à sept."', "Aussitôt arrivé, il dort."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tricky_french_cases(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_layout_headings_and_bullets_are_their_own_units() -> None:
    text = (
        "Les chiffres clés\n\nLe chômage baisse. Il était haut.\n\n"
        "- premier point\n- second point.\n• troisième"
    )
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "Les chiffres clés",
        "Le chômage baisse.",
        "Il était haut.",
        "premier point",
        "second point.",
        "troisième",
    ]


def test_hard_wrapped_prose_stays_one_sentence() -> None:
    text = "Le gouvernement a présenté mercredi un projet de loi qui prévoit\nune hausse des salaires. Fin."
    assert len(split_sentences(text)) == 2


def test_spans_are_exact_and_indexes_consecutive() -> None:
    text = "  Premier paragraphe. Deuxième phrase !\n\nTitre\n\n« Citation. » Suite…  Fin ? \n"
    sents = split_sentences(text)
    assert [s.index for s in sents] == list(range(len(sents)))
    for s in sents:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences("   \n\n  ") == []


def test_heading_detection() -> None:
    assert not ends_like_sentence("Les chiffres clés")
    assert ends_like_sentence("Il est parti.")
    assert ends_like_sentence("« Non ! »")


def test_never_downloads_nltk_data(monkeypatch: pytest.MonkeyPatch) -> None:
    nltk = pytest.importorskip("nltk")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("NLTK data must never be fetched")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    from composer.summarize import summarize

    text = "Le navire a heurté le quai dimanche à Venise. Quatre personnes ont été blessées. " * 3
    for method in ("lexrank", "lsa", "textrank", "luhn", "kl", "sumbasic", "reduction", "default"):
        assert summarize(text, "Venise", method=method, sentences=1)
