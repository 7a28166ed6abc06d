"""The count: one SQLite file holding the election, the layout, every page and every decision.

This module owns all SQL. Every page's result is written in its own transaction, so a count that
is interrupted keeps every page it finished and never half a page.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
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
CREATE TABLE IF NOT EXISTS audit (       -- append-only, hash-chained: see review/audit.py
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
"""

# Triggers kept apart from SCHEMA (their bodies hold ";"): the audit log refuses UPDATE and DELETE.
AUDIT_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)


class CountError(Exception):
    """The count file is missing or is not a count."""


class StaleDecision(Exception):
    """A decision made on an older state of the ballot (someone decided meanwhile): refused, not saved."""

    def __init__(self, ballot_id: int, last: dict[str, Any] | None):
        super().__init__(f"ballot {ballot_id} was decided meanwhile")
        self.ballot_id, self.last = ballot_id, last   # last: the resolution now in force (reviewer, at, status)


def _statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (triggers hold ';' inside BEGIN … END)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf)
            buf = ""
    return out


# Page columns added after the first release (double-feed signatures, see scan/dedup.py); counts made
# before get them when opened.
PAGE_COLUMNS_ADDED = {"ink_cells": "INTEGER", "ink_sig": "BLOB", "ink_row": "INTEGER", "ink_col": "INTEGER",
                      "seal_x": "INTEGER", "seal_y": "INTEGER"}


