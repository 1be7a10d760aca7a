"""Every word composer itself writes for readers and editors, one block per language.

The email's framing (online version, tone line, key points, sources, footer), the preflight
checklist, the tone warning, the edit note and the month names live here; the editor's UI
labels live in ``composer/tui/i18n.py`` and the perspective sections' headings and phrasings in
``templates/perspectives/<language>/``.  To add a language, add its block to each of the three
(a missing key falls back to French) and set ``language`` in the workspace's settings.
"""

from __future__ import annotations

LANGUAGES = ("fr", "en")

EDITED_NOTE = {"fr": "(modifié par la rédaction)", "en": "(edited by the newsletter team)"}

MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

# The email's own words, one catalogue per language: an English workspace's letter carries no
# French framing.  (Headings and framing of the sections come from templates/perspectives/<lang>.)
EMAIL: dict[str, dict[str, str]] = {
    "fr": {
        "view_browser": "Voir cette lettre dans le navigateur",
        "online": "Version en ligne\u00a0:",
        "tone_html": "Tonalité de l'édition\u00a0: {pos}\u00a0% positive · {neu}\u00a0% neutre"
        " · {neg}\u00a0% négative",
        "tone_text": "Tonalité de l'édition\u00a0: {pos}\u00a0% positive, {neu}\u00a0% neutre,"
        " {neg}\u00a0% négative.",
        "essentiel": "L'essentiel",
        "sources": "Sources des citations",
        "source": "Source\u00a0:",
        "promise": "Chaque phrase citée provient de l'article source\u202f; seuls les mots de liaison"
        " sont de la rédaction.",
        "archive_before": "Version en ligne de la lettre.",
        "archive_link": "Abonnez-vous",
        "archive_after": "pour la recevoir par courriel.",
        "archive_text": "Version en ligne de la lettre. Pour la recevoir\u00a0:",
        "recipient": "Vous recevez cette lettre à l'adresse {address}.",
        "unsubscribe": "Se désabonner",
        "unsubscribe_text": "Se désabonner\u00a0:",
    },
    "en": {
        "view_browser": "View this letter in your browser",
        "online": "Online version:",
        "tone_html": "Tone of this edition: {pos}% positive · {neu}% neutral · {neg}% negative",
        "tone_text": "Tone of this edition: {pos}% positive, {neu}% neutral, {neg}% negative.",
        "essentiel": "Key points",
        "sources": "Sources of the quotations",
        "source": "Source:",
        "promise": "Every quoted sentence comes from its source article; only the linking words are ours.",
        "archive_before": "Online version of the letter.",
        "archive_link": "Subscribe",
        "archive_after": "to get it by email.",
        "archive_text": "Online version of the letter. To get it:",
        "recipient": "You receive this letter at {address}.",
        "unsubscribe": "Unsubscribe",
        "unsubscribe_text": "Unsubscribe:",
    },
}

PREFLIGHT: dict[str, dict[str, str]] = {
    "fr": {
        "sender": "Expéditeur configuré (pas l'adresse d'exemple)",
        "postal_address": "Adresse postale configurée (pas celle d'exemple)",
        "unsubscribe_url": "Lien de désabonnement vers le site de la lettre (base_url)",
        "https": "base_url en HTTPS (les messageries exigent un désabonnement sécurisé)",
        "text_part": "Partie texte brut présente",
        "unsubscribe_link": "Lien de désabonnement dans le HTML et le texte",
        "list_unsubscribe": "En-têtes List-Unsubscribe et List-Unsubscribe-Post",
        "size": "Taille HTML {kb:.0f} Ko (Gmail coupe au-delà de 102 Ko)",
        "subject": "Objet et pré-en-tête renseignés",
        "empty_sections": "Sections vides",
        "missing_date": "Articles sans date",
        "missing_source": "Articles sans source",
        "balance": "Équilibre des tonalités",
    },
    "en": {
        "sender": "Sender configured (not the example address)",
        "postal_address": "Postal address configured (not the example one)",
        "unsubscribe_url": "Unsubscribe link to the newsletter's site (base_url)",
        "https": "base_url over HTTPS (mailbox providers expect a secure unsubscribe)",
        "text_part": "Plain-text part present",
        "unsubscribe_link": "Unsubscribe link in HTML and text",
        "list_unsubscribe": "List-Unsubscribe and List-Unsubscribe-Post headers",
        "size": "HTML size {kb:.0f} KB (Gmail clips above 102 KB)",
        "subject": "Subject and preheader filled in",
        "empty_sections": "Empty sections",
        "missing_date": "Articles without a date",
        "missing_source": "Articles without a source",
        "balance": "Tone balance",
    },
}

TONE_WARNING = {
    "fr": ("Édition déséquilibrée : {share} des articles ont une tonalité {side}.", "positive", "négative"),
    "en": ("Unbalanced edition: {share} of the articles have a {side} tone.", "positive", "negative"),
}
