"""The audit log: every decision on a ballot, append-only, each entry chained to the one before.

An entry's hash is SHA-256 over its own fields and the previous entry's hash, so editing any field,
deleting or reordering entries breaks the chain from that point on. The hash of the last entry (the
*head*) is also kept in the count's meta table, and every page's decision in force must equal the
last decision the log holds for it, so removing the newest entries is caught too. The committee can
write the head into the minutes: a log that still ends in that hash has not been changed since.

``AuditLog`` (a part of ``store.Count``) appends and reads the entries; ``verify`` checks them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from ..records import reasons_from

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor", "action", "page_id", "before", "after", "reason", "prev_hash")

# Actions recorded in the log.
DECIDE = "decide"            # a decision in force on a ballot (CLI resolve, web, or two reviewers agreeing)
PROPOSE = "propose"          # --two-person: the first of two reviewers has decided
DISAGREE = "disagree"        # --two-person: the second reviewer disagreed; the ballot goes back to the queue
REOPEN = "reopen"            # an admin sent a decided ballot back to review
REVIEWER_ADD = "reviewer_add"
CHANGES_PAGE = (DECIDE, REOPEN)   # actions that change the page's decision in force


def canonical(value: Any) -> str:
    """One stable text for a JSON value (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 of the entry's fields (``before``/``after`` as stored text) including ``prev_hash``."""
    text = canonical([entry[k] for k in FIELDS])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclasses.dataclass
class Problem:
    seq: int | None
    what: str          # key in texts: audit_bad_*
    detail: str = ""


def verify(entries: Iterable[dict[str, Any]], head: tuple[int, str] | None,
           pages: Iterable[dict[str, Any]]) -> list[Problem]:
    """Every way the log fails to be the untouched record of the decisions in force; [] if none.

    ``entries`` in seq order, ``head`` the (seq, hash) kept in meta, ``pages`` as ``Count.pages`` gives
    them (the decision in force and the machine's).
    """
    problems: list[Problem] = []
    prev, expected_seq = GENESIS, 1
    last_after: dict[int, dict] = {}
    last_seq, last_hash = 0, GENESIS
    for e in entries:
        if e["seq"] != expected_seq:
            problems.append(Problem(e["seq"], "audit_bad_gap", f"{expected_seq}"))
        if e["prev_hash"] != prev:
            problems.append(Problem(e["seq"], "audit_bad_link"))
        if entry_hash(e) != e["hash"]:
            problems.append(Problem(e["seq"], "audit_bad_hash"))
        if e["action"] in CHANGES_PAGE and e["page_id"] is not None:
            try:
                last_after[e["page_id"]] = json.loads(e["after"])
            except (TypeError, ValueError):
                problems.append(Problem(e["seq"], "audit_bad_hash"))
        prev, expected_seq = e["hash"], e["seq"] + 1
        last_seq, last_hash = e["seq"], e["hash"]
    if (head or (0, GENESIS)) != (last_seq, last_hash):
        problems.append(Problem(last_seq or None, "audit_bad_head", f"{head}"))
    for p in pages:
        after = last_after.get(p["id"])
        if after is None:   # never decided by a person: the machine's reading must be in force
            after = {"status": p["machine_status"], "votes": p["machine_votes"],
                     "against": p.get("machine_against", []), "reasons": p["machine_reasons"]}
        if _in_force(after) != _in_force(p):
            problems.append(Problem(None, "audit_bad_page", str(p["id"])))
    return problems


def _in_force(d: dict[str, Any]) -> tuple:
    """What a decision puts in force, comparable across schema versions (reasons as records; reasons that
    are not records at all — an edited file — compare as they are; no names against before version 2)."""
    try:
        reasons = [r.to_dict() for r in reasons_from(d.get("reasons", []))]
    except (ValueError, KeyError, TypeError, AttributeError):
        reasons = ["unreadable", repr(d.get("reasons"))]
    return d.get("status"), list(d.get("votes", [])), list(d.get("against", [])), reasons


class AuditLog:
    """The audit log of a count (mixed into ``store.Count``; ``self.con`` is its connection)."""

    def _audit_append(self, at: str, actor: str, action: str, page_id: int | None, before: Any, after: Any,
                      reason: str) -> None:
        """Inside a transaction: append one hash-chained entry and move the head kept in meta."""
        last = self.con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        e = {"seq": last["seq"] + 1 if last else 1, "at": at, "actor": actor, "action": action, "page_id": page_id,
             "before": canonical(before), "after": canonical(after), "reason": reason or "",
             "prev_hash": last["hash"] if last else GENESIS}
        e["hash"] = entry_hash(e)
        self.con.execute(
            "INSERT INTO audit (seq, at, actor, action, page_id, before, after, reason, prev_hash, hash) "
            "VALUES (:seq, :at, :actor, :action, :page_id, :before, :after, :reason, :prev_hash, :hash)",
            e,
        )
        self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
                         (json.dumps([e["seq"], e["hash"]]),))

    def audit_entries(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute("SELECT * FROM audit ORDER BY seq")]

    def audit_head(self) -> tuple[int, str] | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
        return tuple(json.loads(row["value"])) if row else None
