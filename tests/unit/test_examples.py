"""Example material: quotations in every form, figures with their unit, never a date alone."""

from __future__ import annotations

from composer.perspectives.examples import example_strength, figures, is_quotation


def test_quotations_in_every_form() -> None:
    assert is_quotation("« Nous allons gagner », a-t-il déclaré.")
    assert is_quotation("“We will win”, he said to the crowd.")
    assert is_quotation('Il a parlé d\'une "victoire historique pour la commune".')
    assert is_quotation("L'enquête a été ouverte, selon le parquet de Paris.")
    assert is_quotation("Le ministre estime que la réforme arrive trop tard.")
    assert not is_quotation("La réunion a lieu mardi dans la salle du conseil.")


def test_figures_need_a_unit_and_dates_do_not_count() -> None:
    assert figures("Le navire peut contenir plus de 2.600 passagers.") == ["2.600 passagers"]
    assert figures("Le chômage a reculé de 2 % au premier trimestre.") == ["2 %"]
    assert figures("Cela coûtera 3 millions d'euros.") == ["3 millions d'euros"]
    assert figures("Quatre personnes ont été blessées.") == ["Quatre personnes"]
    assert figures("Le 12 mars 2020, il est parti.") == []
    assert figures("En 2019, rien n'a changé.") == []
    assert figures("Il est arrivé vers 9 heures, à dix heures il repartait.") == []


def test_strength_orders_quotation_over_figure_over_nothing() -> None:
    quote = example_strength("« C'est une catastrophe », a regretté un habitant.")
    figure = example_strength("Le bilan s'élève à 12 morts.")
    assert quote > figure > example_strength("La séance a été levée dans le calme.") == 0.0
