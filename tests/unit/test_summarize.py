"""Every method returns the article's own sentences, in order; the default makes a chapô."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import pytest

from composer.errors import UsageError
from composer.summarize import available_methods, key_points, summarize

ARTICLE = (
    "Venise : le paquebot hors de contrôle\n\n"
    "Sur les réseaux sociaux, les images sont impressionnantes. Dimanche matin à Venise, l'équipage du "
    "MSC Opéra a perdu le contrôle du paquebot, à son arrivée dans le port de la cité des Doges. Le navire, "
    "qui peut contenir plus de 2.600 passagers, est venu heurter le quai auquel il voulait s'arrimer. "
    "Le paquebot a raclé le quai sur plusieurs mètres, suscitant la panique des personnes à terre.\n\n"
    "Les blessés\n\n"
    "Quatre personnes ont été blessées dans cet accident : deux légèrement, tandis que les deux autres ont "
    "été transportées à l'hôpital. L'incident s'est produit dans le canal de la Giudecca, où de nombreux "
    "navires de croisière s'arrêtent.Selon le quotidien italien Corriere della Sera, cette course folle "
    "serait due aux forts courants."
)
TITLE = "Venise : un paquebot incontrôlable sème la panique"
METHODS = [
    "default", "kl", "lead", "lexrank", "lsa", "luhn", "reduction", "sentences", "sumbasic", "textrank",
]


def test_available_methods() -> None:
    assert sorted(available_methods()) == sorted(METHODS)
    assert available_methods()[:2] == ["default", "lead"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("count", [None, 1, 2, 3])
def test_methods_return_source_sentences_in_order(method: str, count: int | None) -> None:
    chosen = summarize(ARTICLE, TITLE, method=method, sentences=count)
    assert chosen
    if count:
        assert len(chosen) <= count
    assert [s.index for s in chosen] == sorted(s.index for s in chosen)
    for s in chosen:
        assert ARTICLE[s.start : s.end] == s.text


@pytest.mark.parametrize("method", [m for m in METHODS if m != "lead"])
def test_headings_are_never_picked(method: str) -> None:
    for count in (1, 2, 3):
        texts = [s.text for s in summarize(ARTICLE, TITLE, method=method, sentences=count)]
        assert "Les blessés" not in texts
        assert "Venise : le paquebot hors de contrôle" not in texts


def test_default_is_a_short_chapo() -> None:
    chosen = summarize(ARTICLE, TITLE)
    assert 1 <= len({s.index for s in chosen}) <= 2  # one or two sentences, maybe clipped into pieces
    assert 10 <= sum(len(s.text.split()) for s in chosen) <= 60


def test_key_points_are_three_distinct_sentences() -> None:
    points = key_points(ARTICLE, TITLE)
    assert len(points) == 3
    assert len({p.index for p in points}) == 3
    assert [p.index for p in points] == sorted(p.index for p in points)


def test_unknown_method_names_the_valid_ones() -> None:
    with pytest.raises(UsageError, match="lexrank"):
        summarize(ARTICLE, method="nope")


def test_degenerate_inputs() -> None:
    assert summarize("") == []
    assert summarize("Un titre sans point") != []
    assert summarize("Une seule phrase assez longue pour compter ici.", sentences=3)


def test_library_call_is_fast_once_loaded() -> None:
    summarize(ARTICLE, TITLE)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        summarize(ARTICLE, TITLE)
        times.append(time.perf_counter() - t0)
    assert statistics.median(times) < 0.005


def test_importing_composer_stays_light() -> None:
    code = "import sys, composer, composer.summarize; print('numpy' in sys.modules, 'sumy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_the_chapo_never_says_the_same_thing_twice() -> None:
    """Pages repeat sentences (a lead quoted again lower down): the chapô takes one of them."""
    repeated = "Le maire a annoncé mardi la fermeture des écoles, selon l'AFP. "
    for article, title in ((repeated * 40, "Titre"), (repeated * 40, "Le maire ferme les écoles"),
                           (repeated * 3 + ARTICLE, "Le maire ferme les écoles")):
        chosen = summarize(article, title)
        assert sum("fermeture des écoles" in s.text for s in chosen) <= 1, [s.shown for s in chosen]


def test_no_method_of_composer_repeats_a_sentence_of_a_repetitive_page() -> None:
    repeated = "Le maire a annoncé mardi la fermeture des écoles, selon l'AFP. "
    for chosen in (
        summarize(repeated * 40, "Titre", method="sentences"),
        summarize(repeated * 40, "Titre", sentences=3),
        key_points(repeated * 40 + ARTICLE, TITLE),
    ):
        texts = [s.text for s in chosen]
        assert chosen and len(texts) == len(set(texts)), texts


def test_the_chapo_never_leads_with_half_of_a_quotation() -> None:
    """A quotation spread over two sentences is cut by the splitter; neither half is a chapô
    (without the rule, both methods lead with the first half here)."""
    article = (
        "Le ministre de l'Éducation a été clair : \"Nous allons fermer toutes les écoles du pays dès "
        "lundi pendant deux semaines. Les élèves resteront chez eux pendant deux semaines au moins et "
        "les examens sont reportés\", a-t-il ajouté mardi sur RTL. "
        "La mairie de la ville a aussi réagi dans la soirée sur son site."
    )
    title = "Le ministre ferme les écoles pendant deux semaines"
    for method in ("default", "sentences"):
        chosen = [s.text for s in summarize(article, title, method=method)]
        assert chosen == ["La mairie de la ville a aussi réagi dans la soirée sur son site."], method
    only_halves = article.rsplit(" La mairie", 1)[0]
    assert summarize(only_halves, title)  # nothing else to say: a half is still better than nothing
