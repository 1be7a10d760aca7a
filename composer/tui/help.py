"""The help screen's text, built from the bindings themselves so it cannot drift from them."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from composer.tui.i18n import Labels

_KEYS = {
    "space": "espace",
    "slash": "/",
    "delete": "suppr",
    "question_mark": "?",
    "plus": "+",
    "minus": "-",
    "escape": "échap",
    "enter": "entrée",
}

EXTRA = {
    "fr": [
        ("1 2 3 4", "onglets : bibliothèque, relecture, édition, aperçu"),
        ("entrée", "bibliothèque : relire l'article ; relecture : aller à la phrase dans le texte"),
        ("→", "compléter le chemin proposé (ajout de source)"),
        ("tab", "champ ou panneau suivant"),
        ("échap", "quitter un champ de texte (les touches 1-4 et les lettres reviennent aux commandes)"),
        ("ctrl+p", "palette de commandes"),
        ("souris", "cliquer les onglets, les en-têtes de colonnes (tri), les boutons"),
    ],
    "en": [
        ("1 2 3 4", "tabs: library, review, edition, preview"),
        ("enter", "library: review the article; review: go to the sentence in the text"),
        ("→", "accept the suggested path (add source)"),
        ("tab", "next field or panel"),
        ("escape", "leave a text field (digits and letters go back to commands)"),
        ("ctrl+p", "command palette"),
        ("mouse", "click tabs, column headers (sort), buttons"),
    ],
}


def _key(binding: Binding) -> str:
    return " / ".join(_KEYS.get(k, k) for k in binding.key.split(","))


def help_text(t: Labels) -> Text:
    """Every binding of every tab with its label, then the keys that are not bindings."""
    from composer.tui.app import ComposerApp
    from composer.tui.edition_pane import PickedList
    from composer.tui.library_pane import LibraryPane
    from composer.tui.modals import EditionsScreen
    from composer.tui.preview_pane import PreviewPane
    from composer.tui.review_pane import ReviewPane

    groups = [
        ("composer", ComposerApp.BINDINGS),
        (t("tab_library"), LibraryPane.BINDINGS),
        (t("tab_review"), ReviewPane.BINDINGS),
        (t("tab_edition"), PickedList.BINDINGS),
        (t("tab_preview"), PreviewPane.BINDINGS),
        (f"{t('editions')} (L)", EditionsScreen.BINDINGS),
    ]
    text = Text()
    for title, bindings in groups:
        text.append(f"{title}\n", style="bold underline")
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                text.append(f"  {_key(binding):<22}", style="bold")
                text.append(f"{t(binding.description)}\n")
        text.append("\n")
    for key, what in EXTRA[t.language]:
        text.append(f"  {key:<22}", style="bold")
        text.append(f"{what}\n")
    return text
