"""The workspace schema, its version, and the migrations that bring an older workspace up to date.

The version lives in SQLite's ``user_version``.  A new workspace gets the latest schema at once;
an older one is migrated in place, in one transaction per step, after a copy of the database is
kept beside it (``composer.db.v<N>.bak``), so an upgrade can never lose an article, a
subscriber or a line of the send ledger.  A workspace written by a newer composer is refused
rather than damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

VERSION = 4

# Version 1 is the schema of the first release (no user_version set); kept verbatim so that a
# test can build such a workspace and check the migration.
SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'fr',
    text TEXT NOT NULL,
    paragraphs TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url != '';
CREATE TABLE IF NOT EXISTS editions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    introduction TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    preheader TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE TABLE IF NOT EXISTS edition_articles (
    edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (edition_id, article_id)
);
CREATE TABLE IF NOT EXISTS subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subscriber_events (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    edition_id TEXT NOT NULL REFERENCES editions(id),
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    status TEXT NOT NULL DEFAULT 'pending',
    message_id TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    transport TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, subscriber_id)
);
CREATE TABLE IF NOT EXISTS section_edits (
    edition_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    original TEXT NOT NULL,
    edited TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (edition_id, article_id, kind)
);
CREATE TABLE IF NOT EXISTS digest_choices (
    edition_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'default',
    sentences INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (edition_id, article_id)
);
"""


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """The stored edition: its plan and composed content in ``edition_items``, its lifecycle.

    ``edition_articles`` and ``digest_choices`` merge into ``edition_items`` (content left NULL:
    it is composed once, the first time the edition is opened); an interrupted weekly run
    becomes an edition in ``sending``; a subject equal to the title was composer's default, not
    the editor's, and becomes automatic again.
    """
    conn.execute(
        "CREATE TABLE edition_items ("
        " edition_id TEXT NOT NULL REFERENCES editions(id) ON DELETE CASCADE,"
        " article_id TEXT NOT NULL REFERENCES articles(id),"
        " position INTEGER NOT NULL,"
        " method TEXT NOT NULL DEFAULT 'default',"
        " sentences INTEGER NOT NULL DEFAULT 0,"
        " content TEXT,"
        " PRIMARY KEY (edition_id, article_id))"
    )
    conn.execute(
        "INSERT INTO edition_items (edition_id, article_id, position, method, sentences)"
        " SELECT ea.edition_id, ea.article_id, ea.position, COALESCE(dc.method, 'default'),"
        " COALESCE(dc.sentences, 0) FROM edition_articles ea LEFT JOIN digest_choices dc"
        " ON dc.edition_id = ea.edition_id AND dc.article_id = ea.article_id"
    )
    conn.execute("DROP TABLE edition_articles")
    conn.execute("DROP TABLE digest_choices")
    conn.execute("ALTER TABLE editions ADD COLUMN updated_at TEXT")
    conn.execute("UPDATE editions SET updated_at = COALESCE(sent_at, created_at)")
    conn.execute("UPDATE editions SET subject = '' WHERE subject = title")
    has_runs = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'weekly_runs'"
    ).fetchone()
    if has_runs:
        conn.execute(
            "UPDATE editions SET status = 'sending' WHERE status != 'sent' AND id IN"
            " (SELECT edition_id FROM weekly_runs WHERE status = 'sending')"
        )
        conn.execute("DROP TABLE weekly_runs")
    conn.execute("CREATE INDEX IF NOT EXISTS editions_status ON editions(status)")


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """List hygiene: consent (when and from where a reader confirmed), bounces, lookups by Message-ID."""
    conn.execute("ALTER TABLE subscribers ADD COLUMN consent_at TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE subscribers ADD COLUMN consent_ip TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "CREATE TABLE bounces ("
        " id INTEGER PRIMARY KEY,"
        " subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL,"  # hard | soft
        " status TEXT NOT NULL DEFAULT '',"  # the DSN status code, e.g. 5.1.1
        " message_id TEXT NOT NULL DEFAULT '',"  # of the message that bounced
        " edition_id TEXT NOT NULL DEFAULT '',"
        " at TEXT NOT NULL)"
    )
    conn.execute("CREATE INDEX deliveries_message ON deliveries(message_id) WHERE message_id != ''")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """Internationalised domains in IDNA (punycode), as every address is now stored.

    Earlier releases kept ``zoe@exämple.fr`` as typed; the same reader imported again is now
    ``zoe@xn--exmple-cua.fr``.  Both rows become one — the older keeps its history, the ledger
    and events of the other move to it — so nobody gets an edition twice.
    """
    rows = conn.execute("SELECT id, email FROM subscribers ORDER BY id").fetchall()
    for sid, email in rows:
        local, _, domain = email.rpartition("@")
        if domain.isascii():
            continue
        try:
            converted = f"{local}@{domain.encode('idna').decode('ascii')}"
        except UnicodeError:
            continue  # not a valid name: left as it is; the send fails that reader alone
        twin = conn.execute(
            "SELECT id FROM subscribers WHERE email = ? COLLATE NOCASE AND id != ?", (converted, sid)
        ).fetchone()
        if twin is None:
            conn.execute("UPDATE subscribers SET email = ? WHERE id = ?", (converted, sid))
            continue
        keep, drop = sorted((sid, twin[0]))
        conn.execute(
            "INSERT OR IGNORE INTO deliveries (edition_id, subscriber_id, status, message_id, attempts,"
            " error, transport, updated_at) SELECT edition_id, ?, status, message_id, attempts, error,"
            " transport, updated_at FROM deliveries WHERE subscriber_id = ?",
            (keep, drop),
        )
        conn.execute("DELETE FROM deliveries WHERE subscriber_id = ?", (drop,))
        conn.execute("UPDATE subscriber_events SET subscriber_id = ? WHERE subscriber_id = ?", (keep, drop))
        conn.execute("UPDATE bounces SET subscriber_id = ? WHERE subscriber_id = ?", (keep, drop))
        conn.execute("DELETE FROM subscribers WHERE id = ?", (drop,))
        conn.execute("UPDATE subscribers SET email = ? WHERE id = ?", (converted, keep))


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the database at ``path`` to :data:`VERSION`; return the version it had.

    Raises ``RuntimeError`` for a database newer than this composer (the caller words it).
    """
    found = _version(conn)
    if found == VERSION:
        return VERSION
    if 0 < found < VERSION:
        _backup(conn, path, found)  # outside the write transaction: a backup reads the whole file
    conn.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then finds it done
    try:
        version = _version(conn)
        if version > VERSION:
            raise RuntimeError(
                f"it was written by a newer composer (schema {version}, this one knows {VERSION})"
            )
        if version == 0:
            for statement in SCHEMA_V1.split(";"):
                if statement.strip():
                    conn.execute(statement)
            version = 1
            start = 0
        else:
            start = version
        while version < VERSION:
            MIGRATIONS[version](conn)
            version += 1
        conn.execute(f"PRAGMA user_version = {VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return start


def _version(conn: sqlite3.Connection) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0 and "articles" in _tables(conn):
        return 1  # the first release did not set user_version
    return version


def _backup(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Copy the database to ``<name>.v<version>.bak`` (written aside, then renamed: never half a copy)."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    if target.exists():
        return
    partial = target.with_name(target.name + ".part")
    copy = sqlite3.connect(partial)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    partial.replace(target)
