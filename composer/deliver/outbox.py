"""The Maildir outbox: the default transport, which needs no server.

mutt and neomutt open it with ``mutt -f <workspace>/outbox``; tests read it with ``mailbox``.
"""

from __future__ import annotations

import mailbox
from pathlib import Path

from composer.deliver.message import Outgoing
from composer.errors import TransportError


class OutboxTransport:
    """Delivers each message as a file in a Maildir."""

    name = "outbox"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._box: mailbox.Maildir | None = None

    def open(self) -> None:
        """Create the Maildir if needed."""
        self._box = mailbox.Maildir(self.path, create=True)

    def send(self, message: Outgoing) -> None:
        """Write one message atomically (Maildir writes to tmp/ then renames into new/)."""
        if self._box is None:
            self.open()
        assert self._box is not None
        try:
            self._box.add(message.data.replace(b"\r\n", b"\n"))
        except OSError as exc:
            raise TransportError(
                f"cannot write to the outbox {self.path} ({exc.strerror}); free some space or fix its "
                "permissions, then send again (what was written is recorded)"
            ) from None

    def close(self) -> None:
        """Nothing to release; kept for the transport interface."""
        self._box = None
