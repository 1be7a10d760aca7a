"""Pieces of a sentence a summary may leave out, found by rules that never change its meaning.

A journalist's abstract is shorter than the article's sentences because it keeps the fact and
drops the frame around it: the connective that tied it to the previous sentence ("Par
ailleurs,"), who said it (", a-t-il déclaré", "selon l'AFP"), the aside in parentheses, the
apposition that introduces a person (", 45 ans,", ", qui dirige la région depuis 2015,") and
the trailing clause of circumstance (", alors que…", ", afin de…").  Each rule below finds one
such piece as a character span of the sentence; ``variants`` combines them into shorter
versions of the sentence whose kept pieces are still spans of the article, so provenance holds
piece by piece.

What is never removable, whatever the ranker would gain:

* a piece holding a negation word (``ne``/``n'``, ``pas``, ``jamais``, ``aucun``, ``ni``,
  ``sans``, ``non``, ``rien``, ``guère``): dropping it could flip the kept text's sense;
* a piece starting or ending inside a quotation, or holding a quotation mark: a quote is cut
  whole or not at all;
* a condition or a restriction (``si``, ``sauf``, ``à condition``, ``seulement``, ``uniquement``):
  "les écoles rouvriront, sauf à Paris" is not "les écoles rouvriront";
* anything that leaves fewer than ``MIN_KEPT_WORDS`` words or no finite verb;
* anything at all in a sentence whose quotation marks do not pair up.

Rules over punctuation and function words, not a parser: spaCy's small French model costs
1.2 ms per sentence and 2 s to load (``bench/spacy_speed.py``), more than the whole summarizer,
and these pieces are marked by commas, parentheses and dashes in news prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from composer.models import ELISION, Sentence
from composer.text.sentences import quote_balance

MIN_KEPT_WORDS = 6
MAX_PIECES = 4  # at most 2**4 variants per sentence

LEAD = "lead"          # a leading connective or attribution: "Par ailleurs,", "Selon l'AFP,"
ATTRIBUTION = "attribution"  # a trailing ", a-t-il déclaré", ", selon l'AFP"
PAREN = "paren"        # "(…)" or "– … –"
APPOSITION = "apposition"  # ", 45 ans,", ", qui …,"
CLAUSE = "clause"      # a trailing ", alors que …", ", afin de …"
KINDS: tuple[str, ...] = (LEAD, ATTRIBUTION, PAREN, APPOSITION, CLAUSE)

_NEGATION = re.compile(
    r"(?<![\w'’])(?:ne|n['’]|pas|jamais|aucun|aucune|aucuns|ni|sans|non|rien|guère|nul|nulle|nullement)"
    r"(?![\w])",
    re.IGNORECASE,
)
_RESTRICTION = re.compile(
    r"(?<![\w'’])(?:si|s['’]il|s['’]ils|sauf|excepté|hormis|seulement|uniquement|condition|à moins)(?!\w)",
    re.IGNORECASE,
)
_QUOTES = "«»\"“”„"
_QUOTE_CHARS = re.compile("[" + _QUOTES + "]")
_WORD = re.compile(r"\w+", re.UNICODE)

_CONNECTIVES = (
    r"Par ailleurs|En effet|De plus|En outre|Pourtant|Cependant|Toutefois|Néanmoins|Ainsi|Enfin|"
    r"D['’]ailleurs|Pour rappel|Pour autant|Dans le même temps|En revanche|De son côté|"
    r"De leur côté|Pour sa part|Pour leur part|Au final|En fin de compte|Par conséquent|Du reste|"
    r"Autrement dit|En clair|Concrètement|Désormais|Parallèlement|Surtout|Également|En parallèle|"
    r"Quant à (?:lui|elle|eux)|Dans la foulée|Dans ce contexte|Dans ce cadre|À noter|A noter|"
    r"Au même moment|En même temps|De fait|"
    r"Or|Donc|Aussi|Mais|Et|Puis|Ensuite|Alors"
)
# A connective with its comma, or "Mais"/"Et"/"Or"/"Puis" alone, or an attribution opener up to
# its comma ("Selon le ministère de l'Intérieur,", "D'après Le Parisien,", "Dans un communiqué,").
_LEAD = re.compile(
    r"^(?:(?:" + _CONNECTIVES + r")\s*,|(?:Mais|Et|Or|Puis)(?=\s+\w)"
    r"|(?:Selon|D['’]après|Toujours selon|Comme l['’]a (?:indiqué|annoncé|rapporté|expliqué)|"
    r"Dans un communiqué|Dans une interview|Dans un entretien|Interrogée?s? par)[^,;:«»\"“”()]{0,80},)"
    r"\s*"
)
# Inverted verbs of saying after a comma, to the end: ", a-t-il déclaré", ", estime-t-elle",
# ", explique le maire", ", selon l'AFP", ", rapporte Le Parisien".
_SAYING = (
    r"déclar|expliqu|indiqu|précis|affirm|assur|soulign|ajout|confi|annonc|estim|racont|détaill|"
    r"poursui|conclu|insist|not|relev|révél|signal|rappel|écri|témoign|martel|lanc|jug|observ|"
    r"comment|regrett|prévien|di|rapport|confirm|reconn|avou|admet|résum|fait sav|dénon|tranch|"
    r"répon|réag|lâch|souffl|argument|plaid|pointe|jur|promet|menac|avert|admi|confess|interro|"
    r"s['’]|se |se-"
)
_ATTRIBUTION = re.compile(
    r"\s*,\s*(?:"
    r"(?:a|ont|avait|avaient|aurait|auraient)-t?-?(?:il|elle|ils|elles|on)\b"
    r"|\w+-t-(?:il|elle|on)\b"
    r"|\w+-(?:il|elle|ils|elles)\b"
    r"|(?:selon|d['’]après|rapporte(?:nt)?|indique(?:nt)?|précise(?:nt)?|explique(?:nt)?|affirme(?:nt)?|"
    r"assure(?:nt)?|souligne(?:nt)?|ajoute(?:nt)?|confie(?:nt)?|estime(?:nt)?|raconte(?:nt)?|"
    r"détaille(?:nt)?|poursui(?:t|vent)|conclu(?:t|ent)|insiste(?:nt)?|note(?:nt)?|relève(?:nt)?|"
    r"révèle(?:nt)?|signale(?:nt)?|rappelle(?:nt)?|écri(?:t|vent)|témoigne(?:nt)?|martèle(?:nt)?|"
    r"dénonce(?:nt)?|confirme(?:nt)?|déclare(?:nt)?|annonce(?:nt)?|observe(?:nt)?|commente(?:nt)?)\b"
    r")[^;:«»\"“”()]*?[.!?…]*\s*$"
)
# Trailing clauses of circumstance, purpose, consequence or concession, to the end.
_CLAUSE = re.compile(
    r"\s*,\s*(?:alors qu|tandis qu|après (?:avoir|être)|avant d|afin d|pour |ce qui|ce que|"
    r"ce dont|notamment|soit |en raison|à cause|grâce|puisqu|car |même si|bien qu|"
    r"lorsqu|quand |depuis |dont |où |qui |comme |selon |à l['’]image|à l['’]instar|"
    r"de quoi|au grand|au moment|au lendemain|à la veille|en attendant|tout en|en plus d|"
    r"et ce |voire)"
    r"[^;:«»\"“”()]*?[.!?…]*\s*$"
)
_PAREN = re.compile(r"\s*\([^()«»\"“”]{1,160}\)|\s+[–—]\s[^–—«»\"“”()]{1,120}\s[–—](?=\s)")
# ", 45 ans," — ", qui …," — ", ancien ministre de …," between commas, mid-sentence.
_APPOSITION = re.compile(
    r"\s*,\s*(?:\d{1,3} ans|"
    r"(?:l['’]|un |une |le |la )?(?:ancien|ancienne|actuel|actuelle|président|présidente|ministre|"
    r"directeur|directrice|porte-parole|maire|secrétaire|député|députée|sénateur|sénatrice|chef|"
    r"patron|patronne|fondateur|fondatrice|responsable|élu|élue|avocat|avocate|procureur|"
    r"spécialiste|professeur|professeure|chercheur|chercheuse|membre|numéro|candidat|candidate|"
    r"leader|dirigeant|dirigeante|conseiller|conseillère|délégué|déléguée|commissaire|PDG|"
    r"entraîneur|sélectionneur|capitaine|star|auteur|autrice|réalisateur|réalisatrice|chanteur|"
    r"chanteuse|acteur|actrice|journaliste|animateur|animatrice|épouse|époux|fils|fille|frère|sœur|"
    r"père|mère|compagne|compagnon)\b)"
    r"[^,;:«»\"“”()]{0,120},(?=\s+(?!et\b|ou\b|ni\b)\S)"
)
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PAREN, _PAREN), (APPOSITION, _APPOSITION), (ATTRIBUTION, _ATTRIBUTION), (CLAUSE, _CLAUSE),
)
# A finite verb or an auxiliary: what a kept text needs to be a clause and not a fragment
# ("Le Défenseur du peuple de la province de Guayas" is cut off from its verb).  Present-tense
# verbs ending in -e/-ent look like nouns and are not recognised: such a sentence stays whole.
_FINITE = re.compile(
    r"(?<![\w'’])(?:est|sont|a|ont|avait|avaient|était|étaient|sera|seront|serait|seraient|aura|auront|"
    r"aurait|auraient|fut|furent|eut|va|vont|allait|doit|doivent|devrait|devraient|peut|peuvent|pourrait|"
    r"pourraient|fait|font|veut|veulent|faut|dit|disent|reste|restent|semble|semblent|compte|comptent|"
    r"\w{2,}(?:ait|aient|èrent|eront|erait|eraient|ira|iront|irait))(?!\w)",
    re.IGNORECASE,
)
_RELATIVE_START = re.compile(r"\s*,\s*(?:dont|où|qui)\s")


@dataclass(frozen=True)
class Cut:
    """A removable piece: ``[start, end)`` relative to the sentence text, and its kind."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Clip:
    """A sentence, whole or with pieces left out.

    ``pieces`` are the kept spans as ``Sentence`` objects of their own (exact article offsets,
    the sentence's index, ``cut_before`` / ``cut_after`` where something was left out);
    ``cuts`` the kinds left out (empty for the whole sentence); ``text`` is what a reader sees.
    """

    sentence: Sentence
    pieces: tuple[Sentence, ...]
    cuts: tuple[str, ...]

    @property
    def text(self) -> str:
        """The kept pieces with "[…]" where something was left out."""
        return " ".join(p.shown for p in self.pieces)

    @property
    def kept(self) -> str:
        """The kept words only, without the elision marks (what ROUGE and features read)."""
        return " ".join(p.text for p in self.pieces)

    @property
    def index(self) -> int:
        """The sentence's index in the article."""
        return self.sentence.index


