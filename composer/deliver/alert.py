"""A plain alert email to the editor, for failures nobody is watching (the weekly cron run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer.config import Settings
from composer.deliver.notice import notice

if TYPE_CHECKING:
    from composer.deliver.send import Transport


def send_alert(settings: Settings, transport: Transport, address: str, subject: str, body: str) -> None:
    """Send ``body`` to ``address`` through ``transport`` (the one the failed send used)."""
    message = notice(settings, address, subject, body)
    transport.open()
    try:
        transport.send(message)
    finally:
        transport.close()
