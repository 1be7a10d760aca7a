"""Reading bounces: delivery status notifications matched to subscribers, and a Mailman-like policy.

A bounce is read as RFC 3464 says (``multipart/report; report-type=delivery-status``: one block
per recipient with its ``Action`` and ``Status``), and otherwise by flufl.bounce, Mailman's own
detectors for the non-standard forms big providers send.  It is matched to a subscriber through
the Message-ID of the message that bounced (the ledger knows it), else through the failed
address.  A hard bounce (5.x.x) that quotes the Message-ID of a message we sent marks the
subscriber ``bounced`` at once; soft bounces (4.x.x), and hard ones matched only by address
(which anyone could forge), count, and ``soft_limit`` of them within ``soft_days`` mark it
too.  Mails sent to the ``mailto:`` of List-Unsubscribe ("unsubscribe <token>") are applied
here as well.  A message that is neither is left where it is.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.parser import HeaderParser

from composer import subscribers
from composer.errors import InputError
from composer.models import Subscriber
from composer.store import Store

_MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^>\s]+>)", re.IGNORECASE | re.MULTILINE)
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_UNSUBSCRIBE_SUBJECT = re.compile(r"^\s*(?:re:\s*)?unsubscribe\s+(\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Failure:
    """One recipient a bounce reports: its address, hard or soft, the status code, the message's id."""

    address: str
    kind: str  # "hard" | "soft"
    status: str = ""
    message_id: str = ""


@dataclass
class BounceReport:
    """What reading a mailbox did."""

    hard: int = 0
    soft: int = 0
    marked_bounced: list[str] = field(default_factory=list)
    unsubscribed: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    left_alone: int = 0
    unreadable: list[str] = field(default_factory=list)
    processed: int = 0


def parse(data: bytes) -> Message:
    """A mail as the ``email`` package reads it (never raises on junk: defects are recorded)."""
    return email.message_from_bytes(data, policy=email.policy.compat32)


def read_failures(msg: Message) -> list[Failure]:
    """The failed recipients a bounce reports; [] when ``msg`` is not a bounce."""
    original = _original_message_id(msg)
    failures: list[Failure] = []
    if msg.get_content_type() == "multipart/report":
        for part in msg.walk():
            if part.get_content_type() != "message/delivery-status":
                continue
            blocks = part.get_payload()
            if not isinstance(blocks, list):
                continue
            for block in blocks[1:]:  # the first block is about the message, the others per recipient
                failure = _recipient_failure(block, original)
                if failure is not None:
                    failures.append(failure)
    if failures:
        return failures
    from flufl.bounce import all_failures

    # A detector that trips on an odd message logs a traceback; for us it just found nothing.
    logging.getLogger("flufl.bounce").setLevel(logging.CRITICAL)
    try:
        temporary, permanent = all_failures(msg)
    except Exception:  # a detector tripping on an odd message must not stop the run
        return []
    status = _STATUS.search(_text(msg))
    code = status.group(0) if status else ""
    failures += [Failure(_addr(a), "hard", code if code.startswith("5") else "", original) for a in permanent]
    failures += [Failure(_addr(a), "soft", code if code.startswith("4") else "", original) for a in temporary]
    return [f for f in failures if "@" in f.address]


def _recipient_failure(block: Message, original: str) -> Failure | None:
    action = str(block.get("Action", "")).strip().lower()
    status = str(block.get("Status", "")).strip().split()[0] if block.get("Status") else ""
    recipient = str(block.get("Original-Recipient") or block.get("Final-Recipient") or "")
    address = recipient.split(";", 1)[-1].strip().strip("<>")
    if "@" not in address or action in ("delivered", "relayed", "expanded"):
        return None
    if status.startswith("5") or (not status and action == "failed"):
        return Failure(address, "hard", status, original)
    if status.startswith("4") or action == "delayed":
        return Failure(address, "soft", status, original)
    return None


def _original_message_id(msg: Message) -> str:
    """The Message-ID of the message that bounced, from the returned message or its headers."""
    own = str(msg.get("Message-ID", "")).strip()
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                found = str(inner[0].get("Message-ID", "")).strip()
                if found:
                    return found
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(payload.decode("utf-8", "replace"))
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    for match in _MESSAGE_ID.finditer(_text(msg)):
        if match.group(1) != own:
            return match.group(1)
    return ""


def _text(msg: Message) -> str:
    chunks = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                chunks.append(payload.decode("utf-8", "replace"))
    return "\n".join(chunks)


def _addr(value: bytes | str) -> str:
    return (value.decode("utf-8", "replace") if isinstance(value, bytes) else value).strip().strip("<>")


def unsubscribe_request(msg: Message) -> str:
    """The token of a List-Unsubscribe ``mailto:`` request ("unsubscribe <token>"), or ''."""
    match = _UNSUBSCRIBE_SUBJECT.match(str(msg.get("Subject", "")))
    return match.group(1) if match and subscribers.looks_like_token(match.group(1)) else ""


@dataclass(frozen=True)
class Policy:
    """When a subscriber is marked bounced: at once on a hard bounce, after soft_limit soft ones."""

    soft_limit: int = 3
    soft_days: int = 30


