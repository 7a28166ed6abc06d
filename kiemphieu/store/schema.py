"""The count file's schema, its version and the migrations from every earlier version.

The version is SQLite's ``PRAGMA user_version``. Counts of the first release (version 1) carry it as
``meta.schema_version`` instead. Opening a count upgrades it step by step, one migration function per
step, all in one transaction; a count written by a newer release is refused (``store.count``).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from ..records import reasons_from
from . import pagelog
from .clock import now

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blank (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    source  TEXT NOT NULL,      -- the blank ballot file the layout was read from
    sha256  TEXT NOT NULL,
    frame   BLOB NOT NULL       -- the blank in the template frame, PNG (grey)
);
CREATE TABLE IF NOT EXISTS pages (
    id              INTEGER PRIMARY KEY,     -- the ballot ID people and scripts use
    source          TEXT NOT NULL,           -- file as given on the command line (bytes not UTF-8 shown escaped)
    source_raw      BLOB,                    -- the name's bytes, when they are not UTF-8 (store/pages.py)
    folder          BLOB,                    -- the folder scan ran in (bytes): a relative source is found from it
    page            INTEGER NOT NULL,        -- 1-based page in that file
    file_sha256     TEXT NOT NULL,
    sha256          TEXT NOT NULL,           -- content hash of this page
    machine_status  TEXT NOT NULL,           -- what the reader decided
    machine_votes   TEXT NOT NULL,           -- JSON list
    machine_against TEXT NOT NULL DEFAULT '[]',  -- JSON list (yes/no ballots)
    machine_reasons TEXT NOT NULL,           -- JSON list of reasons (records.Reason.to_dict)
    status          TEXT NOT NULL,           -- in force: the reader's, or the last resolution's
    votes           TEXT NOT NULL,           -- JSON list of candidate labels
    against         TEXT NOT NULL DEFAULT '[]',
    reasons         TEXT NOT NULL,           -- JSON list of reasons
    reading         TEXT NOT NULL,           -- JSON: per-name readings with evidence
    registration    TEXT NOT NULL,           -- JSON: how the page was registered
    scanned_at      TEXT NOT NULL,
    ink_cells       INTEGER,                 -- double-feed signature (detect/doublefeed)
    ink_sig         BLOB,
    ink_row         INTEGER,
    ink_col         INTEGER,
    seal_x          INTEGER,                 -- where the seal was found, template px
    seal_y          INTEGER,
    UNIQUE (file_sha256, page)
);
CREATE INDEX IF NOT EXISTS pages_status ON pages (status);
CREATE INDEX IF NOT EXISTS pages_ink ON pages (ink_cells);
CREATE INDEX IF NOT EXISTS pages_seal ON pages (seal_x);
CREATE INDEX IF NOT EXISTS pages_sha ON pages (sha256);
CREATE TABLE IF NOT EXISTS resolutions (
    id        INTEGER PRIMARY KEY,
    page_id   INTEGER NOT NULL REFERENCES pages (id),
    reviewer  TEXT NOT NULL,
    at        TEXT NOT NULL,
    before    TEXT NOT NULL,     -- JSON {status, votes, reasons} before the decision
    status    TEXT NOT NULL,
    votes     TEXT NOT NULL,
    reasons   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    id      INTEGER PRIMARY KEY,
    source  TEXT NOT NULL,
    page    INTEGER,
    error   TEXT NOT NULL,
    at      TEXT NOT NULL
);
-- review in the browser (kiemphieu serve) ------------------------------------------------------
CREATE TABLE IF NOT EXISTS reviewers (
    name        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,           -- admin / reviewer
    pw_hash     TEXT NOT NULL,           -- scrypt, see review/web/auth.py
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash  TEXT PRIMARY KEY,        -- SHA-256 of the cookie (the cookie itself is never stored)
    reviewer    TEXT NOT NULL REFERENCES reviewers (name),
    csrf        TEXT NOT NULL,
    expires     REAL NOT NULL            -- unix time
);
CREATE TABLE IF NOT EXISTS holds (
    page_id     INTEGER PRIMARY KEY REFERENCES pages (id),
    reviewer    TEXT NOT NULL,
    until       REAL NOT NULL            -- unix time
);
CREATE TABLE IF NOT EXISTS proposals (   -- --two-person: first decisions waiting for a second reviewer
    page_id     INTEGER NOT NULL REFERENCES pages (id),
    reviewer    TEXT NOT NULL,
    version     INTEGER NOT NULL,        -- decisions on the page when it was proposed
    decision    TEXT NOT NULL,           -- JSON {status, votes, against, reasons}
    at          TEXT NOT NULL,
    PRIMARY KEY (page_id, reviewer)
);
CREATE TABLE IF NOT EXISTS audit (       -- append-only, hash-chained: see store/audit.py
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    page_id     INTEGER,
    before      TEXT NOT NULL,           -- JSON
    after       TEXT NOT NULL,           -- JSON
    reason      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS page_log (    -- every page stored, hash-chained: see store/pagelog.py
    seq         INTEGER PRIMARY KEY,
    page_id     INTEGER NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS page_log_no_update BEFORE UPDATE ON page_log
BEGIN SELECT RAISE(ABORT, 'page log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS page_log_no_delete BEFORE DELETE ON page_log
BEGIN SELECT RAISE(ABORT, 'page log is append-only'); END;
"""


def statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers hold ';' inside BEGIN … END)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf)
            buf = ""
    return out


