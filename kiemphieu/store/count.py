"""Opening, creating and upgrading a count file; the election, layout, blank and settings it holds."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ..election import Election
from ..records import Layout
from . import schema
from .audit import AuditLog
from .clock import now
from .pages import Pages
from .review import Review


class CountError(Exception):
    """The count file cannot be used. ``code``: missing, not_count, newer, unreadable; ``kw`` for texts."""

    def __init__(self, code: str, **kw: Any):
        super().__init__(code)
        self.code, self.kw = code, kw


BUSY_TIMEOUT_S = 30


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path.resolve().as_posix()}?mode={'ro' if readonly else 'rw'}"
    con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    con.row_factory = sqlite3.Row
    return con


def _writable(con: sqlite3.Connection) -> None:
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")


class Count(Pages, Review, AuditLog):
    """An open count file. The SQL of pages, review and the audit log lives in their own modules."""

    def __init__(self, con: sqlite3.Connection, path: Path):
        self.con, self.path = con, path

    # --- life cycle -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, election: Election, layout: Layout, blank_source: str, blank_sha256: str,
               frame_png: bytes) -> "Count":
        path = Path(path)
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        con.row_factory = sqlite3.Row
        _writable(con)
        with con:
            con.execute("BEGIN")
            schema.create(con)
            con.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("created_at", now()),
                ("election", json.dumps(election.to_dict(), ensure_ascii=False)),
                ("layout", json.dumps(layout.to_dict(), ensure_ascii=False)),
                ("settings", "{}"),
            ])
            con.execute("INSERT INTO blank (id, source, sha256, frame) VALUES (1, ?, ?, ?)",
                        (blank_source, blank_sha256, frame_png))
        return cls(con, path)

    @classmethod
    def open(cls, path: str | Path, readonly: bool = False) -> "Count":
        """Open a count; an older one is upgraded first. ``readonly`` (tally, export) never writes to a
        file that is not a count, nor changes its journal mode.

        Raises CountError: missing, not_count, newer (found, supported), unreadable (error).
        """
        path = Path(path)
        if not path.is_file():
            raise CountError("missing")
        try:
            con = _connect(path, readonly=True)
            found = schema.version_of(con)
        except sqlite3.DatabaseError as ex:
            raise CountError("not_count", error=str(ex)) from None
        if found is None:
            con.close()
            raise CountError("not_count", error="")
        if found > schema.SCHEMA_VERSION:
            con.close()
            raise CountError("newer", found=found, supported=schema.SCHEMA_VERSION)
        if found < schema.SCHEMA_VERSION or not readonly:
            con.close()
            con = _connect(path)
            _writable(con)
            if found < schema.SCHEMA_VERSION:
                with con:
                    con.execute("BEGIN IMMEDIATE")
                    again = schema.version_of(con)       # another process may have upgraded it meanwhile
                    if again is not None and again < schema.SCHEMA_VERSION:
                        schema.upgrade(con, again)
        return cls(con, path)

    def close(self) -> None:
        self.con.close()

    # --- what is counted --------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def election(self) -> Election:
        return Election.from_dict(json.loads(self._meta("election")))

    def settings(self) -> dict[str, Any]:
        """What the committee entered with ``kiemphieu set`` (issued, returned, committee, …)."""
        return json.loads(self._meta("settings") or "{}")

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

    def integrity_check(self) -> str:
        """SQLite's own check of the file: "ok" or the problems found."""
        return "; ".join(r[0] for r in self.con.execute("PRAGMA integrity_check"))
