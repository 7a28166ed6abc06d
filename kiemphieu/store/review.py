"""Decisions by people: resolutions, reviewers, sign-in sessions, holds and two-person proposals.

Every decision is written with what it replaces and its entry in the audit log, in one transaction.
"""
from __future__ import annotations

import json
import time
from typing import Any

from ..records import Verdict
from . import audit
from .clock import now
from .pages import dumps, reasons_json


class StaleDecision(Exception):
    """A decision made on an older state of the ballot (someone decided meanwhile): refused, not saved."""

    def __init__(self, ballot_id: int, last: dict[str, Any] | None):
        super().__init__(f"ballot {ballot_id} was decided meanwhile")
        self.ballot_id, self.last = ballot_id, last   # last: the resolution now in force (reviewer, at, status)


class Review:
    """Review of a count (mixed into ``store.Count``; ``self.con`` is its connection)."""

    # --- decisions ----------------------------------------------------------------------------------
    def resolve(self, ballot_id: int, reviewer: str, verdict: Verdict, *, expect_version: int | None = None,
                action: str = audit.DECIDE, note: str = "") -> int:
        """Record a person's decision on a page, with what it replaces, in one transaction.

        The decision also goes into the audit log (``action``, ``note``). With ``expect_version`` (the
        number of decisions on the page when the reviewer looked at it) a decision made on an older
        state is refused with StaleDecision. Returns the page's new version.
        """
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            if expect_version is not None and self.version(ballot_id) != expect_version:
                raise StaleDecision(ballot_id, self.last_resolution(ballot_id))
            self._apply(ballot_id, reviewer, verdict, action, note)
            return self.version(ballot_id)

    def _in_force(self, ballot_id: int) -> dict[str, Any]:
        row = self.con.execute(
            "SELECT status, votes, against, reasons FROM pages WHERE id = ?", (ballot_id,)
        ).fetchone()
        return {"status": row["status"], "votes": json.loads(row["votes"]), "against": json.loads(row["against"]),
                "reasons": json.loads(row["reasons"])}

    def _apply(self, ballot_id: int, reviewer: str, verdict: Verdict, action: str, note: str) -> None:
        """Inside a transaction: store the decision, log it, end holds and proposals on the page."""
        before = self._in_force(ballot_id)
        after = verdict.to_dict()
        at = now()
        self.con.execute(
            "INSERT INTO resolutions (page_id, reviewer, at, before, status, votes, reasons) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                ballot_id,
                reviewer,
                at,
                dumps(before),
                after["status"],
                dumps(after["votes"]),
                reasons_json(verdict.reasons),
            ),
        )
        self.con.execute(
            "UPDATE pages SET status = ?, votes = ?, against = ?, reasons = ? WHERE id = ?",
            (after["status"], dumps(after["votes"]), dumps(after["against"]), reasons_json(verdict.reasons), ballot_id),
        )
        self._audit_append(at, reviewer, action, ballot_id, before, after, note)
        self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
        self.con.execute("DELETE FROM proposals WHERE page_id = ?", (ballot_id,))

    def resolutions(self, ballot_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM resolutions", ()
        if ballot_id is not None:
            sql, args = sql + " WHERE page_id = ?", (ballot_id,)
        return [dict(r) for r in self.con.execute(sql + " ORDER BY id", args)]

    def version(self, ballot_id: int) -> int:
        """How many decisions were made on the page: a decision is made on one version."""
        return self.con.execute("SELECT COUNT(*) AS n FROM resolutions WHERE page_id = ?", (ballot_id,)).fetchone()["n"]

    def last_resolution(self, ballot_id: int) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM resolutions WHERE page_id = ? ORDER BY id DESC LIMIT 1",
                               (ballot_id,)).fetchone()
        return dict(row) if row else None

    # --- --two-person ---------------------------------------------------------------------------------
    def proposals(self, ballot_id: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM proposals", ()
        if ballot_id is not None:
            sql, args = sql + " WHERE page_id = ?", (ballot_id,)
        return [{**dict(r), "decision": Verdict.from_dict(json.loads(r["decision"]))}
                for r in self.con.execute(sql, args)]

    def decide_two_person(self, ballot_id: int, reviewer: str, verdict: Verdict, expect_version: int) -> str:
        """--two-person: the first decision waits, an agreeing second one is put in force, a disagreeing one
        sends the ballot back to the queue. Returns "proposed", "agreed" or "disagreed"."""
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            if self.version(ballot_id) != expect_version:
                raise StaleDecision(ballot_id, self.last_resolution(ballot_id))
            others = [
                p for p in self.proposals(ballot_id) if p["reviewer"] != reviewer and p["version"] == expect_version
            ]
            at = now()
            if not others:
                self.con.execute("INSERT OR REPLACE INTO proposals (page_id, reviewer, version, decision, at) "
                                 "VALUES (?, ?, ?, ?, ?)", (ballot_id, reviewer, expect_version,
                                                            dumps(verdict.to_dict()), at))
                self._audit_append(at, reviewer, audit.PROPOSE, ballot_id, self._in_force(ballot_id),
                                   verdict.to_dict(), "")
                self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
                return "proposed"
            first = others[0]
            if first["decision"].to_dict() == verdict.to_dict():
                self._apply(ballot_id, f"{first['reviewer']}; {reviewer}", verdict, audit.DECIDE,
                            f"two-person: {first['reviewer']}; {reviewer}")
                return "agreed"
            self._audit_append(at, reviewer, audit.DISAGREE, ballot_id, first["decision"].to_dict(), verdict.to_dict(),
                               first["reviewer"])
            self.con.execute("DELETE FROM proposals WHERE page_id = ?", (ballot_id,))
            self.con.execute("DELETE FROM holds WHERE page_id = ?", (ballot_id,))
            return "disagreed"

    # --- reviewers and sessions -----------------------------------------------------------------------
    def add_reviewer(self, name: str, role: str, pw_hash: str, by: str, reset: bool = False) -> bool:
        """Add a reviewer (or, with ``reset``, give an existing one a new password); False if the name is taken."""
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
            self._audit_append(at, by, audit.REVIEWER_ADD, None, {}, {"name": name, "role": role},
                               "reset" if exists else "")
        return True

    def set_password(self, name: str, pw_hash: str, keep_session: str | None = None) -> bool:
        """A reviewer's own new password (hash); every other session of his ends (all but ``keep_session``,
        a token hash). False if there is no such reviewer."""
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            cur = self.con.execute("UPDATE reviewers SET pw_hash = ? WHERE name = ?", (pw_hash, name))
            self.con.execute("DELETE FROM sessions WHERE reviewer = ? AND token_hash IS NOT ?", (name, keep_session))
        return cur.rowcount == 1

    def reviewer(self, name: str) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM reviewers WHERE name = ?", (name,)).fetchone()
        return dict(row) if row else None

    def reviewers(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self.con.execute("SELECT name, role, created_at FROM reviewers ORDER BY created_at, name")
        ]

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

    # --- holds ------------------------------------------------------------------------------------------
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


