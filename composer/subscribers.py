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
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from composer.errors import InputError, UsageError
from composer.models import Subscriber
from composer.store import Store

STATUSES = ("active", "pending", "unsubscribed", "bounced")
BOUNCE_AFTER = 3


DISPLAY_NAME_MAX = 120


def clean_display_name(name: str) -> str:
    """A display name fit for a header: no control, bidi-override or zero-width character (they
    let a name pass for another or hide text), one line, at most ``DISPLAY_NAME_MAX`` characters."""
    kept = "".join(
        " " if ch in "\t\r\n" else ch for ch in name if unicodedata.category(ch)[0] != "C" or ch in "\t\r\n"
    )
    kept = " ".join(kept.split())
    return kept if len(kept) <= DISPLAY_NAME_MAX else kept[: DISPLAY_NAME_MAX - 3].rstrip() + "..."


def normalize_address(address: str, where: str = "") -> str:
    """The normalized address, or an InputError naming ``where`` and why it is invalid."""
    from email_validator import EmailNotValidError, validate_email

    prefix = f"{where}: " if where else ""
    try:
        # ASCII addresses only: not every SMTP server takes SMTPUTF8, and one such address must
        # not stop a send half-way.
        valid = validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False)
        # An internationalised domain is kept in IDNA (punycode): it travels in any SMTP session.
        return str(valid.ascii_email or valid.normalized)
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
    name = clean_display_name(name)  # one line, no bidi or zero-width tricks: it ends up in To:
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
        # Only the delimiter is guessed: quotes are always '"' (cells our export made inert start
        # with "'", which the sniffer would otherwise take for the quote character).
        delimiter = csv.Sniffer().sniff(content[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        # newline="" lets the csv module see old Mac (CR-only) line ends and quoted line breaks.
        rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV ({exc}); save it as CSV with an email column") from None
    header = [c.strip().lower() for c in rows[0]] if rows else []
    has_header = "email" in header or "e-mail" in header or "mail" in header
    if has_header:
        email_col = next(header.index(k) for k in ("email", "e-mail", "mail") if k in header)
        name_col = next((header.index(k) for k in ("name", "nom") if k in header), None)
        status_col = header.index("status") if "status" in header else None
        body = enumerate(rows[1:], 2)
    else:
        email_col, name_col, status_col, body = 0, 1, None, enumerate(rows, 1)
    report = ImportReport()
    for number, row in body:
        if not row or not any(c.strip() for c in row):
            continue
        address = _plain(row[email_col]) if len(row) > email_col else ""
        name = _plain(row[name_col]) if name_col is not None and len(row) > name_col else ""
        status = _plain(row[status_col]).lower() if status_col is not None and len(row) > status_col else ""
        try:
            sub, new = add(store, address, name, where=f"{path}:{number}")
        except InputError as exc:
            report.errors.append(exc)
            continue
        if status in ("unsubscribed", "bounced") and sub.status != status:
            # An export of another list says this person left or bounces: never mail them.
            set_status(store, sub, status, f"{path}:{number}")
        if new:
            report.added += 1
        else:
            report.known += 1
    return report


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(cell: str) -> str:
    """A cell as :func:`_inert` wrote it, back to its value (exports re-import unchanged)."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading ' if needed."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def export_csv(store: Store) -> str:
    """All subscribers as CSV (email, name, status, dates, and the consent of web sign-ups)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ["email", "name", "status", "created_at", "updated_at", "consent_at", "consent_ip"]
    writer.writerow(columns)
    for row in store.subscriber_rows():
        writer.writerow([_inert(str(row[c])) for c in columns])
    return out.getvalue()


# -- tokens ----------------------------------------------------------------------------------
#
# Unsubscribe links carry ``<id in hex>.<mac>``: opaque (no address in the URL, which ends up in
# logs and proxies) and unforgeable; the MAC covers the id and the address, so a row id reused
# after an erasure never matches.  Links in messages sent by the first release
# (``<address>.<mac>``) keep working.  Confirmation links add an expiry.

CONFIRM_HOURS = 48
_NEW_TOKEN = re.compile(r"^([0-9a-f]{1,12})\.([0-9a-f]{24})$")
_CONFIRM_TOKEN = re.compile(r"^([0-9a-f]{1,12})\.([0-9a-f]{1,12})\.([0-9a-f]{24})$")


def _mac(secret: str, message: str, size: int) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()[:size]


def unsubscribe_token(subscriber: Subscriber, secret: str) -> str:
    """The opaque token of ``subscriber``'s unsubscribe link."""
    sid = subscriber.id or 0
    return f"{sid:x}.{_mac(secret, f'unsubscribe:{sid}:{subscriber.email.lower()}', 24)}"


def legacy_unsubscribe_token(email: str, secret: str) -> str:
    """``<address>.<hmac>``, the first release's token (still honoured, never issued)."""
    mac = hmac.new(secret.encode(), email.lower().encode(), hashlib.sha256).hexdigest()[:32]
    return f"{quote(email.lower(), safe='@')}.{mac}"


def address_from_token(token: str, secret: str) -> str:
    """The address a first-release token was made for, or an InputError if it was not made with ``secret``."""
    encoded, _, digest = token.strip().rpartition(".")
    email = unquote(encoded)  # a web server may hand the path over decoded, or with %2b for %2B
    expected = legacy_unsubscribe_token(email, secret).rpartition(".")[2]
    if not encoded or not hmac.compare_digest(expected, digest):
        raise InputError("that unsubscribe token is not valid for this newsletter; check the link")
    return email


def subscriber_for_token(store: Store, token: str, secret: str) -> Subscriber:
    """Whom an unsubscribe token names; an InputError for a forged, altered or unknown one."""
    token = token.strip()
    match = _NEW_TOKEN.match(token)
    if match:
        row = store.subscriber_by_id(int(match.group(1), 16))
        if row is not None and hmac.compare_digest(unsubscribe_token(_row(row), secret), token):
            return _row(row)
        raise InputError("that unsubscribe link is not valid for this newsletter; check the link")
    sub = find(store, address_from_token(token, secret))
    if sub is None:
        raise InputError("that unsubscribe link names nobody on this list (the address was erased)")
    return sub


def looks_like_token(value: str) -> bool:
    """True for an unsubscribe token of either format (an address alone is not one)."""
    if _NEW_TOKEN.match(value.strip()):
        return True
    head, _, tail = value.rpartition(".")
    return bool(head) and len(tail) == 32 and all(c in "0123456789abcdef" for c in tail)


def unsubscribe(store: Store, token_or_address: str, secret: str) -> Subscriber:
    """Unsubscribe by token (from a link) or by address (an editor acting on a request).

    Idempotent: an address already unsubscribed stays so, and the call succeeds.
    """
    value = token_or_address.strip()
    if looks_like_token(value):
        sub, how = subscriber_for_token(store, value, secret), "link"
    else:
        found = find(store, value)
        if found is None:
            raise UsageError(f"{value} is not a subscriber; see `composer subscribers list`")
        sub, how = found, "editor"
    if sub.status == "unsubscribed":
        return sub
    return set_status(store, sub, "unsubscribed", how)


def unsubscribe_by_token(store: Store, token: str, secret: str) -> Subscriber:
    """What a link does (one-click or the page's button): never read as an address; idempotent."""
    sub = subscriber_for_token(store, token, secret)
    return sub if sub.status == "unsubscribed" else set_status(store, sub, "unsubscribed", "link")


def confirm_token(subscriber: Subscriber, secret: str, *, hours: float = CONFIRM_HOURS) -> str:
    """The token of a confirmation link for a pending subscriber, valid ``hours``."""
    sid = subscriber.id or 0
    expires = int(time.time() + hours * 3600)
    mac = _mac(secret, f"confirm:{sid}:{subscriber.email.lower()}:{expires}", 24)
    return f"{sid:x}.{expires:x}.{mac}"


def subscriber_for_confirmation(store: Store, token: str, secret: str) -> Subscriber:
    """Whom a confirmation token names; an InputError when forged, altered or expired."""
    match = _CONFIRM_TOKEN.match(token.strip())
    row = store.subscriber_by_id(int(match.group(1), 16)) if match else None
    if match is None or row is None:
        raise InputError("that confirmation link is not valid; subscribe again to get a new one")
    sid, expires = int(match.group(1), 16), int(match.group(2), 16)
    expected = _mac(secret, f"confirm:{sid}:{row['email'].lower()}:{expires}", 24)
    if not hmac.compare_digest(expected, match.group(3)):
        raise InputError("that confirmation link is not valid; subscribe again to get a new one")
    if expires < time.time():
        raise InputError("that confirmation link has expired; subscribe again to get a new one")
    return _row(row)


def request_subscription(
    store: Store, address: str, name: str = "", *, where: str = ""
) -> tuple[Subscriber, bool]:
    """A sign-up: the address is stored ``pending``; returns (subscriber, whether to send a confirmation).

    An active reader is left as is and gets no mail (the page says the same either way, so the
    form does not reveal who subscribes); anyone else — new, pending, unsubscribed, bounced —
    becomes pending and must confirm again (double opt-in).
    """
    email = normalize_address(address, where)
    name = clean_display_name(name)
    existing = find(store, email)
    if existing is None:
        new_id = store.insert_subscriber(email, name, where, status="pending")
        return Subscriber(email=email, name=name, status="pending", id=new_id), True
    if existing.status == "active":
        return existing, False
    return set_status(store, existing, "pending", where or "sign-up form"), True


def confirm(store: Store, token: str, secret: str, ip: str = "") -> Subscriber:
    """Follow a confirmation link: the pending subscriber becomes active, with consent recorded."""
    sub = subscriber_for_confirmation(store, token, secret)
    if sub.status == "active":
        return sub
    if sub.status != "pending":
        raise InputError("this address left the list after that link was sent; subscribe again")
    assert sub.id is not None
    store.record_consent(sub.id, ip)
    return Subscriber(email=sub.email, name=sub.name, status="active", id=sub.id)


def record_failure(store: Store, subscriber: Subscriber, reason: str) -> Subscriber:
    """Note a permanent delivery failure; after ``BOUNCE_AFTER`` of them the address is bounced."""
    assert subscriber.id is not None
    store.update_subscriber(subscriber.id, "failed", reason[:500])
    count = store.count_events(subscriber.id, "failed")
    if count >= BOUNCE_AFTER:
        return set_status(store, subscriber, "bounced", f"{count} permanent failures")
    return subscriber