def _migrate_pages(con: sqlite3.Connection) -> None:
    have = {r["name"] for r in con.execute("PRAGMA table_info(pages)")}
    for name, decl in PAGE_COLUMNS_ADDED.items():
        if name not in have:
            try:
                con.execute(f"ALTER TABLE pages ADD COLUMN {name} {decl}")
            except sqlite3.OperationalError as ex:   # another process added it first
                if "duplicate column" not in str(ex):
                    raise
    con.execute("CREATE INDEX IF NOT EXISTS pages_ink ON pages (ink_cells)")
    con.execute("CREATE INDEX IF NOT EXISTS pages_seal ON pages (seal_x)")
    con.execute("CREATE INDEX IF NOT EXISTS pages_sha ON pages (sha256)")


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
            for stmt in _statements(SCHEMA):
                con.execute(stmt)
            _migrate_pages(con)
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
        _migrate_pages(con)
        return cls(con, path)

    def close(self) -> None:
        self.con.close()

    # --- what is counted --------------------------------------------------------------------------
    def _meta(self, key: str) -> str:
        return self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()["value"]

    def election(self) -> Election:
        return Election.from_dict(json.loads(self._meta("election")))

    def settings(self) -> dict[str, Any]:
        """What the committee entered with ``kiemphieu set`` (issued, returned, committee, …)."""
        row = self.con.execute("SELECT value FROM meta WHERE key = 'settings'").fetchone()
        return json.loads(row["value"]) if row else {}

    def update_settings(self, values: dict[str, Any]) -> dict[str, Any]:
        """Merge ``values`` into the settings (a value of None removes the key); returns them all."""
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            merged = {**self.settings(), **values}
            merged = {k: v for k, v in merged.items() if v is not None}
            self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('settings', ?)",
                             (json.dumps(merged, ensure_ascii=False),))
        return merged

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
                 against: list[str], reasons: list[str], reading: dict[str, Any], registration: dict[str, Any],
                 ink_cells: int | None = None, ink_sig: bytes | None = None,
                 ink_centre: tuple[int, int] | None = None, seal: tuple[int, int] | None = None) -> int | None:
        """Store one page's result atomically; returns its ballot ID, or None if it was already counted.

        ``ink_cells``, ``ink_sig``, ``ink_centre`` (row, column) and ``seal`` (x, y) are what double feeds
        are found by (scan/dedup.py)."""
        row, col = ink_centre if ink_centre else (None, None)
        seal_x, seal_y = seal if seal else (None, None)
        cur = self.con.execute(
            """INSERT OR IGNORE INTO pages (source, page, file_sha256, sha256, machine_status, machine_votes,
                   machine_reasons, status, votes, against, reasons, reading, registration, scanned_at,
                   ink_cells, ink_sig, ink_row, ink_col, seal_x, seal_y)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (source, page, file_sha256, sha256, status, json.dumps(votes, ensure_ascii=False),
             json.dumps(reasons, ensure_ascii=False), status, json.dumps(votes, ensure_ascii=False),
             json.dumps(against, ensure_ascii=False), json.dumps(reasons, ensure_ascii=False),
             json.dumps(reading, ensure_ascii=False), json.dumps(registration), now(), ink_cells, ink_sig,
             row, col, seal_x, seal_y))
        return cur.lastrowid if cur.rowcount else None

    def pages_of_file(self, file_sha256: str) -> list[dict[str, Any]]:
        """(id, source, page) of the counted pages of the file with this hash."""
        return [dict(r) for r in self.con.execute("SELECT id, source, page FROM pages WHERE file_sha256 = ? ORDER BY page",
                                                   (file_sha256,))]

    def page_with_sha(self, sha256: str) -> dict[str, Any] | None:
        """The counted page with this content hash (id, source, page), if any."""
        row = self.con.execute("SELECT id, source, page FROM pages WHERE sha256 = ? ORDER BY id LIMIT 1",
                               (sha256,)).fetchone()
        return dict(row) if row else None

    def readings_like(self, machine_status: str, machine_votes: list[str], seal: tuple[int, int],
                      seal_px: int) -> Iterator[tuple[int, dict]]:
        """(id, reading) of pages the machine read with this status and these votes, their seal within
        ``seal_px`` of ``seal`` (x, y)."""
        (x, y), d = seal, seal_px
        for r in self.con.execute("SELECT id, reading FROM pages WHERE seal_x BETWEEN ? AND ? AND seal_y BETWEEN ? AND ? "
                                  "AND machine_status = ? AND machine_votes = ? ORDER BY id",
                                  (x - d, x + d, y - d, y + d, machine_status,
                                   json.dumps(machine_votes, ensure_ascii=False))):
            yield r["id"], json.loads(r["reading"])

    def ink_signatures(self, cells: tuple[int, int], centre: tuple[int, int], centre_cells: int,
                       seal: tuple[int, int] | None, seal_px: int) -> Iterator[tuple[int, int, bytes]]:
        """(id, ink_cells, ink_sig) of pages whose inked cells number within ``cells`` (min, max),
        centred within ``centre_cells`` of ``centre`` (row, column), with no seal located or one within
        ``seal_px`` of ``seal`` (x, y)."""
        (r, c), k = centre, centre_cells
        sql = ("SELECT id, ink_cells, ink_sig FROM pages WHERE ink_cells BETWEEN ? AND ? AND ink_sig IS NOT NULL "
               "AND (ink_row IS NULL OR (ink_row BETWEEN ? AND ? AND ink_col BETWEEN ? AND ?))")
        args: tuple = (cells[0], cells[1], r - k, r + k, c - k, c + k)
        if seal is not None:
            (x, y), d = seal, seal_px
            sql += " AND (seal_x IS NULL OR (seal_x BETWEEN ? AND ? AND seal_y BETWEEN ? AND ?))"
            args += (x - d, x + d, y - d, y + d)
        yield from self.con.execute(sql + " ORDER BY id", args)

    def integrity_check(self) -> str:
        """SQLite's own check of the file: "ok" or the problems found."""
        return "; ".join(r[0] for r in self.con.execute("PRAGMA integrity_check"))

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

    def machine_readings(self) -> Iterator[dict[str, Any]]:
        """Every page's file and the machine's result (for ``verify``), ordered by file and page."""
        for r in self.con.execute("SELECT id, source, page, file_sha256, machine_status, machine_votes, machine_reasons "
                                  "FROM pages ORDER BY source, page, id"):
            yield {**dict(r), "machine_votes": json.loads(r["machine_votes"]),
                   "machine_reasons": json.loads(r["machine_reasons"])}

    def status_counts(self) -> dict[str, int]:
        return {r["status"]: r["n"] for r in self.con.execute("SELECT status, COUNT(*) AS n FROM pages GROUP BY status")}

    def valid_votes(self) -> Iterator[tuple[list[str], list[str]]]:
        for r in self.con.execute("SELECT votes, against FROM pages WHERE status = 'valid'"):
            yield json.loads(r["votes"]), json.loads(r["against"])

    def reason_counts(self, status: str) -> dict[str, int]:
        """How many pages of ``status`` give each reason (a page may give several)."""
        out: dict[str, int] = {}
        for r in self.con.execute("SELECT reasons FROM pages WHERE status = ?", (status,)):
            for reason in json.loads(r["reasons"]):
                out[reason] = out.get(reason, 0) + 1
        return out

    # --- decisions --------------------------------------------------------------------------------
    def resolve(self, ballot_id: int, reviewer: str, status: str, votes: list[str], reasons: list[str],
                against: list[str] | None = None, *, expect_version: int | None = None, action: str = "decide",
                note: str = "") -> int:
        """Record a person's decision on a page, with what it replaces, in one transaction.

        The decision also goes into the audit log (``action``, ``note``). With ``expect_version`` (the
        number of decisions on the page when the reviewer looked at it) a decision made on an older
        state is refused with StaleDecision. Returns the page's new version.
        """
        self.prepare_review()
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            if expect_version is not None and self.version(ballot_id) != expect_version:
                raise StaleDecision(ballot_id, self.last_resolution(ballot_id))
            self._apply(ballot_id, reviewer, {"status": status, "votes": votes, "against": against or [],
                                              "reasons": reasons}, action, note)
            return self.version(ballot_id)

    def _apply(self, ballot_id: int, reviewer: str, after: dict[str, Any], action: str, note: str) -> None:
        """Inside a transaction: store the decision, log it, end holds and proposals on the page."""
        row = self.con.execute("SELECT status, votes, reasons FROM pages WHERE id = ?", (ballot_id,)).fetchone()
        before = {"status": row["status"], "votes": json.loads(row["votes"]), "reasons": json.loads(row["reasons"])}
        at = now()
        dumps = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
        self.con.execute(
            "INSERT INTO resolutions (page_id, reviewer, at, before, status, votes, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ballot_id, reviewer, at, dumps(before), after["status"], dumps(after["votes"]), dumps(after["reasons"])))
        self.con.execute("UPDATE pages SET status = ?, votes = ?, against = ?, reasons = ? WHERE id = ?",
                         (after["status"], dumps(after["votes"]), dumps(after["against"]), dumps(after["reasons"]),
                          ballot_id))
        self._audit_append(at, reviewer, action, ballot_id, before, after, note)
        self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
        self.con.execute("DELETE FROM proposals WHERE page_id = ?", (ballot_id,))

    def resolutions(self, ballot_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM resolutions", ()
        if ballot_id is not None:
            sql, args = sql + " WHERE page_id = ?", (ballot_id,)
        return [dict(r) for r in self.con.execute(sql + " ORDER BY id", args)]

    def failures(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute("SELECT * FROM failures ORDER BY id")]

    # --- review in the browser: reviewers, sessions, holds, two-person proposals, audit log ---------
    def prepare_review(self) -> None:
        """Add the review tables and the audit triggers to a count made before they existed (idempotent)."""
        if getattr(self, "_review_ready", False):
            return
        if not self.con.in_transaction:
            for stmt in _statements(SCHEMA):
                self.con.execute(stmt)
            for stmt in AUDIT_TRIGGERS:
                self.con.execute(stmt)
            self._review_ready = True

    def version(self, ballot_id: int) -> int:
        """How many decisions were made on the page: a decision is made on one version."""
        return self.con.execute("SELECT COUNT(*) AS n FROM resolutions WHERE page_id = ?", (ballot_id,)).fetchone()["n"]

    def last_resolution(self, ballot_id: int) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM resolutions WHERE page_id = ? ORDER BY id DESC LIMIT 1",
                               (ballot_id,)).fetchone()
        return dict(row) if row else None

    def add_reviewer(self, name: str, role: str, pw_hash: str, by: str, reset: bool = False) -> bool:
        """Add a reviewer (or, with ``reset``, give an existing one a new password); False if the name is taken."""
        self.prepare_review()
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            exists = self.con.execute("SELECT 1 FROM reviewers WHERE name = ?", (name,)).fetchone() is not None
            if exists and not reset:
                return False
            at = now()
            if exists:
                self.con.execute("UPDATE reviewers SET role = ?, pw_hash = ? WHERE name = ?", (role, pw_hash, name))
                self.con.execute("DELETE FROM sessions WHERE reviewer = ?", (name,))
            else:
                self.con.execute("INSERT INTO reviewers (name, role, pw_hash, created_at) VALUES (?, ?, ?, ?)",
                                 (name, role, pw_hash, at))
            self._audit_append(at, by, "reviewer_add", None, {}, {"name": name, "role": role},
                               "reset" if exists else "")
        return True

    def reviewer(self, name: str) -> dict[str, Any] | None:
        self.prepare_review()
        row = self.con.execute("SELECT * FROM reviewers WHERE name = ?", (name,)).fetchone()
        return dict(row) if row else None

    def reviewers(self) -> list[dict[str, Any]]:
        self.prepare_review()
        return [dict(r) for r in self.con.execute("SELECT name, role, created_at FROM reviewers ORDER BY created_at, name")]

    def add_session(self, token_hash: str, reviewer: str, csrf: str, expires: float) -> None:
        self.con.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
        self.con.execute("INSERT INTO sessions (token_hash, reviewer, csrf, expires) VALUES (?, ?, ?, ?)",
                         (token_hash, reviewer, csrf, expires))

    def session(self, token_hash: str) -> dict[str, Any] | None:
        """The signed-in reviewer (name, role, csrf) of an unexpired session, or None."""
        row = self.con.execute(
            """SELECT s.token_hash, s.reviewer, s.csrf, s.expires, r.role FROM sessions s
               JOIN reviewers r ON r.name = s.reviewer WHERE s.token_hash = ? AND s.expires > ?""",
            (token_hash, time.time())).fetchone()
        return dict(row) if row else None

    def extend_session(self, token_hash: str, expires: float) -> None:
        self.con.execute("UPDATE sessions SET expires = ? WHERE token_hash = ?", (expires, token_hash))

    def end_session(self, token_hash: str) -> None:
        self.con.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))

    def hold(self, ballot_id: int, reviewer: str, seconds: float) -> dict[str, Any]:
        """Hold a ballot for ``reviewer`` unless someone else holds it; returns the hold in force."""
        t = time.time()
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            row = self.con.execute("SELECT reviewer, until FROM holds WHERE page_id = ?", (ballot_id,)).fetchone()
            if row and row["until"] > t and row["reviewer"] != reviewer:
                return dict(row)
            self.con.execute("INSERT OR REPLACE INTO holds (page_id, reviewer, until) VALUES (?, ?, ?)",
                             (ballot_id, reviewer, t + seconds))
        return {"reviewer": reviewer, "until": t + seconds}

    def release(self, ballot_id: int, reviewer: str) -> None:
        self.con.execute("DELETE FROM holds WHERE page_id = ? AND reviewer = ?", (ballot_id, reviewer))

    def holds(self) -> dict[int, dict[str, Any]]:
        """Unexpired holds by ballot ID."""
        return {r["page_id"]: dict(r) for r in
                self.con.execute("SELECT * FROM holds WHERE until > ?", (time.time(),))}

    def proposals(self, ballot_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM proposals", ()
        if ballot_id is not None:
            sql, args = sql + " WHERE page_id = ?", (ballot_id,)
        return [{**dict(r), "decision": json.loads(r["decision"])} for r in self.con.execute(sql, args)]

    def decide_two_person(self, ballot_id: int, reviewer: str, decision: dict[str, Any], expect_version: int) -> str:
        """--two-person: the first decision waits, an agreeing second one is put in force, a disagreeing one
        sends the ballot back to the queue. Returns "proposed", "agreed" or "disagreed"."""
        self.prepare_review()
        decision = {"status": decision["status"], "votes": decision["votes"], "against": decision.get("against", []),
                    "reasons": decision["reasons"]}
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            if self.version(ballot_id) != expect_version:
                raise StaleDecision(ballot_id, self.last_resolution(ballot_id))
            others = [p for p in self.proposals(ballot_id) if p["reviewer"] != reviewer and p["version"] == expect_version]
            at = now()
            before = self.page(ballot_id)
            before = {"status": before["status"], "votes": before["votes"], "reasons": before["reasons"]}
            if not others:
                self.con.execute("INSERT OR REPLACE INTO proposals (page_id, reviewer, version, decision, at) "
                                 "VALUES (?, ?, ?, ?, ?)", (ballot_id, reviewer, expect_version,
                                                            json.dumps(decision, ensure_ascii=False), at))
                self._audit_append(at, reviewer, "propose", ballot_id, before, decision, "")
                self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
                return "proposed"
            first = others[0]
            if first["decision"] == decision:
                self._apply(ballot_id, f"{first['reviewer']}; {reviewer}", decision, "decide",
                            f"two-person: {first['reviewer']}; {reviewer}")
                return "agreed"
            self._audit_append(at, reviewer, "disagree", ballot_id, first["decision"], decision, first["reviewer"])
            self.con.execute("DELETE FROM proposals WHERE page_id = ?", (ballot_id,))
            self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
            return "disagreed"

    def _audit_append(self, at: str, actor: str, action: str, page_id: int | None, before: Any, after: Any,
                      reason: str) -> None:
        """Inside a transaction: append one hash-chained entry and move the head kept in meta."""
        from .review.audit import GENESIS, canonical, entry_hash
        last = self.con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        e = {"seq": last["seq"] + 1 if last else 1, "at": at, "actor": actor, "action": action, "page_id": page_id,
             "before": canonical(before), "after": canonical(after), "reason": reason or "",
             "prev_hash": last["hash"] if last else GENESIS}
        e["hash"] = entry_hash(e)
        self.con.execute("INSERT INTO audit (seq, at, actor, action, page_id, before, after, reason, prev_hash, hash) "
                         "VALUES (:seq, :at, :actor, :action, :page_id, :before, :after, :reason, :prev_hash, :hash)", e)
        self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
                         (json.dumps([e["seq"], e["hash"]]),))

    def audit_entries(self) -> list[dict[str, Any]]:
        self.prepare_review()
        return [dict(r) for r in self.con.execute("SELECT * FROM audit ORDER BY seq")]

    def audit_head(self) -> tuple[int, str] | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        return tuple(json.loads(row["value"])) if row else None


def _page_dict(row: sqlite3.Row) -> dict[str, Any]:
    d = dict(row)
    d.pop("ink_sig", None)    # binary, for double-feed checks only
    for k in ("machine_votes", "machine_reasons", "votes", "against", "reasons", "reading", "registration"):
        d[k] = json.loads(d[k])
    return d
