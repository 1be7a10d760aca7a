"""One-off messages that are not an edition: a sign-up confirmation, an alert to the editor.

They carry no List-Unsubscribe header (they are transactional, sent because someone asked or
something failed) and go through the same transports as the newsletter.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from composer.config import Settings
from composer.deliver.message import Outgoing, ascii_address


def notice(settings: Settings, to: str, subject: str, text: str, html: str = "") -> Outgoing:
    """A multipart (text, and HTML when given) message from the newsletter's sender to ``to``."""
    name, sender = parseaddr(settings.sender)
    sender = ascii_address(sender or "newsletter@composer.local")
    domain = sender.rpartition("@")[2]
    message = EmailMessage()
    message["From"] = formataddr((name, sender)) if name else sender
    message["To"] = ascii_address(to)
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message_id = f"<notice.{secrets.token_hex(12)}@{domain}>"
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    data = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    return Outgoing(sender, to, message_id, data)
