"""The pages of a count: each page's reading and verdict, stored once, in its own transaction.

A page's file name is stored as text people can read (``source``); a name that is not UTF-8 (a file
from an old Windows or a camera) is shown with its odd bytes escaped (``\\xea``) and its bytes kept in
``source_raw``, so the file is found again exactly (``path``). Every page stored is also written into
the page log (``pagelog``) in the same transaction.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..records import Reason, Verdict, reasons_from
from .clock import now
from .pagelog import PageLog

JSON_COLUMNS = ("machine_votes", "machine_against", "votes", "against", "reading", "registration")
REASON_COLUMNS = ("machine_reasons", "reasons")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def reasons_json(reasons: list[Reason]) -> str:
    return dumps([r.to_dict() for r in reasons])


def source_text(path: str | os.PathLike) -> str:
    """A file name as text that can be shown and stored anywhere: bytes that are not UTF-8 as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def source_columns(path: str) -> tuple[str, bytes | None]:
    """(source, source_raw) to store for a file name: the raw bytes only when the text cannot hold them."""
    text = source_text(path)
    return text, (None if text == path else os.fsencode(path))


def _with_path(d: dict[str, Any]) -> dict[str, Any]:
    """A stored page with ``path``: the file to open — ``source`` (its raw bytes when they are not UTF-8),
    taken from the folder the scan ran in when it was given relative to it."""
    raw = d.pop("source_raw", None)
    folder = d.pop("folder", None)
    path = os.fsdecode(raw) if raw is not None else d["source"]
    d["path"] = os.path.join(os.fsdecode(folder), path) if folder is not None and not os.path.isabs(path) else path
    return d


def page_dict(row: sqlite3.Row) -> dict[str, Any]:
    """A stored page: JSON decoded, reasons as ``records.Reason``, ``path`` to open its file."""
    d = dict(row)
    d.pop("ink_sig", None)    # binary, for double-feed checks only
    for k in JSON_COLUMNS:
        d[k] = json.loads(d[k])
    for k in REASON_COLUMNS:
        d[k] = reasons_from(json.loads(d[k]))
    return _with_path(d)


