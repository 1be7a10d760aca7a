"""Behaviour of the French polarity scorer: rules that must hold whatever the trained weights."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from composer.perspectives import polarity
from composer.perspectives.polarity_eval import auc
from composer.perspectives.polarity_features import normalize

s = polarity.score


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("Ce film est bon.", "Ce film n'est pas bon."),
        ("La série est intéressante.", "La série n'est jamais intéressante."),
        ("Le projet est une réussite.", "Le projet n'est plus une réussite."),
        ("Un résultat utile.", "Un résultat sans aucune utilité."),
        ("Tout est réussi.", "Rien n'est réussi."),
        ("Une solution efficace.", "Aucune solution efficace."),
        ("Il aime cette série.", "Il n'aime plus du tout cette série."),
    ],
)
def test_negation_lowers_positive_statements(plain: str, negated: str) -> None:
    assert s(negated) < s(plain) - 0.2


@pytest.mark.parametrize(
    ("plain", "negated"),
    [
        ("C'est mauvais.", "Ce n'est pas mauvais."),
        ("La situation est catastrophique.", "La situation n'est pas catastrophique."),
    ],
)
def test_negation_raises_negative_statements(plain: str, negated: str) -> None:
    assert s(negated) > s(plain)


def test_ne_que_is_restriction_not_negation() -> None:
    assert s("Ce n'est qu'une réussite.") > 0


def test_intensifier_and_diminisher() -> None:
    assert s("Ce film est très bon.") > s("Ce film est bon.")
    assert s("Un épisode très décevant.") < s("Un épisode un peu décevant.")


def test_contrast_weights_the_clause_after_mais() -> None:
    assert s("Le décor est beau mais l'histoire est ennuyeuse.") < 0
    assert (
        s("L'histoire est ennuyeuse mais le décor est beau.")
        > s("Le décor est beau mais l'histoire est ennuyeuse.") + 0.3
    )
    assert s("Des résultats décevants, pourtant l'avenir est prometteur.") > s(
        "L'avenir est prometteur, pourtant les résultats sont décevants."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Les pertes s'accumulent et les licenciements se multiplient.",
        "La menace d'une crise plane sur le secteur.",
        "La surveillance de masse et la militarisation de l'IA inquiètent.",
    ],
)
def test_news_vocabulary_negative(text: str) -> None:
    assert s(text) < -0.2


@pytest.mark.parametrize(
    "text",
    [
        "La croissance repart grâce à l'innovation.",
        "Cette technologie est bénéfique pour tous.",
        "La démocratisation de l'accès aux soins progresse.",
    ],
)
def test_news_vocabulary_positive(text: str) -> None:
    assert s(text) > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "!!!",
        "Bonjour.",
        "http://x.fr @user #tag",
        "a" * 5000,
        "très très très très très très bon " * 30,
        "nul " * 200,
    ],
)
def test_range(text: str) -> None:
    assert -1.0 <= s(text) <= 1.0


def test_score_many_matches_score_and_keeps_order() -> None:
    texts = ["Excellent !", "Catastrophe.", "Le conseil se réunit mardi."]
    assert polarity.score_many(texts) == [s(t) for t in texts]
    assert polarity.score_many([]) == []


@pytest.mark.parametrize("variant", ["default", "lexicon"])
def test_variants_order_obvious_cases(variant: str) -> None:
    good, bad = polarity.score_many(
        ["Une excellente nouvelle, un vrai succès.", "Un échec terrible et inquiétant."], variant=variant
    )  # type: ignore[arg-type]
    assert good > 0 > bad


def test_unknown_variant_is_an_error() -> None:
    with pytest.raises(ValueError, match="variant"):
        polarity.score_many(["x"], variant="bert")  # type: ignore[arg-type]


def test_label() -> None:
    assert polarity.label(0.9) == "positive"
    assert polarity.label(-0.9) == "negative"
    assert polarity.label(0.0) == "neutral"
    assert polarity.label(0.2, threshold=0.1) == "positive"


def test_review_style_and_news_style_tokenize_alike() -> None:
    assert normalize("c' est génial , vraiment !") == normalize("C’est génial, vraiment !")


def test_auc() -> None:
    assert auc([3, 4], [1, 2]) == 1.0
    assert auc([1], [1]) == 0.5
    assert auc([1, 2, 3], [0, 2]) == 0.75


def test_scoring_does_not_import_numpy() -> None:
    code = (
        "import sys; from composer.perspectives import polarity; polarity.score('Très bien.'); "
        "print('numpy' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == "False"