def apply(
    store: Store, msg: Message, report: BounceReport, *, secret: str, policy: Policy, dry_run: bool = False
) -> bool:
    """Act on one mail; returns True when it was a bounce or an unsubscribe request (processed)."""
    token = unsubscribe_request(msg)
    if token:
        try:
            sub = subscribers.subscriber_for_token(store, token, secret)
        except InputError:
            report.unmatched.append(f"unsubscribe request with an invalid token ({token[:20]})")
            return True
        if not dry_run and sub.status != "unsubscribed":
            subscribers.set_status(store, sub, "unsubscribed", "mail")
        report.unsubscribed.append(sub.email)
        return True
    failures = read_failures(msg)
    if not failures:
        return False
    for failure in failures:
        if failure.kind == "hard":
            report.hard += 1
        else:
            report.soft += 1
        sub, edition_id, proven = _match(store, failure)
        if sub is None:
            report.unmatched.append(failure.address)
            continue
        if not proven and failure.kind == "hard":
            # No Message-ID of ours in it: anyone can mail a fake report naming an address, so
            # it counts like a soft bounce (several are needed) instead of removing a reader.
            failure = Failure(failure.address, "soft", failure.status, failure.message_id)
        if dry_run:
            if failure.kind == "hard" and sub.status in ("active", "pending"):
                report.marked_bounced.append(sub.email)
            continue
        assert sub.id is not None
        store.add_bounce(sub.id, failure.kind, failure.status, failure.message_id, edition_id)
        if sub.status not in ("active", "pending"):
            continue
        since = (datetime.now(UTC) - timedelta(days=policy.soft_days)).isoformat(timespec="seconds")
        if failure.kind == "hard":
            detail = f"hard bounce {failure.status}".strip()
        elif store.count_bounces_since(sub.id, "soft", since) >= policy.soft_limit:
            detail = f"{policy.soft_limit} soft bounces in {policy.soft_days} days"
        else:
            continue
        subscribers.set_status(store, sub, "bounced", detail)
        report.marked_bounced.append(sub.email)
    return True


def _match(store: Store, failure: Failure) -> tuple[Subscriber | None, str, bool]:
    """(subscriber, edition, proven): proven when the report quotes a Message-ID we sent them."""
    if failure.message_id:
        row = store.delivery_by_message_id(failure.message_id)
        if row is not None:
            return subscribers.find(store, row["email"]), str(row["edition_id"]), True
    sub = subscribers.find(store, failure.address)
    edition = store.latest_edition_sent_to(sub.id) if sub is not None and sub.id is not None else ""
    return sub, edition, False


def maildir_messages(path: str) -> Iterator[tuple[str, bytes]]:
    """(key, bytes) of every message in a Maildir's new/ and cur/ (its sub-folders excluded)."""
    import mailbox

    box = mailbox.Maildir(path, factory=None, create=False)
    for key in list(box.iterkeys()):
        try:
            yield key, box.get_bytes(key)
        except (OSError, KeyError):
            continue


def process_maildir(
    store: Store, path: str, *, secret: str, policy: Policy = Policy(), dry_run: bool = False
) -> BounceReport:
    """Read a Maildir; each processed mail moves to its ``.processed`` folder so it is read once."""
    import mailbox
    import os

    if not os.path.isdir(os.path.join(path, "cur")) and not os.path.isdir(os.path.join(path, "new")):
        raise InputError(f"{path} is not a Maildir (no cur/ or new/ inside); give the mailbox's folder")
    box = mailbox.Maildir(path, factory=None, create=False)
    done = None if dry_run else box.add_folder("processed")
    report = BounceReport()
    for key, data in maildir_messages(path):
        try:
            msg = parse(data)
            handled = apply(store, msg, report, secret=secret, policy=policy, dry_run=dry_run)
        except (ValueError, LookupError, TypeError, UnicodeError) as exc:
            report.unreadable.append(f"{key}: {type(exc).__name__}: {exc}")
            continue
        if not handled:
            report.left_alone += 1
            continue
        report.processed += 1
        if done is not None:
            done.add(data)
            box.remove(key)
    return report


def process_imap(
    store: Store,
    host: str,
    user: str,
    password: str,
    *,
    secret: str,
    folder: str = "INBOX",
    port: int = 993,
    policy: Policy = Policy(),
    dry_run: bool = False,
) -> BounceReport:
    """The same over IMAP (TLS): processed mails are copied to ``composer-processed`` and removed."""
    import imaplib

    report = BounceReport()
    try:
        client = imaplib.IMAP4_SSL(host, port, timeout=60)
        client.login(user, password)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise InputError(
            f"cannot log in to the IMAP server {host}:{port} ({exc}); check host, user, password"
        ) from None
    try:
        if client.select(folder)[0] != "OK":
            raise InputError(f"the IMAP folder {folder!r} does not exist on {host}")
        if not dry_run:
            client.create("composer-processed")
        _, data = client.uid("SEARCH", None, "ALL")
        for uid in (data[0] or b"").split():
            _, fetched = client.uid("FETCH", uid, "(RFC822)")
            raw = next((f[1] for f in fetched if isinstance(f, tuple)), b"")
            if not raw:
                continue
            try:
                handled = apply(store, parse(raw), report, secret=secret, policy=policy, dry_run=dry_run)
            except (ValueError, LookupError, TypeError, UnicodeError) as exc:
                report.unreadable.append(f"uid {uid.decode()}: {type(exc).__name__}: {exc}")
                continue
            if not handled:
                report.left_alone += 1
                continue
            report.processed += 1
            if not dry_run:
                client.uid("COPY", uid, "composer-processed")
                client.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
        if not dry_run:
            client.expunge()
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return report