class Pages(PageLog):
    """Pages of a count (mixed into ``store.Count``; ``self.con`` is its connection)."""

    def add_page(self, *, source: str, page: int, file_sha256: str, sha256: str, verdict: Verdict,
                 reading: dict[str, Any], registration: dict[str, Any], ink_cells: int | None = None,
                 ink_sig: bytes | None = None, ink_centre: tuple[int, int] | None = None,
                 seal: tuple[int, int] | None = None) -> int | None:
        """Store one page's result atomically; returns its ballot ID, or None if it was already counted.

        ``ink_cells``, ``ink_sig``, ``ink_centre`` (row, column) and ``seal`` (x, y) are what double feeds
        are found by (detect/doublefeed.py)."""
        row, col = ink_centre if ink_centre else (None, None)
        seal_x, seal_y = seal if seal else (None, None)
        text, raw = source_columns(source)
        record = {"page": page, "file_sha256": file_sha256, "sha256": sha256, "machine_status": str(verdict.status),
                  "machine_votes": dumps(verdict.votes), "machine_against": dumps(verdict.against),
                  "machine_reasons": reasons_json(verdict.reasons), "scanned_at": now(), "reading": dumps(reading)}
        with self.con:
            self.con.execute("BEGIN IMMEDIATE")
            cur = self.con.execute(
                """INSERT OR IGNORE INTO pages (source, source_raw, folder, page, file_sha256, sha256, machine_status,
                       machine_votes, machine_against, machine_reasons, status, votes, against, reasons, reading,
                       registration, scanned_at, ink_cells, ink_sig, ink_row, ink_col, seal_x, seal_y)
                   VALUES (:source, :source_raw, :folder, :page, :file_sha256, :sha256, :machine_status, :machine_votes,
                       :machine_against, :machine_reasons, :machine_status, :machine_votes, :machine_against,
                       :machine_reasons, :reading, :registration, :scanned_at, :ink_cells, :ink_sig, :ink_row,
                       :ink_col, :seal_x, :seal_y)""",
                {**record, "source": text, "source_raw": raw, "folder": os.fsencode(os.getcwd()),
                 "registration": dumps(registration),
                 "ink_cells": ink_cells, "ink_sig": ink_sig, "ink_row": row, "ink_col": col, "seal_x": seal_x,
                 "seal_y": seal_y})
            if not cur.rowcount:
                return None
            record["id"] = cur.lastrowid
            self._page_log_append(record)
        return record["id"]

    def add_failure(self, source: str, page: int | None, error: str) -> None:
        self.con.execute("INSERT INTO failures (source, page, error, at) VALUES (?, ?, ?, ?)",
                         (source_text(source), page, error, now()))

    def page(self, ballot_id: int) -> dict[str, Any] | None:
        row = self.con.execute("SELECT * FROM pages WHERE id = ?", (ballot_id,)).fetchone()
        return page_dict(row) if row else None

    def pages(self, status: str | None = None) -> Iterator[dict[str, Any]]:
        sql, args = "SELECT * FROM pages", ()
        if status:
            sql, args = sql + " WHERE status = ?", (status,)
        for row in self.con.execute(sql + " ORDER BY id", args):
            yield page_dict(row)

    def pages_of_file(self, file_sha256: str) -> list[dict[str, Any]]:
        """(id, source, path, page) of the counted pages of the file with this hash."""
        return [_with_path(dict(r)) for r in self.con.execute(
            "SELECT id, source, source_raw, folder, page FROM pages WHERE file_sha256 = ? ORDER BY page",
            (file_sha256,))]

    def page_with_sha(self, sha256: str) -> dict[str, Any] | None:
        """The counted page with this content hash (id, source, path, page), if any."""
        row = self.con.execute(
            "SELECT id, source, source_raw, folder, page FROM pages WHERE sha256 = ? ORDER BY id LIMIT 1", (sha256,)
        ).fetchone()
        return _with_path(dict(row)) if row else None

    def readings_like(self, machine_status: str, machine_votes: list[str], seal: tuple[int, int],
                      seal_px: int) -> Iterator[tuple[int, dict]]:
        """(id, reading) of pages the machine read with this status and these votes, their seal within
        ``seal_px`` of ``seal`` (x, y)."""
        (x, y), d = seal, seal_px
        for r in self.con.execute(
            "SELECT id, reading FROM pages WHERE seal_x BETWEEN ? AND ? AND seal_y BETWEEN ? AND ? "
            "AND machine_status = ? AND machine_votes = ? ORDER BY id",
            (x - d, x + d, y - d, y + d, str(machine_status), dumps(machine_votes)),
        ):
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

    def machine_readings(self) -> Iterator[dict[str, Any]]:
        """Every page's file (``source`` to show, ``path`` to open) and the machine's result (for ``verify``),
        ordered by file and page."""
        for r in self.con.execute(
            "SELECT id, source, source_raw, folder, page, file_sha256, machine_status, machine_votes, "
            "machine_reasons FROM pages ORDER BY source, page, id"
        ):
            yield _with_path({**dict(r), "machine_votes": json.loads(r["machine_votes"]),
                              "machine_reasons": reasons_from(json.loads(r["machine_reasons"]))})

    def status_counts(self) -> dict[str, int]:
        return {
            r["status"]: r["n"] for r in self.con.execute("SELECT status, COUNT(*) AS n FROM pages GROUP BY status")
        }

    def valid_votes(self) -> Iterator[tuple[list[str], list[str]]]:
        """(votes, against) of every valid ballot."""
        for r in self.con.execute("SELECT votes, against FROM pages WHERE status = 'valid'"):
            yield json.loads(r["votes"]), json.loads(r["against"])

    def reason_counts(self, status: str) -> dict[str, int]:
        """How many ballots of ``status`` give each reason code (a ballot giving several counts once for each)."""
        out: dict[str, int] = {}
        for r in self.con.execute("SELECT reasons FROM pages WHERE status = ?", (status,)):
            for code in {x.code for x in reasons_from(json.loads(r["reasons"]))}:
                out[str(code)] = out.get(str(code), 0) + 1
        return out
