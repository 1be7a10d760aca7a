"""Sending an edition to every active subscriber, recorded in the send ledger.

The ledger row for a subscriber is written ``sending`` before the message leaves and ``sent``
right after, each committed at once: after a crash or ``kill -9``, a resume skips every
``sent`` row, so at most the one message in flight can go twice and never the whole list.
Rejected recipients (5xx) are recorded ``failed`` and not retried; deferred ones (4xx after the
transport's retries) are ``deferred`` and retried by the next run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from composer.config import Settings
from composer.deliver.message import MessageTemplate, Outgoing
from composer.errors import PermanentFailure, TemporaryFailure
from composer.models import DeliveryReport, RenderedEdition, Subscriber
from composer.store import Store, now
from composer.subscribers import record_failure

FINAL = ("sent", "failed")
MAX_ATTEMPTS = 5
"""A reader deferred (4xx) this many times is failed for this edition, so one mailbox that is
always full cannot keep the edition unfinished, and every later edition waiting, forever."""


class Transport(Protocol):
    """What a transport does: open, send one message, close."""

    name: str

    def open(self) -> None: ...

    def send(self, message: Outgoing) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Progress:
    """A progress tick for the shells: counts so far, rate and estimated time left."""

    done: int
    total: int
    sent: int
    failed: int
    rate: float
    seconds_left: float


class RateLimiter:
    """Spaces sends to at most ``per_second`` messages a second (0 = no limit)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next = 0.0

    def wait(self) -> None:
        """Block until the next send is allowed."""
        if not self.interval:
            return
        current = self.clock()
        if current < self._next:
            self.sleep(self._next - current)
            current = self._next
        self._next = current + self.interval


class Ledger:
    """The send ledger of one edition, one committed transaction per message.

    ``begin`` marks a subscriber ``sending`` before its message leaves; ``finish`` notes the
    outcome, which is committed together with the next ``begin`` (or by ``close``).  After a
    crash the only row that can still read ``sending`` is the message in flight, so a resume
    sends at most that one twice — at half the commits of writing each outcome on its own.
    """

    def __init__(self, store: Store, edition_id: str, transport: str) -> None:
        self.store = store
        self.edition_id = edition_id
        self.transport = transport
        self._outcome: tuple[object, ...] | None = None

    def _row(self, subscriber_id: int, status: str, message_id: str, error: str) -> tuple[object, ...]:
        attempts = 1 if status == "sending" else 0
        return (self.edition_id, subscriber_id, status, message_id, attempts, error, self.transport, now())

    def begin(self, subscriber_id: int, message_id: str) -> None:
        """Commit the previous outcome and this subscriber's ``sending`` row, atomically."""
        rows = [self._outcome] if self._outcome else []
        rows.append(self._row(subscriber_id, "sending", message_id, ""))
        self.store.write_deliveries(rows)
        self._outcome = None

    def finish(self, subscriber_id: int, status: str, *, message_id: str = "", error: str = "") -> None:
        """Note the outcome of the message just attempted (committed with the next write)."""
        self._outcome = self._row(subscriber_id, status, message_id, error)

    def close(self) -> None:
        """Commit the last outcome."""
        if self._outcome:
            self.store.write_deliveries([self._outcome])
            self._outcome = None


def send_edition(
    store: Store,
    rendered: RenderedEdition,
    subscribers: list[Subscriber],
    transport: Transport,
    settings: Settings,
    *,
    secret: str,
    rate: float = 0.0,
    progress: Callable[[Progress], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    quota: int | None = None,
) -> DeliveryReport:
    """Send ``rendered`` to each subscriber the ledger does not already mark final.

    ``quota``: at most that many messages this run (the rest are ``held`` for the next one).
    """
    ledger = store.ledger(rendered.edition_id)
    tried = store.ledger_attempts(rendered.edition_id)
    todo = [s for s in subscribers if ledger.get(s.id or -1) not in FINAL]
    skipped = len(subscribers) - len(todo)
    held = 0
    if quota is not None and len(todo) > quota:
        held, todo = len(todo) - max(quota, 0), todo[: max(quota, 0)]
    sent = 0
    deferred: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    limiter = RateLimiter(rate, clock=clock)
    started = clock()
    template = MessageTemplate(rendered, settings, secret=secret)
    ledger = Ledger(store, rendered.edition_id, transport.name)
    if todo:
        transport.open()
    try:
        for done, sub in enumerate(todo, 1):
            assert sub.id is not None
            limiter.wait()
            try:
                message = template.render(sub)
            except (ValueError, UnicodeError) as exc:
                # One reader whose message cannot be built (an address that cannot travel in
                # ASCII headers…) is failed with the reason; the list goes on.
                reason = f"message could not be built: {exc}"
                ledger.begin(sub.id, "")
                ledger.finish(sub.id, "failed", error=reason)
                failed.append((sub.email, reason))
                continue
            ledger.begin(sub.id, message.message_id)
            try:
                transport.send(message)
            except PermanentFailure as exc:
                ledger.finish(sub.id, "failed", error=str(exc))
                record_failure(store, sub, str(exc))
                failed.append((sub.email, str(exc)))
            except TemporaryFailure as exc:
                if tried.get(sub.id, 0) + 1 >= MAX_ATTEMPTS:
                    reason = f"deferred {MAX_ATTEMPTS} times, given up for this edition: {exc}"
                    ledger.finish(sub.id, "failed", error=reason)
                    failed.append((sub.email, reason))
                else:
                    ledger.finish(sub.id, "deferred", error=str(exc))
                    deferred.append((sub.email, str(exc)))
            else:
                ledger.finish(sub.id, "sent", message_id=message.message_id)
                sent += 1
            if progress:
                elapsed = max(clock() - started, 1e-9)
                per_second = done / elapsed
                progress(
                    Progress(
                        done,
                        len(todo),
                        sent,
                        len(failed) + len(deferred),
                        per_second,
                        (len(todo) - done) / per_second,
                    )
                )
    finally:
        ledger.close()
        if todo:
            transport.close()
    return DeliveryReport(
        transport=transport.name,
        sent=sent,
        skipped=skipped,
        failed=tuple(failed),
        deferred=tuple(deferred),
        held=held,
    )
