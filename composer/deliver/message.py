"""Building one subscriber's MIME message, with no side effects.

The standard ``email`` package builds a multipart/alternative message with a real text part
and the HTML part; yagmail's own ``send()`` would put HTML source in the text part and rewrite
the markup, so it is only used for the SMTP connection.
"""

from __future__ import annotations

import html
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from composer.config import Settings
from composer.models import RenderedEdition, Subscriber
from composer.render import personalize
from composer.subscribers import unsubscribe_token


def unsubscribe_url(settings: Settings, email: str, secret: str) -> str:
    """The per-subscriber one-click unsubscribe URL."""
    return f"{settings.base_url.rstrip('/')}/unsubscribe/{unsubscribe_token(email, secret)}"


def build_message(
    rendered: RenderedEdition, subscriber: Subscriber, settings: Settings, *, secret: str
) -> EmailMessage:
    """The message for one subscriber: From, To, Subject, Date, Message-ID, List-Unsubscribe."""
    url = unsubscribe_url(settings, subscriber.email, secret)
    msg = EmailMessage()
    msg["From"] = settings.sender
    name = subscriber.name
    msg["To"] = str(Address(display_name=name, addr_spec=subscriber.email)) if name else subscriber.email
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2] or "composer.local"
    # make_msgid adds time, pid and randomness: unique per message, unlike yagmail's default.
    msg["Message-ID"] = make_msgid(idstring=rendered.edition_id.replace(" ", "-"), domain=domain)
    if settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["List-Unsubscribe"] = f"<{url}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Composer-Edition"] = rendered.edition_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(personalize(rendered.text, url, subscriber.email), subtype="plain", charset="utf-8")
    msg.add_alternative(
        personalize(rendered.html, html.escape(url), html.escape(subscriber.email)),
        subtype="html",
        charset="utf-8",
    )
    return msg