def _quote_depth(text: str) -> Callable[[int], bool]:
    """Whether a position of ``text`` is inside a quotation (« », “ ”, or paired straight quotes).

    Only the quote characters are visited: most sentences have none or two.
    """
    marks: list[tuple[int, bool]] = []  # (position after the mark, inside from there on)
    level = 0
    straight_open = False
    for m in _QUOTE_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in "«“„":
            level += 1
        elif ch in "»”":
            level = max(level - 1, 0)
        else:
            straight_open = not straight_open
        marks.append((i + 1, bool(level or straight_open)))
    if not marks:
        return lambda _pos: False
    positions = [p for p, _ in marks]

    def inside(pos: int) -> bool:
        k = bisect_right(positions, pos) - 1
        return k >= 0 and marks[k][1]

    return inside


def quotes_pair_up(text: str) -> bool:
    """Whether every quotation of ``text`` opens and closes inside it (« », “ ”, even ").

    A sentence where they do not is a piece of a longer quotation that the splitter cut: it is
    never clipped, and never a chapô unless nothing else is (``selector.allowed``).
    """
    return quote_balance(text) == 0


def _safe(piece: str) -> bool:
    return not (_NEGATION.search(piece) or _RESTRICTION.search(piece) or any(q in piece for q in _QUOTES))


