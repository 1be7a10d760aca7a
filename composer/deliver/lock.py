"""One sender at a time per workspace: a file lock every send path takes (send, weekly, the TUI).

An OS lock (``flock``) rather than a row in the database: it is released by the kernel when a
process dies, so a crashed send never leaves the workspace locked, and a second send started
meanwhile waits for the first, then finds in the ledger that nothing is left to do.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from composer.errors import WorkspaceError

LOCK_NAME = "send.lock"


@contextmanager
def send_lock(
    root: Path, *, wait: float = 3600.0, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold ``<workspace>/send.lock``; wait up to ``wait`` seconds for another send to finish."""
    path = root / LOCK_NAME
    try:
        handle = path.open("a+")
    except OSError as exc:
        raise WorkspaceError(
            f"cannot create the send lock {path} ({exc.strerror}); check the workspace"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say("another send is running in this workspace; waiting for it to finish")
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WorkspaceError(
                            f"another send still holds {path} after {wait:.0f} s; "
                            "check that it is not stuck (see logs/weekly.log)"
                        ) from None
                    time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
