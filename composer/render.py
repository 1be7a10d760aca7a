"""Rendering an Edition to email-safe HTML (CSS inlined) and to a real plain-text part.

Both come from the same Edition through Jinja2 templates under ``templates/email/``; the text
part is written from the content, never derived from the HTML.  Article text is escaped in
HTML by autoescaping, so hostile input renders inert.  The unsubscribe link is a placeholder
filled per subscriber, so an edition is rendered once however many people receive it.

Printing is the only place where text is dressed for readers: ISO dates become "2 décembre
2026", and French text gets its no-break spaces ("33 %", "quoi ?") through the ``typo`` filter.
The stored edition keeps the articles' own characters, so every quoted sentence still equals
its span in the article.
"""

from __future__ import annotations

import functools
import re
import secrets
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from composer.config import Settings
from composer.errors import TemplateError
from composer.i18n import EDITED_NOTE, EMAIL, MONTHS
from composer.models import Edition, RenderedEdition

# Random per process, so no article can contain them (an article quoting "%%RECIPIENT%%" must
# not print each reader's address).  Rendered editions live only within one process.
_NONCE = secrets.token_hex(6)
UNSUBSCRIBE_PLACEHOLDER = f"%%UNSUBSCRIBE_URL_{_NONCE}%%"
RECIPIENT_PLACEHOLDER = f"%%RECIPIENT_{_NONCE}%%"


_SPACES = re.compile(r"[ \t\r\n]+")


def _wrap(text: str, width: int = 72, indent: str = "") -> str:
    # Fold ASCII white space only: no-break spaces (French "\u00a0:") must not become break points.
    return textwrap.fill(
        _SPACES.sub(" ", text).strip(" "),
        width=width,
        initial_indent=indent,
        subsequent_indent=" " * len(indent),
        break_long_words=False,
        break_on_hyphens=False,
    )


def paragraphs(text: str) -> list[str]:
    """The editor's text as paragraphs: blank lines separate them, single newlines fold."""
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text or "") if p.strip()]


def safe_url(url: str) -> str:
    """``url`` if it is http(s) or mailto, else empty: a feed cannot smuggle ``javascript:`` links."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://", "mailto:")) else ""


def http_url(url: str) -> str:
    """``url`` if it is http(s), else empty: what a source may link to (no mailto: as a source)."""
    url = safe_url(url)
    return url if url.lower().startswith(("http://", "https://")) else ""


def publication(url: str) -> str:
    """The site an http(s) address belongs to, as a reader names it: ``www.nature.com/…`` → ``nature.com``."""
    try:
        host = urlsplit(http_url(url)).hostname or ""
    except ValueError:
        return ""
    if host.startswith("www."):
        host = host[4:]
    try:
        return host.encode("ascii").decode("idna") if "xn--" in host else host
    except UnicodeError:
        return host


# -- French typography ---------------------------------------------------------------------------
# The newsletter prints template words and article sentences with the no-break spaces French
# wants, so "33 %" or "quoi ?" never break across lines.  Only the rendered output changes: the
# stored sentences keep their exact text and span in the article.

NBSP = "\u00a0"  # espace insécable: before ":" and "%", between an amount and its currency
NNBSP = "\u202f"  # espace fine insécable: before ";", "!", "?", inside « », between digit groups
_BLANK = "[ \u00a0\u202f]"
_FRENCH_SPACING: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # (characters that must occur for the rule to apply, pattern, replacement)
    # « texte »: a thin no-break space inside the guillemets, whatever was there (or nothing).
    ("«", re.compile(rf"«{_BLANK}*(?=\S)"), "«" + NNBSP),
    ("»", re.compile(rf"(?<=\S){_BLANK}*»"), NNBSP + "»"),
    # quoi ?  oui !  ah ; — the mark must end a word: an address's "?q=1" is left alone.
    (";!?", re.compile(rf"(?<=[^\s(\[«;!?]){_BLANK}?([;!?]+)(?=\s|$|[»)\]\"”’.,…])"), NNBSP + r"\1"),
    # Titre : suite — not "10:30" nor "https://" (the colon must end the word).
    (":", re.compile(rf"(?<=[^\s(\[«:/]){_BLANK}?:(?=\s|$)"), NBSP + ":"),
    # 33 %, 2 % — not "%20" in an address.
    ("%", re.compile(rf"(?<=\d){_BLANK}?%(?!\w)"), NBSP + "%"),
    # 200 000 $, 5 €: an amount stays with its currency (only where a space was typed).
    ("€$£", re.compile(rf"(?<=\d){_BLANK}([€$£])"), NBSP + r"\1"),
)
_DIGIT_GROUPS = re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?!\d)")  # 200 000, 1 500 000
_SPACED_DIGITS = re.compile(r"\d \d")
_MARKS = frozenset("".join(marks for marks, _, _ in _FRENCH_SPACING))


@functools.lru_cache(maxsize=4096)  # each sentence is printed twice: in the HTML and in the text part
def french_spacing(text: str) -> str:
    """``text`` with French no-break spaces: ``« x »``, ``x ?``, ``x :``, ``33 %``, ``200 000 $``.

    A breakable space already there becomes a no-break one; a missing one is added (``x:`` becomes
    ``x`` + U+00A0 + ``:``) unless the mark sits inside a word: ``10:30``, ``https://``, ``?q=1``.
    """
    present = _MARKS.intersection(text)  # most sentences have few of them: skip the other scans
    for marks, pattern, replacement in _FRENCH_SPACING:
        if present.intersection(marks):
            text = pattern.sub(replacement, text)
    if _SPACED_DIGITS.search(text):
        text = _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(" ", NNBSP), text)
    return text


def typo(text: str, language: str = "fr") -> str:
    """The typography of ``language`` applied to text about to be printed (French only, for now)."""
    text = str(text or "")
    return french_spacing(text) if (language or "").lower().startswith("fr") else text


# -- dates ----------------------------------------------------------------------------------------




_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def long_date(value: str, language: str = "fr") -> str:
    """An ISO date as readers write it: ``2 décembre 2026``, ``December 2, 2026``; ``2024-09`` →
    ``septembre 2024``.  Anything else (free text, an impossible date) is returned as it is."""
    value = str(value or "").strip()
    lang = "en" if (language or "").lower().startswith("en") else "fr"
    months = MONTHS[lang]
    day = _ISO_DAY.fullmatch(value)
    if day:
        try:
            when = date(int(day.group(1)), int(day.group(2)), int(day.group(3)))
        except ValueError:
            return value
        if lang == "en":
            return f"{months[when.month - 1]} {when.day}, {when.year}"
        return f"{'1er' if when.day == 1 else when.day} {months[when.month - 1]} {when.year}"
    month = _ISO_MONTH.fullmatch(value)
    if month and 1 <= int(month.group(2)) <= 12:
        return f"{months[int(month.group(2)) - 1]} {month.group(1)}"
    return value


def email_environment(search_path: list[Path]) -> jinja2.Environment:
    """The Jinja2 environment for email templates; earlier folders override later ones."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p / "email") for p in search_path]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["wrap"] = _wrap
    env.filters["paragraphs"] = paragraphs
    env.filters["safe_url"] = safe_url
    env.filters["http_url"] = http_url
    env.filters["publication"] = publication
    env.filters["typo"] = typo
    env.filters["long_date"] = long_date
    env.globals.update(nbsp=NBSP, nnbsp=NNBSP)  # for the text template's own words ("Source{{ nbsp }}:")
    return env