def removable(text: str) -> list[Cut]:
    """The pieces of ``text`` (one sentence) that may be left out, in order, not overlapping.

    None when the sentence's quotation marks do not pair up: a quotation opened in the previous
    sentence (or closed in the next) would make "outside a quotation" unknowable.
    """
    if not quotes_pair_up(text):
        return []
    inside = _quote_depth(text)
    found: list[Cut] = []
    lead = _LEAD.match(text)
    if lead and lead.end() < len(text) and _safe(lead.group()) and not inside(lead.end()):
        found.append(Cut(0, lead.end(), LEAD))
    for kind, rule in _RULES:
        if kind == PAREN and "(" not in text and "–" not in text and "—" not in text:
            continue  # each rule needs its punctuation: skip the regex when it is absent
        if kind != PAREN and "," not in text:
            continue
        for m in rule.finditer(text):
            s, e = m.start(), m.end()
            if e <= s or inside(s) or inside(e) or not _safe(m.group()):
                continue
            if kind == ATTRIBUTION and any(q in text[:s] for q in _QUOTES):
                continue  # a quotation keeps the name of who said it
            if kind == CLAUSE and _RELATIVE_START.match(m.group()) and "," in m.group()[1:]:
                continue  # ", dont X est le chef-lieu, a reçu…": the main verb follows the clause
            if kind == PAREN and len(_WORD.findall(m.group())) < 3:
                continue  # "(IA)", "(AFP)": a mark "[…]" would cost the reader more than the word
            found.append(Cut(s, e, kind))
    found.sort(key=lambda c: (c.start, -c.end))
    out: list[Cut] = []
    for cut in found:
        if out and cut.start < out[-1].end:
            continue  # overlapping: keep the earlier (outer) piece
        out.append(cut)
    return out