def create(con: sqlite3.Connection) -> None:
    """Inside a transaction: the tables of the current version, on an empty file."""
    for stmt in statements(SCHEMA):
        con.execute(stmt)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def version_of(con: sqlite3.Connection) -> int | None:
    """The schema version of an open SQLite file; None if it is not a count."""
    v = con.execute("PRAGMA user_version").fetchone()[0]
    if v:
        return int(v)
    has_meta = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else None


# --- migrations: MIGRATIONS[v] brings a count from version v to v + 1 ------------------------------------

V1_PAGE_COLUMNS = {"ink_cells": "INTEGER", "ink_sig": "BLOB", "ink_row": "INTEGER", "ink_col": "INTEGER",
                   "seal_x": "INTEGER", "seal_y": "INTEGER"}


def _records(text: str) -> str:
    """A stored JSON list of reasons, as records (version 2) — from strings (version 1)."""
    return json.dumps([r.to_dict() for r in reasons_from(json.loads(text))], ensure_ascii=False)


def _v1_to_v2(con: sqlite3.Connection) -> None:
    """Reasons become records ({code, why, names, ballot}) instead of colon strings; the double-feed
    columns and the review tables that version 1 added on the fly are made certain."""
    have = {r[1] for r in con.execute("PRAGMA table_info(pages)")}
    for name, decl in V1_PAGE_COLUMNS.items():
        if name not in have:
            con.execute(f"ALTER TABLE pages ADD COLUMN {name} {decl}")
    for stmt in statements(SCHEMA):
        con.execute(stmt)
    rows = con.execute("SELECT id, machine_reasons, reasons FROM pages").fetchall()
    con.executemany("UPDATE pages SET machine_reasons = ?, reasons = ? WHERE id = ?",
                    [(_records(m), _records(r), i) for i, m, r in rows])
    rows = con.execute("SELECT id, before, reasons FROM resolutions").fetchall()
    updates = []
    for i, before, reasons in rows:
        b = json.loads(before)
        b["reasons"] = json.loads(_records(json.dumps(b.get("reasons", []))))
        updates.append((json.dumps(b, ensure_ascii=False), _records(reasons), i))
    con.executemany("UPDATE resolutions SET before = ?, reasons = ? WHERE id = ?", updates)
    rows = con.execute("SELECT page_id, reviewer, decision FROM proposals").fetchall()
    updates = []
    for page_id, reviewer, decision in rows:
        d = json.loads(decision)
        d["reasons"] = json.loads(_records(json.dumps(d.get("reasons", []))))
        updates.append((json.dumps(d, ensure_ascii=False), page_id, reviewer))
    con.executemany("UPDATE proposals SET decision = ? WHERE page_id = ? AND reviewer = ?", updates)
    con.execute("DELETE FROM meta WHERE key = 'schema_version'")


def _v2_to_v3(con: sqlite3.Connection) -> None:
    """The page log (store/pagelog.py), started with every page the count holds, in ID order, and noted
    as started here; the machine's names against kept apart from those in force (a person's decision
    changes those); the raw bytes of file names that are not UTF-8 (none before: such a scan failed)."""
    have = {r[1] for r in con.execute("PRAGMA table_info(pages)")}
    if "source_raw" not in have:
        con.execute("ALTER TABLE pages ADD COLUMN source_raw BLOB")
    if "machine_against" not in have:
        con.execute("ALTER TABLE pages ADD COLUMN machine_against TEXT NOT NULL DEFAULT '[]'")
    for stmt in statements(SCHEMA):
        con.execute(stmt)
    # The machine's names against: the page's own while no person decided it, else what the first
    # decision replaced.
    first = {
        r[0]: json.loads(r[1]).get("against", [])
        for r in con.execute(
            "SELECT page_id, before FROM resolutions r "
            "WHERE id = (SELECT MIN(id) FROM resolutions WHERE page_id = r.page_id)"
        )
    }
    rows = con.execute("SELECT id, against FROM pages").fetchall()
    con.executemany("UPDATE pages SET machine_against = ? WHERE id = ?",
                    [(json.dumps(first[i], ensure_ascii=False) if i in first else a, i) for i, a in rows])
    prev, seq = pagelog.GENESIS, 0
    for row in con.execute(f"SELECT {pagelog.PAGE_COLUMNS} FROM pages p ORDER BY p.id").fetchall():
        seq += 1
        page = dict(zip(pagelog.FIELDS + (pagelog.READING,), row))
        h = pagelog.entry_hash(seq, prev, page)
        con.execute(
            "INSERT INTO page_log (seq, page_id, prev_hash, hash) VALUES (?, ?, ?, ?)", (seq, page["id"], prev, h)
        )
        prev = h
    if seq:
        con.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (pagelog.HEAD_KEY, json.dumps([seq, prev]))
        )
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (pagelog.SINCE_KEY, json.dumps({"at": now(), "pages": seq})))


def _v3_to_v4(con: sqlite3.Connection) -> None:
    """The folder each scan ran in, so that a page's file (given to scan relative to it) is found from
    any folder later (serve, inspect, verify). Pages stored before keep none: found from where the command
    runs, as before."""
    if "folder" not in {r[1] for r in con.execute("PRAGMA table_info(pages)")}:
        con.execute("ALTER TABLE pages ADD COLUMN folder BLOB")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def upgrade(con: sqlite3.Connection, found: int) -> None:
    """Inside a transaction: run every migration from version ``found`` to ``SCHEMA_VERSION``."""
    for v in range(found, SCHEMA_VERSION):
        MIGRATIONS[v](con)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
