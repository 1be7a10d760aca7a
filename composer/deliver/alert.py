"""A plain alert email to the editor, for failures nobody is watching (the weekly cron run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer.deliver.message import MessageTemplate
from composer.models import RenderedEdition, Subscriber

if TYPE_CHECKING:
    from composer.pipeline import Context


def send_alert(ctx: Context, address: str, subject: str, body: str) -> None:
    """Send ``body`` to ``address`` through the configured transport."""
    from composer.pipeline import make_transport

    rendered = RenderedEdition("alert", subject, "", f"<pre>{_escape(body)}</pre>", body + "\n")
    message = MessageTemplate(rendered, ctx.settings, secret="alert").render(Subscriber(email=address))
    transport = make_transport(ctx)
    transport.open()
    try:
        transport.send(message)
    finally:
        transport.close()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
