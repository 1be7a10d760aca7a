"""What journalists use as examples: a quotation, a figure with its unit, a named case.

The "Exemple" section must not say "ni chiffre, ni citation" over an article that has both, so
these patterns are deliberately broad on the forms a quotation takes (« », “ ”, "…", and reported
speech: selon X, a déclaré, a indiqué, estime…) and strict on what a figure is: a number with
what it counts ("2.600 passagers", "16 membres", "12 %", "3 millions d'euros"), never a date, a
year or a time of day alone.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"«[^»]{12,}»|“[^”]{12,}”|\"[^\"]{12,}\"")
_REPORTED = re.compile(
    r"\b(?:selon|d'après|d’après|according to|said|says|told)\b|"
    r"\b(?:a|ont|avait|aurait)(?:-t-(?:il|elle|ils|elles|on))?\s+(?:\w+\s+)?"
    r"(?:déclaré|indiqué|expliqué|estimé|affirmé|précisé|souligné|assuré|ajouté|confié|raconté|"
    r"témoigné|rapporté|déploré|dénoncé|annoncé|reconnu|réagi|lancé|martelé|insisté|confirmé|"
    r"regretté|prévenu|averti|admis|jugé|rappelé|détaillé|plaidé|fustigé|salué|résumé)\b|"
    r"\b(?:déclare|indique|explique|estime|affirme|précise|souligne|assure|ajoute|confie|raconte|"
    r"témoigne|rapporte|déplore|dénonce|annonce|reconnaît|martèle|insiste|confirme|regrette|"
    r"prévient|avertit|admet|juge|rappelle|détaille|plaide|fustige|salue|résume)\b",
    re.IGNORECASE,
)
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
    "decembre|janv|févr|avr|juil|sept|oct|nov|déc|january|february|march|april|may|june|july|august|"
    "september|october|november|december"
)
_NUMBER = r"\d+(?:[.,\u202f\u00a0 ]\d{3})*(?:[.,]\d+)?"
_SPELLED = (
    r"(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|"
    r"trente|quarante|cinquante|soixante|cent|mille|des dizaines|des centaines|des milliers|"
    r"plusieurs milliers|plusieurs centaines|plusieurs dizaines)"
)
_FIGURE = re.compile(
    rf"(?<![\w/.:-])(?:{_NUMBER}\s*(?:%|€|\$|£|‰|°)|{_NUMBER}\s+(?:millions?|milliards?|mille)?\s*"
    rf"(?:d['’]|de\s+)?(?!(?:{_MONTHS}|et|ou|à|au|en|h|heures?|ans?\s+plus|fois\s+par)\b)[^\W\d_]{{2,}}"
    rf"|\b{_SPELLED}\s+(?:d['’]|de\s+)?(?!\w+ment\b|heures?\b)[^\W\d_]{{3,}})",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_CASE = re.compile(
    r"\b[A-ZÀ-Ý][\wÀ-ÿ-]+,\s+(?:\d{1,3}|[a-zé-]+-?[a-zé]*)\s+ans\b|\bpar exemple\b|\bà l['’]image de\b|"
    r"\bc['’]est le cas (?:de|du|des)\b|\bainsi,\s|\bfor example\b|\bfor instance\b",
)


def figures(text: str) -> list[str]:
    """The figures with a unit in ``text`` (years and dates excluded)."""
    found = []
    for match in _FIGURE.finditer(text):
        number = match.group().split()[0].rstrip("%€$£‰°")
        if _YEAR.match(number) and not re.search(r"\d\s*(?:%|€|\$)", match.group()):
            continue
        found.append(match.group())
    return found


def is_quotation(text: str) -> bool:
    """True for a direct quotation (quote marks around a phrase) or reported speech."""
    return bool(_QUOTED.search(text) or _REPORTED.search(text))


def example_strength(text: str) -> float:
    """How much ``text`` serves as an example: 0 for none; quotations weigh most, then figures."""
    score = 0.0
    if is_quotation(text):
        score += 3.0
    score += min(len(figures(text)), 3) * 1.0
    if _CASE.search(text):
        score += 1.5
    return score