def footnotes(edition: Edition) -> dict[tuple[str, int], int]:
    """Number every quoted source sentence once per edition, in reading order."""
    numbers: dict[tuple[str, int], int] = {}
    for item in edition.items:
        for section in item.sections:
            for part in section.parts:
                if part.kind == "source" and part.sentence_index is not None:
                    key = (item.article.id, part.sentence_index)
                    numbers.setdefault(key, len(numbers) + 1)
    return numbers


@dataclass(frozen=True)
class Source:
    """One line of "Sources des citations": an article and the footnote numbers that point to it."""

    label: str  # "[1]–[7]", or "[3], [5]" when not consecutive
    title: str
    url: str  # http(s) only, else ""
    site: str  # the publication's domain, else ""
    author: str
    date: str  # as stored (ISO or free text): the template formats it
    language: str


def note_label(numbers: list[int]) -> str:
    """``[1]–[3], [5]``: the footnote markers of one article, runs of consecutive numbers joined."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"[{r[0]}]" if len(r) == 1 else f"[{r[0]}]–[{r[-1]}]" for r in runs)


def sources(edition: Edition, notes: dict[tuple[str, int], int]) -> list[Source]:
    """Each quoted article once, in reading order, with the numbers of its footnotes."""
    out: list[Source] = []
    seen: set[str] = set()
    for item in edition.items:
        article = item.article
        numbers = [n for (article_id, _), n in notes.items() if article_id == article.id]
        if not numbers or article.id in seen:
            continue
        seen.add(article.id)
        url = http_url(article.url)
        out.append(
            Source(
                label=note_label(numbers),
                title=article.title,
                url=url,
                site=publication(url or article.source),
                author=article.author,
                date=article.date,
                language=article.language,
            )
        )
    return out


def archive_url(settings: Settings, edition_id: str) -> str:
    """Where the edition's web page lives once ``<workspace>/editions/`` is published at base_url."""
    return f"{settings.base_url.rstrip('/')}/editions/{edition_id}.html"





def edition_title(newsletter_name: str, day: str, language: str = "fr") -> str:
    """The title a new edition gets: "La Lettre du 3 décembre 2026", "The Letter, December 3, 2026"."""
    if (language or "").lower().startswith("en"):
        return f"{newsletter_name}, {long_date(day, 'en')}"
    return f"{newsletter_name} du {long_date(day, 'fr')}"


def strings(language: str) -> dict[str, str]:
    """The email's words in ``language`` (French when the language has no catalogue yet)."""
    return EMAIL.get(language, EMAIL["fr"])


def render_edition(
    edition: Edition, settings: Settings, env: jinja2.Environment, *, archive: bool = False
) -> RenderedEdition:
    """HTML and text for ``edition``; unsubscribe links are left as placeholders.

    ``archive``: the public web version, with no personal line and a sign-up link instead.
    """
    import css_inline


    notes = footnotes(edition)
    context: dict[str, Any] = {
        "edition": edition,
        "settings": settings,
        "notes": notes,
        "sources": sources(edition, notes),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "recipient": RECIPIENT_PLACEHOLDER,
        "archive_url": archive_url(settings, edition.id),
        "archive": archive,
        "t": strings(settings.language),
        "subscribe_url": f"{settings.base_url.rstrip('/')}/subscribe",
        "edited_note": EDITED_NOTE.get(settings.language, EDITED_NOTE["fr"]),
    }
    try:
        html = env.get_template("newsletter.html.j2").render(context)
        text = env.get_template("newsletter.txt.j2").render(context)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"email template failed: {exc}; check templates/email/") from None
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return RenderedEdition(
        edition_id=edition.id,
        subject=edition.subject or edition.title,
        preheader=edition.preheader,
        html=inliner.inline(html),
        text=text.strip() + "\n",
    )


def personalize(content: str, unsubscribe_url: str, recipient: str) -> str:
    """Fill the per-subscriber placeholders of a rendered part."""
    return content.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url).replace(RECIPIENT_PLACEHOLDER, recipient)
