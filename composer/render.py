"""Rendering an Edition to email-safe HTML (CSS inlined) and to a real plain-text part.

Both come from the same Edition through Jinja2 templates under ``templates/email/``; the text
part is written from the content, never derived from the HTML.  Article text is escaped in
HTML by autoescaping, so hostile input renders inert.  The unsubscribe link is a placeholder
filled per subscriber, so an edition is rendered once however many people receive it.
"""

from __future__ import annotations

import re
import secrets
import textwrap
from pathlib import Path
from typing import Any

import jinja2

from composer.config import Settings
from composer.errors import TemplateError
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


def archive_url(settings: Settings, edition_id: str) -> str:
    """Where the edition's web page lives once ``<workspace>/editions/`` is published at base_url."""
    return f"{settings.base_url.rstrip('/')}/editions/{edition_id}.html"


def render_edition(
    edition: Edition, settings: Settings, env: jinja2.Environment, *, archive: bool = False
) -> RenderedEdition:
    """HTML and text for ``edition``; unsubscribe links are left as placeholders.

    ``archive``: the public web version, with no personal line and a sign-up link instead.
    """
    import css_inline

    from composer.edition.edits import EDITED_NOTE

    context: dict[str, Any] = {
        "edition": edition,
        "settings": settings,
        "notes": footnotes(edition),
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "recipient": RECIPIENT_PLACEHOLDER,
        "archive_url": archive_url(settings, edition.id),
        "archive": archive,
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
