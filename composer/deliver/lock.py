"""One sender at a time per database: a lock every send path takes (send, weekly, the editor).

The lock is filelock's (an OS ``flock`` on Unix): the kernel releases it when its process dies,
so a crashed send never leaves a stale lock behind.  It sits beside the database it protects
(resolved through symlinks), so two workspaces pointed at the same database share it.  Beside
it, ``<lock>.holder`` says who holds it (pid, host, since when) for the one clear line a second
sender prints while it waits — bounded — or when it gives up.  The send ledger stays the source
of truth: even without the lock no subscriber would get an edition twice, except the one message
in flight at a crash.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from composer.errors import WorkspaceError


def lock_path(database: Path) -> Path:
    """Where the send lock of ``database`` lives."""
    real = database.resolve()
    return real.with_name(real.name + ".send.lock")


def holder(database: Path) -> str:
    """Who holds (or last held) the send lock, as the holder wrote it; '' if unknown."""
    try:
        return (lock_path(database).with_suffix(".holder")).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@contextmanager
def send_lock(
    database: Path, *, wait: float = 3600.0, say: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the send lock of ``database``; wait up to ``wait`` seconds for another sender."""
    path = lock_path(database)
    lock = FileLock(str(path))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if say:
                say(f"another send is running ({holder(database) or 'unknown process'}); waiting for it")
            try:
                lock.acquire(timeout=wait, poll_interval=0.2)
            except Timeout:
                raise WorkspaceError(
                    f"another send still holds {path} after {wait:.0f} s "
                    f"({holder(database) or 'unknown process'}); check that it is not stuck "
                    "(see logs/weekly.log), then run again"
                ) from None
    except OSError as exc:
        raise WorkspaceError(
            f"cannot take the send lock {path} ({exc.strerror}); check the workspace"
        ) from None
    try:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with open(path.with_suffix(".holder"), "w", encoding="utf-8") as note:
            note.write(f"pid {os.getpid()} on {socket.gethostname()} since {stamp}\n")
        yield
    finally:
        lock.release()
