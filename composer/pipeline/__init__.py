"""The few orchestration functions the shells (CLI, TUI, cron) call, split by job.

``context`` opens a workspace; ``compose`` adds articles and builds a stored draft; ``publish``
renders the archive files; ``delivery`` sends a ready edition (lock, preflight, ledger);
``demo`` chains them for ``composer demo``.  Each imports only the ones before it.
"""

from composer.pipeline.compose import AddReport, add_sources, build_edition, load_edition
from composer.pipeline.context import Context, open_context, templates, unsubscribe_secret
from composer.pipeline.delivery import SendResult, deliver, make_transport, send_test, sendable
from composer.pipeline.demo import DemoReport, demo
from composer.pipeline.publish import render

__all__ = [
    "AddReport",
    "Context",
    "DemoReport",
    "SendResult",
    "add_sources",
    "build_edition",
    "deliver",
    "demo",
    "load_edition",
    "make_transport",
    "open_context",
    "render",
    "send_test",
    "sendable",
    "templates",
    "unsubscribe_secret",
]
