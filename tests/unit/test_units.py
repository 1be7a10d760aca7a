"""Quotable units are whole: a sentence or a whole quotation with its speaker, never a fragment."""

from __future__ import annotations

from composer.models import Article, Paragraph
from composer.perspectives.units import is_whole, quotable_units
from composer.text.sentences import split_sentences


def _units(text: str) -> list[str]:
    article = Article(id="x", title="T", text=text, paragraphs=(Paragraph("paragraph", 0, len(text)),))
    return [u.sentence.text for u in quotable_units(article, split_sentences(text))]


def test_whole_sentences_pass_and_fragments_do_not() -> None:
    assert is_whole("Les pompiers ont sauvé trois enfants d'un incendie à Lyon.")
    assert is_whole("« Nous reconstruirons l'école d'ici l'été », a promis la préfète.")
    assert not is_whole("et les pompiers ont sauvé trois enfants d'un incendie.")  # starts mid-sentence
    assert not is_whole("« Nous reconstruirons l'école d'ici l'été, a promis la préfète.")  # quote left open
    assert not is_whole(
        "Nous reconstruirons l'école d'ici l'été », a promis la préfète."
    )  # closes one it never opened
    assert not is_whole("Les pompiers ont sauvé trois enfants d'un incendie")  # no end
    assert not is_whole("- Poursuites inacceptables - Dans la capitale, des rassemblements ont lieu.")
    assert not is_whole("Principaux extraits de cet entretien: - Quel est l'impact du confinement ?")
    assert not is_whole("window.pvp_x = new Pvp({id: 3}); la suite du texte ici.")
    assert not is_whole("Trop court.")


def test_a_quotation_over_several_sentences_is_one_unit_with_its_speaker() -> None:
    text = (
        "Le maire a pris la parole devant la foule réunie. « Nous sommes soulagés. Personne n'a été "
        "blessé. Nous reconstruirons l'école », a-t-il déclaré devant les habitants. La séance a été levée."
    )
    units = _units(text)
    whole = (
        "« Nous sommes soulagés. Personne n'a été blessé. Nous reconstruirons l'école », "
        "a-t-il déclaré devant les habitants."
    )
    assert whole in units
    assert not any(u.startswith("Personne") for u in units)  # no piece of the quotation alone


def test_a_quotation_that_never_closes_gives_no_unit_at_all() -> None:
    text = "Il a dit : « Nous allons gagner cette bataille. Nous allons gagner la guerre aussi. Et ensuite"
    assert _units(text) == []


def test_glued_headings_are_cut_off_and_never_quoted() -> None:
    text = (
        "Le gouvernement a présenté son plan lundi matin à Paris. "
        "Des leviers fiscaux également envisagésAutre dispositif évoqué pour diminuer le gaspillage : "
        "une taxe sur les emballages."
    )
    sentences = [s.text for s in split_sentences(text)]
    assert "Des leviers fiscaux également envisagés" in sentences
    units = _units(text)
    assert "Autre dispositif évoqué pour diminuer le gaspillage : une taxe sur les emballages." in units
    assert not any("envisagés" in u for u in units)


def test_camel_case_brands_are_not_cut() -> None:
    sentences = [
        s.text for s in split_sentences("Le vaccin AstraZeneca arrive. Il utilise WhatsApp et YouTube.")
    ]
    assert sentences == ["Le vaccin AstraZeneca arrive.", "Il utilise WhatsApp et YouTube."]


def test_headings_glued_with_a_space_are_cut_but_names_and_numerals_stay() -> None:
    def split(text: str) -> list[str]:
        return [s.text for s in split_sentences(text)]

    assert split("Au total, 200 emplois sont menacés Le groupe néerlandais justifie cette décision.") == [
        "Au total, 200 emplois sont menacés",
        "Le groupe néerlandais justifie cette décision.",
    ]
    assert split("Bio mais pas toujours éthique Or, ajoute-t-elle, le bio coûte cher.")[0] == (
        "Bio mais pas toujours éthique"
    )
    assert len(split("Il habite le XVIIIe arrondissement de la capitale, rapporte Europe 1.")) == 1
    assert len(split("Selon le journal Le Monde, il lit La Provence et a vu Les Misérables.")) == 1
