"""Subscribers: validated addresses, statuses, dated changes, CSV import/export, unsubscribe tokens.

Addresses are validated with email-validator (syntax only, no DNS, so it works offline and in
cron) and kept unique case-insensitively.  Every change writes a dated row in
``subscriber_events``, so an editor can answer "when did this person leave?".
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from composer.errors import InputError, UsageError
from composer.models import Subscriber
from composer.store import Store

STATUSES = ("active", "unsubscribed", "bounced")
BOUNCE_AFTER = 3


def normalize_address(address: str, where: str = "") -> str:
    """The normalized address, or an InputError naming ``where`` and why it is invalid."""
    from email_validator import EmailNotValidError, validate_email

    prefix = f"{where}: " if where else ""
    try:
        # ASCII addresses only: not every SMTP server takes SMTPUTF8, and one such address must
        # not stop a send half-way.
        return str(
            validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False).normalized
        )
    except EmailNotValidError as exc:
        raise InputError(f"{prefix}{address.strip()!r} is not a valid address ({exc})") from None


def _row(row: Mapping[str, Any]) -> Subscriber:
    return Subscriber(email=row["email"], name=row["name"], status=row["status"], id=row["id"])


def find(store: Store, address: str) -> Subscriber | None:
    """The subscriber with this address (any case), or None."""
    row = store.subscriber_row(address)
    return _row(row) if row else None


def listing(store: Store, status: str | None = "active") -> list[Subscriber]:
    """Subscribers with ``status`` (all when None), in the order they joined."""
    return [_row(r) for r in store.subscriber_rows(status)]


def add(store: Store, address: str, name: str = "", *, where: str = "") -> tuple[Subscriber, bool]:
    """Add an active subscriber; an address already present (any case) is kept, not doubled.

    Returns the subscriber and whether it was new.  A name given for a known address without
    one is filled in; an unsubscribed person is never re-subscribed by an import.
    """
    email = normalize_address(address, where)
    name = " ".join(name.split())  # one line: it ends up in a To: header
    existing = find(store, email)
    if existing is not None:
        if name and not existing.name:
            assert existing.id is not None
            store.update_subscriber(existing.id, "renamed", name, name=name)
        return existing, False
    new_id = store.insert_subscriber(email, name, where)
    return Subscriber(email=email, name=name, id=new_id), True


def set_status(store: Store, subscriber: Subscriber, status: str, detail: str = "") -> Subscriber:
    """Change a subscriber's status (active, unsubscribed, bounced), dated in the event log."""
    if status not in STATUSES:
        raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    assert subscriber.id is not None
    if subscriber.status == status:
        return subscriber
    store.update_subscriber(subscriber.id, status, detail, status=status)
    return Subscriber(email=subscriber.email, name=subscriber.name, status=status, id=subscriber.id)


def remove(store: Store, address: str) -> Subscriber:
    """Delete a subscriber and their history (a right-to-erasure request)."""
    sub = find(store, address)
    if sub is None:
        raise UsageError(f"{address} is not a subscriber; see `composer subscribers list`")
    assert sub.id is not None
    store.delete_subscriber(sub.id)
    return sub


# -- CSV ---------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: new, already known, and the rows it could not use."""

    added: int = 0
    known: int = 0
    errors: list[InputError] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def import_csv(store: Store, path: Path) -> ImportReport:
    """Import a CSV with an ``email`` column and optional ``name`` (header row optional).

    UTF-8 or Latin-1; comma, semicolon or tab separated.  Invalid rows are reported by line
    number and the rest are imported; duplicates (any case) are merged.
    """
    try:
        content = _decode(path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror}); check the path") from None
    lines = content.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{path}: the file is empty; expected a CSV with an email column")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        # newline="" lets the csv module see old Mac (CR-only) line ends and quoted line breaks.
        rows = list(csv.reader(io.StringIO(content, newline=""), dialect))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV ({exc}); save it as CSV with an email column") from None
    header = [c.strip().lower() for c in rows[0]] if rows else []
    has_header = "email" in header or "e-mail" in header or "mail" in header
    if has_header:
        email_col = next(header.index(k) for k in ("email", "e-mail", "mail") if k in header)
        name_col = next((header.index(k) for k in ("name", "nom") if k in header), None)
        body = enumerate(rows[1:], 2)
    else:
        email_col, name_col, body = 0, 1, enumerate(rows, 1)
    report = ImportReport()
    for number, row in body:
        if not row or not any(c.strip() for c in row):
            continue
        address = row[email_col].strip() if len(row) > email_col else ""
        name = row[name_col].strip() if name_col is not None and len(row) > name_col else ""
        try:
            _, new = add(store, address, name, where=f"{path}:{number}")
        except InputError as exc:
            report.errors.append(exc)
            continue
        if new:
            report.added += 1
        else:
            report.known += 1
    return report


def export_csv(store: Store) -> str:
    """All subscribers as CSV (email, name, status, created_at, updated_at)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "status", "created_at", "updated_at"])
    for row in store.subscriber_rows():
        writer.writerow([row["email"], row["name"], row["status"], row["created_at"], row["updated_at"]])
    return out.getvalue()


# -- unsubscribe tokens ------------------------------------------------------------------------


def unsubscribe_token(email: str, secret: str) -> str:
    """``<address>.<hmac>``: the link names whom it unsubscribes and cannot be forged for another."""
    mac = hmac.new(secret.encode(), email.lower().encode(), hashlib.sha256).hexdigest()[:32]
    return f"{quote(email.lower(), safe='@')}.{mac}"


def address_from_token(token: str, secret: str) -> str:
    """The address a token was made for, or an InputError if it was not made with ``secret``."""
    encoded, _, digest = token.strip().rpartition(".")
    email = unquote(encoded)  # a web server may hand the path over decoded, or with %2b for %2B
    expected = unsubscribe_token(email, secret).rpartition(".")[2]
    if not encoded or not hmac.compare_digest(expected, digest):
        raise InputError("that unsubscribe token is not valid for this newsletter; check the link")
    return email


def unsubscribe(store: Store, token_or_address: str, secret: str) -> Subscriber:
    """Unsubscribe by token (from a link) or by address (an editor acting on a request)."""
    value = token_or_address.strip()
    by_token = _looks_like_token(value)
    address = address_from_token(value, secret) if by_token else value
    sub = find(store, address)
    if sub is None:
        raise UsageError(f"{address} is not a subscriber; see `composer subscribers list`")
    return set_status(store, sub, "unsubscribed", "link" if by_token else "editor")


def _looks_like_token(value: str) -> bool:
    head, _, tail = value.rpartition(".")
    return bool(head) and len(tail) == 32 and all(c in "0123456789abcdef" for c in tail)


def record_failure(store: Store, subscriber: Subscriber, reason: str) -> Subscriber:
    """Note a permanent delivery failure; after ``BOUNCE_AFTER`` of them the address is bounced."""
    assert subscriber.id is not None
    store.update_subscriber(subscriber.id, "failed", reason[:500])
    count = store.count_events(subscriber.id, "failed")
    if count >= BOUNCE_AFTER:
        return set_status(store, subscriber, "bounced", f"{count} permanent failures")
    return subscriber
