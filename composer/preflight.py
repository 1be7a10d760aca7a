"""The checklist an editor runs before sending: what mail clients and readers would trip on.

Each check looks at the rendered edition the way a receiving client will: the plain-text part
(read by mutt and by spam filters), the unsubscribe link and the List-Unsubscribe headers
(Gmail and Yahoo require one-click unsubscribe from bulk senders), the HTML size (Gmail clips a
message whose HTML passes about 102 KB and hides the unsubscribe link behind "View entire
message"), and the content itself (empty sections, articles without a date or a source).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from composer.config import Settings
from composer.i18n import PREFLIGHT
from composer.models import Edition, EditionItem, RenderedEdition, Subscriber
from composer.render import UNSUBSCRIBE_PLACEHOLDER

GMAIL_CLIP_BYTES = 102 * 1024
Level = Literal["ok", "warning", "error"]




# What to do about each blocking problem, one line each (the CLI prints them; the TUI too).
_FIXES: dict[str, str] = {
    "sender": "the sender is the shipped placeholder {sender!r}; "
    "set sender in settings.toml or COMPOSER_FROM",
    "postal_address": "the postal address is the shipped placeholder; set postal_address in settings.toml "
    "(bulk mail must carry a real one)",
    "unsubscribe_url": "the unsubscribe link points at the shipped example site {base_url}; set base_url "
    "(or COMPOSER_BASE_URL) to where `composer serve` answers",
    "text_part": "the plain-text part is missing or is HTML; check templates/email/newsletter.txt.j2",
    "unsubscribe_link": "the unsubscribe link is missing from the HTML or the text part; "
    "put {{{{ unsubscribe_url }}}} back in templates/email/",
    "list_unsubscribe": "the List-Unsubscribe headers are missing; check base_url and the sender",
    "size": "the HTML is {kb:.0f} KB and Gmail clips above 102 KB; drop an article or a section",
}
_PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")


def _placeholder_address(value: str) -> bool:
    from email.utils import parseaddr

    domain = parseaddr(value)[1].rpartition("@")[2].lower()
    return _placeholder_host(domain)


@dataclass(frozen=True)
class Check:
    """One line of the checklist: its verdict and, when it fails, what is concerned."""

    key: str
    level: Level
    items: tuple[str, ...] = field(default_factory=tuple)
    size: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing needs the editor's attention."""
        return self.level == "ok"

    def problem(self, settings: Settings) -> str:
        """One line: what is wrong and what to set (for a blocking check)."""
        template = _FIXES.get(self.key, self.key)
        return template.format(sender=settings.sender, base_url=settings.base_url, kb=self.size / 1024)

    def label(self, language: str = "fr") -> str:
        """The check's name in the editor's language, with the figure it measured."""
        text = PREFLIGHT.get(language, PREFLIGHT["fr"])[self.key]
        return text.format(kb=self.size / 1024)


def _level(failed: bool, level: Level) -> Level:
    return level if failed else "ok"


def settings_checks(settings: Settings) -> list[Check]:
    """The checks on the settings alone (sender, postal address, base_url): cron's --check runs them."""
    defaults = Settings()
    return [
        Check("sender", _level(_placeholder_address(settings.sender), "error")),
        Check(
            "postal_address",
            _level(settings.postal_address.strip() in ("", defaults.postal_address), "error"),
        ),
        Check("unsubscribe_url", _level(_placeholder_url(settings.base_url), "error")),
        Check("https", _level(not settings.base_url.lower().startswith("https://"), "warning")),
    ]


def run_preflight(edition: Edition, rendered: RenderedEdition, settings: Settings) -> list[Check]:
    """Every check, in the order an editor reads them; errors block a send, warnings inform."""
    from composer.deliver.message import MessageTemplate, parse

    message = parse(
        MessageTemplate(rendered, settings, secret="preflight").render(
            Subscriber(email="preflight@example.org")
        )
    )
    html_part = message.get_body(("html",))
    html_bytes = len(html_part.get_content().encode("utf-8")) if html_part else len(rendered.html.encode())
    text = rendered.text.strip()
    checks = [
        *settings_checks(settings),
        Check("text_part", _level(not text or text.lstrip().startswith("<"), "error")),
        Check(
            "unsubscribe_link",
            _level(
                UNSUBSCRIBE_PLACEHOLDER not in rendered.html or UNSUBSCRIBE_PLACEHOLDER not in text, "error"
            ),
        ),
        Check(
            "list_unsubscribe",
            _level(not message["List-Unsubscribe"] or not message["List-Unsubscribe-Post"], "error"),
        ),
        Check("size", _level(html_bytes > GMAIL_CLIP_BYTES, "error"), size=html_bytes),
        Check("subject", _level(not rendered.subject.strip() or not rendered.preheader.strip(), "warning")),
    ]
    empty = tuple(
        f"{item.article.title} — {section.heading}"
        for item in edition.items
        for section in item.sections
        if section.empty
    )
    checks.append(Check("empty_sections", _level(bool(empty), "warning"), empty))
    no_date = tuple(i.article.title for i in edition.items if not i.article.date.strip())
    checks.append(Check("missing_date", _level(bool(no_date), "warning"), no_date))
    no_source = tuple(
        i.article.title for i in edition.items if not (i.article.url or i.article.source).strip()
    )
    checks.append(Check("missing_source", _level(bool(no_source), "warning"), no_source))
    warning = edition.balance.warning if edition.balance else ""
    checks.append(Check("balance", _level(bool(warning), "warning"), (warning,) if warning else ()))
    return checks


def _placeholder_url(url: str) -> bool:
    from urllib.parse import urlsplit

    return _placeholder_host((urlsplit(url).hostname or "").lower())


def _placeholder_host(host: str) -> bool:
    """example.org and friends (RFC 2606): the shipped defaults, never a real newsletter's."""
    if not host or host == "example" or host.endswith((".example", ".invalid", ".test")):
        return True
    return any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS)


def blocking(checks: list[Check]) -> list[Check]:
    """The checks that should stop a send."""
    return [c for c in checks if c.level == "error"]


# Calibrated on the shipped template (seeds: 11 KB for one article, 37 KB for five): fixed
# markup and CSS, then per article its text (escaped, inlined styles) and per quoted part the
# footnote markup and its line in the sources list.
_BASE_BYTES = 4300
_BYTES_PER_CHAR = 1.6
_BYTES_PER_PART = 160
UNKNOWN_ITEM_BYTES = 6500


def estimate_html_bytes(items: Sequence[EditionItem], unknown: int = 0) -> int:
    """A quick estimate of the HTML size before rendering, for the picking screen.

    ``unknown`` counts picked articles not summarized yet, each assumed average-sized; the
    exact figure comes from the preflight once the edition is rendered.
    """
    total = _BASE_BYTES + unknown * UNKNOWN_ITEM_BYTES
    for item in items:
        a = item.article
        text = [a.title, a.subtitle, a.author, a.date, a.url, item.digest.summary_text]
        text += [s.text for s in item.digest.key_points]
        text += [s.heading + s.text for s in item.sections]
        total += int(_BYTES_PER_CHAR * len("".join(text).encode("utf-8")))
        total += _BYTES_PER_PART * sum(len(s.parts) for s in item.sections)
    return total
