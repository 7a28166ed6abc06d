"""The page log: every page stored, in order, each entry chained to the one before.

When a page is stored its entry is written in the same transaction: the hash of the entry before, and
SHA-256 over that hash, the entry's number and what the machine found on the page — its ballot ID,
page number, file and content hashes, the machine's status, votes, names against and reasons, when it
was scanned, and the stored reading itself (one hash per page). A page row deleted by hand (with or
without its decisions), a page added, a page's machine result or stored reading edited, an entry
edited, removed or reordered: each breaks the chain, and ``verify`` names the page. The head (number
and hash of the last entry) is also kept in meta, so removing the newest entries with their pages is
caught too. The file name (``source``) is not in the hash: the file is identified by its hash.

A count made before the log existed (schema version 2) gets its log when it is upgraded: every page
it holds then is entered in ID order, and ``since`` says so — what happened to those pages before the
upgrade cannot be told.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from .audit import GENESIS, Problem, canonical

# The columns of a page in its entry's hash, as stored (JSON columns as their stored text), in this order.
FIELDS = ("id", "page", "file_sha256", "sha256", "machine_status", "machine_votes", "machine_against",
          "machine_reasons", "scanned_at")
READING = "reading"                    # hashed after the fields, as stored
HEAD_KEY, SINCE_KEY = "page_log_head", "page_log_since"
PAGE_COLUMNS = ", ".join(f"p.{c}" for c in FIELDS + (READING,))


def entry_hash(seq: int, prev_hash: str, page: dict[str, Any]) -> str:
    """SHA-256 over the entry's number, the previous entry's hash and the page (``FIELDS``, then its reading)."""
    h = hashlib.sha256(canonical([seq, prev_hash] + [page[k] for k in FIELDS]).encode("utf-8"))
    h.update(b"\n")
    h.update(page[READING].encode("utf-8"))
    return h.hexdigest()


@dataclasses.dataclass
class Since:
    """The log was built when the count was upgraded, not as its pages were scanned."""
    at: str
    pages: int


def verify(rows: Iterable[dict[str, Any]], head: tuple[int, str] | None, unlogged: Iterable[int]) -> list[Problem]:
    """Every way the page log fails to be the untouched record of the pages stored; [] if none.

    ``rows``: the entries in seq order (seq, page_id, prev_hash, hash), each with its page's ``FIELDS``
    and reading (``id`` None when the page is gone); ``head`` the (seq, hash) kept in meta; ``unlogged``
    the IDs of pages with no entry. Problems are ``audit.Problem`` with ``pages_bad_*`` keys.
    """
    problems: list[Problem] = []
    prev, expected, seen = GENESIS, 1, set()
    for e in rows:
        if e["seq"] != expected:
            problems.append(Problem(e["seq"], "pages_bad_gap", str(expected)))
        if e["prev_hash"] != prev:
            problems.append(Problem(e["seq"], "pages_bad_link"))
        if e["id"] is None:
            problems.append(Problem(e["seq"], "pages_bad_missing", str(e["page_id"])))
        elif e["page_id"] in seen or entry_hash(e["seq"], e["prev_hash"], e) != e["hash"]:
            problems.append(Problem(e["seq"], "pages_bad_changed", str(e["page_id"])))
        seen.add(e["page_id"])
        prev, expected = e["hash"], e["seq"] + 1
    if (head or (0, GENESIS)) != (expected - 1, prev):
        problems.append(Problem(None, "pages_bad_head", f"{head}"))
    problems += [Problem(None, "pages_bad_added", str(i)) for i in unlogged]
    return problems


class PageLog:
    """The page log of a count (mixed into ``store.Count``; ``self.con`` is its connection)."""

    def _page_log_append(self, page: dict[str, Any]) -> None:
        """Inside the transaction that stores ``page`` (``FIELDS`` and reading as stored): its entry."""
        last = self.con.execute("SELECT seq, hash FROM page_log ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
        h = entry_hash(seq, prev, page)
        self.con.execute("INSERT INTO page_log (seq, page_id, prev_hash, hash) VALUES (?, ?, ?, ?)",
                         (seq, page["id"], prev, h))
        self.con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (HEAD_KEY, json.dumps([seq, h])))

    def page_log_head(self) -> tuple[int, str] | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (HEAD_KEY,)).fetchone()
        return tuple(json.loads(row["value"])) if row else None

    def page_log_since(self) -> Since | None:
        """When the log was built for pages already in the count (an upgraded count), or None."""
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (SINCE_KEY,)).fetchone()
        return Since(**json.loads(row["value"])) if row else None

    def page_log_problems(self) -> list[Problem]:
        """``verify`` on this count's page log and pages (reads each page's reading once, in seq order)."""
        rows = (dict(r) for r in self.con.execute(
            f"SELECT l.seq, l.page_id, l.prev_hash, l.hash, {PAGE_COLUMNS} FROM page_log l "
            "LEFT JOIN pages p ON p.id = l.page_id ORDER BY l.seq"))
        unlogged = [r[0] for r in self.con.execute(
            "SELECT id FROM pages WHERE id NOT IN (SELECT page_id FROM page_log) ORDER BY id")]
        return verify(rows, self.page_log_head(), unlogged)
