"""Pieces a summary may leave out: the kinds the rules find, and the cuts they must never make."""

from __future__ import annotations

import pytest

from composer.edition.content import dump_item, load_item
from composer.edition.edits import edited_sentences
from composer.models import ELISION, Article, Digest, EditionItem, Sentence
from composer.summarize.compress import (
    APPOSITION,
    ATTRIBUTION,
    CLAUSE,
    LEAD,
    MAX_UNIT_WORDS,
    PAREN,
    SHORT_WORDS,
    pieces_of,
    removable,
    shorten,
    variants,
)
from composer.text.sentences import split_sentences


def kinds(text: str) -> list[str]:
    return [c.kind for c in removable(text)]


def shorter(text: str) -> list[str]:
    """The displayed text of every shorter version of ``text`` taken as a whole article."""
    (sentence,) = split_sentences(text)
    return [clip.text for clip in variants(sentence)[1:]]


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Par ailleurs, le préfet a annoncé la fermeture des écoles de la ville.", LEAD,
         "[…] le préfet a annoncé la fermeture des écoles de la ville."),
        ("Selon l'AFP, le préfet a annoncé la fermeture des écoles de la ville.", LEAD,
         "[…] le préfet a annoncé la fermeture des écoles de la ville."),
        ("Le préfet a annoncé la fermeture des écoles de la ville, a-t-il déclaré mardi.", ATTRIBUTION,
         "Le préfet a annoncé la fermeture des écoles de la ville […]"),
        ("Le préfet a annoncé la fermeture des écoles de la ville, selon l'AFP.", ATTRIBUTION,
         "Le préfet a annoncé la fermeture des écoles de la ville […]"),
        ("Le préfet (nommé en mars dernier) a annoncé la fermeture des écoles de la ville.", PAREN,
         "Le préfet […] a annoncé la fermeture des écoles de la ville."),
        ("Jean Dupont, 45 ans, a annoncé la fermeture des écoles de la ville.", APPOSITION,
         "Jean Dupont […] a annoncé la fermeture des écoles de la ville."),
        ("Le préfet a annoncé la fermeture des écoles de la ville, alors que la tempête approche.", CLAUSE,
         "Le préfet a annoncé la fermeture des écoles de la ville […]"),
    ],
)
def test_each_kind_is_found_and_marked(text: str, kind: str, expected: str) -> None:
    assert kind in kinds(text)
    assert expected in shorter(text)


@pytest.mark.parametrize(
    ("text", "must_stay"),
    [
        # a negation in the piece: leaving it out would change what the rest says
        ("Le préfet a annoncé la fermeture des écoles, sans attendre l'avis du maire.", "sans attendre"),
        ("Le préfet a maintenu les écoles ouvertes (il n'a pas voulu céder) malgré la tempête.", "n'a pas"),
        # a condition or a restriction
        ("Les écoles rouvriront lundi dans toute la région, sauf à Marseille et à Toulon.", "sauf à"),
        ("Les écoles rouvriront lundi dans toute la région, si la tempête s'éloigne.", "si la"),
        # a quotation is cut whole or not at all
        ("« Les écoles rouvriront lundi, alors que la tempête s'éloigne », a déclaré le préfet.",
         "« Les écoles rouvriront lundi, alors que la tempête s'éloigne »"),
    ],
)
def test_never_drops_negation_condition_or_part_of_a_quote(text: str, must_stay: str) -> None:
    for shown in shorter(text):
        assert must_stay in shown, f"{must_stay!r} dropped: {shown}"


def test_a_quotation_keeps_who_said_it() -> None:
    text = "« Nous rouvrirons les écoles lundi dans toute la région », a déclaré le préfet mardi soir."
    assert ATTRIBUTION not in kinds(text)


def test_every_piece_is_a_span_of_the_article_and_marks_round_trip() -> None:
    article = (
        "Par ailleurs, Jean Dupont, 45 ans, a annoncé (mardi) la fermeture des écoles, a-t-il déclaré. "
        "Selon l'AFP, la tempête a fait trois blessés dans le port de Marseille, alors que les secours "
        "étaient déjà sur place."
    )
    seen = 0
    for sentence in split_sentences(article):
        for clip in variants(sentence):
            for piece in clip.pieces:
                assert article[piece.start : piece.end] == piece.text
                assert piece.index == sentence.index
            assert pieces_of(clip.text) == [p.text for p in clip.pieces]
            assert (ELISION in clip.text) == bool(clip.cuts)
            seen += bool(clip.cuts)
    assert seen >= 6


