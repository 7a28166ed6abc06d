"""The count: one SQLite file holding the election, the layout, every page and every decision.

This module owns all SQL. Every page's result is written in its own transaction, so a count that
is interrupted keeps every page it finished and never half a page.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from .election import Election
from .records import Layout

SCHEMA_VERSION = 1

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
    source          TEXT NOT NULL,           -- file as given on the command line
    page            INTEGER NOT NULL,        -- 1-based page in that file
    file_sha256     TEXT NOT NULL,
    sha256          TEXT NOT NULL,           -- content hash of this page
    machine_status  TEXT NOT NULL,           -- what the reader decided
    machine_votes   TEXT NOT NULL,           -- JSON list
    machine_reasons TEXT NOT NULL,           -- JSON list
    status          TEXT NOT NULL,           -- in force: the reader's, or the last resolution's
    votes           TEXT NOT NULL,           -- JSON list of candidate labels
    against         TEXT NOT NULL DEFAULT '[]',
    reasons         TEXT NOT NULL,           -- JSON list of reason codes
    reading         TEXT NOT NULL,           -- JSON: per-name readings with evidence
    registration    TEXT NOT NULL,           -- JSON: how the page was registered
    scanned_at      TEXT NOT NULL,
    UNIQUE (file_sha256, page)
);
CREATE INDEX IF NOT EXISTS pages_status ON pages (status);
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
"""


class CountError(Exception):
    """The count file is missing or is not a count."""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    return con


class Count:
    """An open count file."""

    def __init__(self, con: sqlite3.Connection, path: Path):
        self.con, self.path = con, path

    # --- life cycle -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, election: Election, layout: Layout, blank_source: str, blank_sha256: str,
               frame_png: bytes) -> "Count":
        path = Path(path)
        con = _connect(path)
        with con:
            con.execute("BEGIN")
            for stmt in SCHEMA.split(";"):
                if stmt.strip():
                    con.execute(stmt)
            con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("schema_version", str(SCHEMA_VERSION)),
                ("created_at", now()),
                ("election", json.dumps(election.to_dict(), ensure_ascii=False)),
                ("layout", json.dumps(layout.to_dict(), ensure_ascii=False)),
                ("settings", "{}"),
            ])
            con.execute("INSERT INTO blank (id, source, sha256, frame) VALUES (1, ?, ?, ?)",
                        (blank_source, blank_sha256, frame_png))
        return cls(con, path)

    @classmethod
    def open(cls, path: str | Path) -> "Count":
        path = Path(path)
        if not path.is_file():
            raise CountError("missing")
        try:
            con = _connect(path)
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as ex:
            raise CountError(str(ex)) from None
        if row is None:
            raise CountError("no schema version")
        return cls(con, path)

    def close(self) -> None:
        self.con.close()

    # --- what is counted --------------------------------------------------------------------------
    def _meta(self, key: str) -> str:
        return self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()["value"]

    def election(self) -> Election:
        return Election.from_dict(json.loads(self._meta("election")))

    def layout(self) -> Layout:
        return Layout.from_dict(json.loads(self._meta("layout")))

    def blank_frame_png(self) -> bytes:
        return self.con.execute("SELECT frame FROM blank WHERE id = 1").fetchone()["frame"]

    # --- pages ------------------------------------------------------------------------------------
    def has_page(self, file_sha256: str, page: int) -> bool:
        return self.con.execute("SELECT 1 FROM pages WHERE file_sha256 = ? AND page = ?",
                                (file_sha256, page)).fetchone() is not None

    def pages_done(self, file_sha256: str) -> set[int]:
        return {r["page"] for r in self.con.execute("SELECT page FROM pages WHERE file_sha256 = ?", (file_sha256,))}

    def add_page(self, *, source: str, page: int, file_sha256: str, sha256: str, status: str, votes: list[str],
                 against: list[str], reasons: list[str], reading: dict[str, Any], registration: dict[str, Any]) -> int | None:
        """Store one page's result atomically; returns its ballot ID, or None if it was already counted."""
        cur = self.con.execute(
            """INSERT OR IGNORE INTO pages (source, page, file_sha256, sha256, machine_status, machine_votes,
                   machine_reasons, status, votes, against, reasons, reading, registration, scanned_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (source, page, file_sha256, sha256, status, json.dumps(votes, ensure_ascii=False),
             json.dumps(reasons, ensure_ascii=False), status, json.dumps(votes, ensure_ascii=False),
             json.dumps(against, ensure_ascii=False), json.dumps(reasons, ensure_ascii=False),
             json.dumps(reading, ensure_ascii=False), json.dumps(registration), now()))
        return cur.lastrowid if cur.rowcount else None

    def add_failure(self, source: str, page: int | None, error: str) -> None:
        self.con.execute("INSERT INTO failures (source, page, error, at) VALUES (?, ?, ?, ?)",
                         (source, page, error, now()))

    def page(self, ballot_id: int) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM pages WHERE id = ?", (ballot_id,)).fetchone()
        return _page_dict(row) if row else None

    def pages(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        sql, args = "SELECT * FROM pages", ()
        if status:
            sql, args = sql + " WHERE status = ?", (status,)
        for row in self.con.execute(sql + " ORDER BY id", args):
            yield _page_dict(row)

    def status_counts(self) -> dict[str, int]:
        return {r["status"]: r["n"] for r in self.con.execute("SELECT status, COUNT(*) AS n FROM pages GROUP BY status")}

    def valid_votes(self) -> Iterator[tuple[list[str], list[str]]]:
        for r in self.con.execute("SELECT votes, against FROM pages WHERE status = 'valid'"):
            yield json.loads(r["votes"]), json.loads(r["against"])

    # --- decisions --------------------------------------------------------------------------------
    def resolve(self, ballot_id: int, reviewer: str, status: str, votes: list[str], reasons: list[str],
                against: list[str] | None = None) -> None:
        """Record a person's decision on a page, with what it replaces, in one transaction."""
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            row = self.con.execute("SELECT status, votes, reasons FROM pages WHERE id = ?", (ballot_id,)).fetchone()
            before = {"status": row["status"], "votes": json.loads(row["votes"]), "reasons": json.loads(row["reasons"])}
            self.con.execute(
                "INSERT INTO resolutions (page_id, reviewer, at, before, status, votes, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ballot_id, reviewer, now(), json.dumps(before, ensure_ascii=False), status,
                 json.dumps(votes, ensure_ascii=False), json.dumps(reasons, ensure_ascii=False)))
            self.con.execute("UPDATE pages SET status = ?, votes = ?, against = ?, reasons = ? WHERE id = ?",
                             (status, json.dumps(votes, ensure_ascii=False), json.dumps(against or [], ensure_ascii=False),
                              json.dumps(reasons, ensure_ascii=False), ballot_id))

    def resolutions(self, ballot_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM resolutions", ()
        if ballot_id is not None:
            sql, args = sql + " WHERE page_id = ?", (ballot_id,)
        return [dict(r) for r in self.con.execute(sql + " ORDER BY id", args)]

    def failures(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute("SELECT * FROM failures ORDER BY id")]


def _page_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    for k in ("machine_votes", "machine_reasons", "votes", "against", "reasons", "reading", "registration"):
        d[k] = json.loads(d[k])
    return d
