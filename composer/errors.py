"""One family of errors, each saying what happened and what to do next.

The CLI prints ``str(error)`` as one line on stderr and exits with ``error.exit_code``; the TUI
shows the same text in a notification.  Anything that is not a ``ComposerError`` is a bug.
"""

from __future__ import annotations


class ComposerError(Exception):
    """Base class: an expected failure with a message a user can act on."""

    exit_code = 1


class UsageError(ComposerError):
    """The command line or a setting is wrong."""

    exit_code = 2


class ConfigError(ComposerError):
    """Settings are missing or invalid."""

    exit_code = 2


class InputError(ComposerError):
    """An input (file, URL, feed, JSONL line, CSV row) cannot be used."""

    exit_code = 3


class WorkspaceError(ComposerError):
    """The workspace cannot be opened or written."""

    exit_code = 4


class TemplateError(ComposerError):
    """A template is missing or broken."""

    exit_code = 5


class DeliveryError(ComposerError):
    """Mail could not be delivered (transport down, recipients rejected)."""

    exit_code = 6


class TemporaryFailure(DeliveryError):
    """A recipient was deferred (4xx): worth retrying later."""


class PermanentFailure(DeliveryError):
    """A recipient was rejected (5xx): retrying will not help."""


class TransportError(DeliveryError):
    """The transport itself failed (server down, login refused): the run stops and can resume."""


class PreflightError(DeliveryError):
    """The edition fails checks that must pass before a real send; ``problems`` says each one."""

    exit_code = 7

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