def _kept_ok(kept: str) -> bool:
    return len(_WORD.findall(kept)) >= MIN_KEPT_WORDS and bool(_FINITE.search(kept))


def _strip_spans(text: str, cuts: tuple[Cut, ...]) -> list[tuple[int, int]]:
    """The kept spans of ``text`` once ``cuts`` are removed, trimmed of spaces and stray commas."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for cut in (*cuts, Cut(len(text), len(text), "")):
        s, e = pos, cut.start
        while s < e and text[s] in " ,":
            s += 1
        while e > s and text[e - 1] in " ,":
            e -= 1
        if e > s:
            spans.append((s, e))
        pos = cut.end
    return spans


def _pieces(sentence: Sentence, spans: list[tuple[int, int]]) -> tuple[Sentence, ...]:
    """Kept spans of ``sentence`` (relative offsets) as Sentences with their elision flags."""
    text = sentence.text
    out: list[Sentence] = []
    for k, (s, e) in enumerate(spans):
        before = k == 0 and s > 0
        after = k < len(spans) - 1 or e < len(text)
        out.append(Sentence(sentence.index, sentence.start + s, sentence.start + e, text[s:e], before, after))
    return tuple(out)


def variants(sentence: Sentence, limit: int = MAX_PIECES) -> list[Clip]:
    """The sentence whole, then every shorter version made by leaving out removable pieces.

    A trailing cut takes the sentence's final punctuation with it (the elision mark replaces
    it).  Every kept piece is a span of the sentence by construction, so a bug in a rule can
    only ever lose or shorten a variant, never invent text.
    """
    text = sentence.text
    out = [Clip(sentence, (sentence,), ())]
    cuts = removable(text)[:limit]
    seen = {text}
    for r in range(1, len(cuts) + 1):
        for combo in combinations(cuts, r):
            spans = [(s, e) for s, e in _strip_spans(text, combo) if _WORD.search(text[s:e])]
            if not spans:
                continue
            kept = " ".join(text[s:e] for s, e in spans)
            if kept in seen or not _kept_ok(kept):
                continue
            seen.add(kept)
            out.append(Clip(sentence, _pieces(sentence, spans), tuple(c.kind for c in combo)))
    return out


def pieces_of(shown: str) -> list[str]:
    """The kept pieces of a displayed clip (the text between elision marks), for checking."""
    return [p.strip() for p in shown.split(ELISION) if p.strip()]


# A unit longer than this is no sentence a reader can take in at once: a page without
# punctuation, a transcript, a run-on list.  No chapô sentence of OrangeSum valid comes near it
# (the longest chapô, two sentences, has 105 words), so news is never touched.
MAX_UNIT_WORDS = 120
SHORT_WORDS = 60
_RUN = re.compile(r"\S+")  # a word as a reader counts it: "4.709", "l'épidémie", "dit,"
_WORD_END = re.compile(r"^.*\w", re.DOTALL)  # a run up to its last word character
# A negation opened by "ne"/"n'" and closed by one of these; a cut between the two would flip it.
_NE = re.compile(r"(?<![\w'’])(?:ne|n['’])(?!\w)", re.IGNORECASE)
_NE_CLOSE = re.compile(
    r"(?<![\w'’])(?:pas|plus|jamais|rien|personne|guère|point|aucun|aucune|nul|nulle|ni|que)(?!\w)",
    re.IGNORECASE,
)


def _open_negation(prefix: str) -> bool:
    """Whether ``prefix`` ends with a "ne" still waiting for its "pas" (or "plus", "jamais"…)."""
    opened = [m.end() for m in _NE.finditer(prefix)]
    return bool(opened) and not _NE_CLOSE.search(prefix, opened[-1])


def shorten(sentence: Sentence, max_words: int = MAX_UNIT_WORDS, keep: int = SHORT_WORDS) -> Sentence:
    """``sentence`` itself, or, past ``max_words`` words, about its first ``keep`` words and "[…]".

    The cut falls after a comma, semicolon, colon or dash among the first ``keep`` words when
    there is one, else after a word; outside a quotation when the sentence allows it (in one
    very long quotation "[…]" is the usual mark of a cut); never between a "ne" and its "pas" —
    rather later, up to ``max_words`` words, and if no such place exists the sentence stays
    whole.  The kept text is the exact span the sentence starts with.
    """
    text = sentence.text
    runs = list(_RUN.finditer(text))
    if len(runs) <= max_words:
        return sentence
    inside = _quote_depth(text) if quotes_pair_up(text) else (lambda _pos: True)

    def cut(k: int) -> tuple[int, bool] | None:
        """Where a cut after the ``k``-th word ends the kept text, and whether a mark is there."""
        run = runs[k].group()
        word = _WORD_END.search(run)
        if word is None:
            return None
        after = run[word.end() :]
        marked = after[:1] in {",", ";", ":"} or (k + 1 < len(runs) and runs[k + 1].group() in {"–", "—"})
        return runs[k].start() + word.end(), marked

    first = [c for k in range(keep - 1, MIN_KEPT_WORDS - 2, -1) if (c := cut(k))]  # nearest to keep first
    later = [c for k in range(keep, max_words) if (c := cut(k))]
    tries = ((first, True, True), (first, True, False), (first, False, True), (first, False, False),
             (later, True, False), (later, False, False))
    for ends, outside, at_mark in tries:
        for end, marked in ends:
            if at_mark and not marked:
                continue
            if (outside and inside(end)) or _open_negation(text[:end]):
                continue
            return Sentence(sentence.index, sentence.start, sentence.start + end, text[:end],
                            sentence.cut_before, True)
    return sentence
