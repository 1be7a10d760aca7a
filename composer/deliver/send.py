"""Sending an edition to every active subscriber, recorded in the send ledger.

The ledger row for a subscriber is written ``sending`` before the message leaves and ``sent``
right after, each committed at once: after a crash, a resume skips every ``sent`` row, so at
most the one message in flight can go twice.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import Protocol

from composer.config import Settings
from composer.deliver.message import build_message
from composer.errors import DeliveryError
from composer.models import DeliveryReport, RenderedEdition, Subscriber
from composer.store import Store


class Transport(Protocol):
    """What a transport does: open, send one message, close."""

    name: str

    def open(self) -> None: ...

    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


def send_edition(
    store: Store,
    rendered: RenderedEdition,
    subscribers: list[Subscriber],
    transport: Transport,
    settings: Settings,
    *,
    secret: str,
    progress: Callable[[int, int], None] | None = None,
) -> DeliveryReport:
    """Send ``rendered`` to each subscriber not yet marked sent for this edition."""
    sent = skipped = 0
    failed: list[tuple[str, str]] = []
    transport.open()
    try:
        for done, sub in enumerate(subscribers, 1):
            assert sub.id is not None
            if store.delivery_status(rendered.edition_id, sub.id) == "sent":
                skipped += 1
                continue
            message = build_message(rendered, sub, settings, secret=secret)
            store.record_delivery(
                rendered.edition_id,
                sub.id,
                "sending",
                message_id=message["Message-ID"],
                transport=transport.name,
            )
            try:
                transport.send(message)
            except DeliveryError as exc:
                store.record_delivery(
                    rendered.edition_id, sub.id, "failed", error=str(exc), transport=transport.name
                )
                failed.append((sub.email, str(exc)))
                continue
            store.record_delivery(
                rendered.edition_id,
                sub.id,
                "sent",
                message_id=message["Message-ID"],
                transport=transport.name,
            )
            sent += 1
            if progress:
                progress(done, len(subscribers))
    finally:
        transport.close()
    return DeliveryReport(transport=transport.name, sent=sent, skipped=skipped, failed=tuple(failed))