def test_too_short_a_remainder_is_not_offered() -> None:
    assert shorter("Il a dit, selon l'AFP.") == []


def test_clipped_chapo_is_stored_shown_and_edited_with_its_marks() -> None:
    text = "Par ailleurs, le préfet a annoncé la fermeture des écoles de la ville, a-t-il déclaré."
    article = Article(id="a1", title="t", text=text)
    (sentence,) = split_sentences(text)
    clip = next(c for c in variants(sentence) if c.cuts == (LEAD, ATTRIBUTION))
    digest = Digest(article_id="a1", method="default", summary=clip.pieces)
    assert digest.summary_text == "[…] le préfet a annoncé la fermeture des écoles de la ville […]"
    item = EditionItem(article=article, digest=digest, sections=(), tone=0.0)
    back = load_item(article, dump_item(item))
    assert back.digest.summary == clip.pieces
    assert back.digest.summary_text == digest.summary_text
    # The editor keeps the clipped text and adds a sentence: the piece keeps its span and marks.
    edited = edited_sentences(digest.summary, digest.summary_text + " Une phrase ajoutée.")
    assert edited[0] == clip.pieces[0]
    assert edited[1] == Sentence(-1, -1, -1, "Une phrase ajoutée.")


def test_whole_sentences_are_stored_as_before() -> None:
    article = Article(id="a1", title="t", text="Le préfet a annoncé la fermeture des écoles.")
    (sentence,) = split_sentences(article.text)
    item = EditionItem(article=article, digest=Digest("a1", "default", (sentence,)), sections=(), tone=0.0)
    assert '"summary":[[0,0,44,' in dump_item(item)
    assert load_item(article, dump_item(item)).digest.summary == (sentence,)


def test_a_quotation_opened_in_the_previous_sentence_is_never_cut() -> None:
    text = 'Selon moi, cette responsabilité incombe aux forces de l\'ordre", a expliqué à l\'AFP la maire.'
    assert removable(text) == []


def test_a_relative_clause_never_takes_the_main_verb_with_it() -> None:
    text = (
        "Le Défenseur du peuple de la province de Guayas, dont Guayaquil est le chef-lieu, a reçu cinq "
        "appels à l'aide de patients retenus dans des cliniques."
    )
    for shown in shorter(text):
        assert "a reçu cinq appels" in shown


def _one(text: str) -> Sentence:
    return Sentence(3, 100, 100 + len(text), text)


def test_a_unit_too_long_to_read_keeps_its_first_words_up_to_a_comma() -> None:
    clause = "le conseil municipal a voté la rénovation du gymnase, et la création d'une piste cyclable"
    text = " ".join([clause] * 20)  # a page without a single stop: 300 words
    short = shorten(_one(text))
    assert short.cut_after and not short.cut_before
    assert (short.index, short.start) == (3, 100)
    assert short.text == text[: short.end - short.start]
    assert short.text.endswith("gymnase")  # the comma's place, the comma itself left to "[…]"
    assert len(short.text.split()) <= SHORT_WORDS
    assert short.shown.endswith(short.text + " " + ELISION)


def test_a_sentence_a_reader_can_take_in_is_never_shortened() -> None:
    text = " ".join(["mot"] * MAX_UNIT_WORDS)
    assert shorten(_one(text)) == _one(text)


def test_a_long_unit_is_never_cut_between_ne_and_pas() -> None:
    text = "Il a dit " + "mot " * 50 + "et il ne veut " + "vraiment " * 10 + "pas " + "encore " * 100
    short = shorten(_one(text))
    assert short.cut_after
    assert " ne " not in short.text and short.text.endswith("et il")
    never_closed = "Il ne " + " ".join(["mot"] * 200) + " pas."
    assert shorten(_one(never_closed)) == _one(never_closed)  # no safe place: whole, not flipped


def test_a_long_unit_is_cut_outside_its_quotation_when_it_can_be() -> None:
    text = "Il a dit, " + " ".join(["mot"] * 20) + ", puis « " + " ".join(["citation"] * 150) + " »."
    short = shorten(_one(text))
    assert "«" not in short.text and short.cut_after
