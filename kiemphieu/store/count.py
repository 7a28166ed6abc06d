"""Opening, creating and upgrading a count file; the election, layout, blank and settings it holds.

A count on a disk that cannot be written (a CD, a write-protected stick, a read-only share) opens for
reading all the same: as SQLite's ``immutable`` file, or — when a write-ahead log is left beside it,
whose pages would then be missed — from a private copy of both files; a count of an earlier version is
upgraded in memory. Commands that write say the disk is read-only (``CountError("read_only")``).
``storage_problem`` tells a full or read-only disk from other errors, for the CLI and the web app.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..election import Election
from ..records import Layout
from . import schema
from .audit import AuditLog
from .clock import now
from .pages import Pages
from .review import Review


class CountError(Exception):
    """The count file cannot be used. ``code``: missing, not_count, newer, read_only, disk_full; ``kw`` for
    texts (as ``count_`` + code; the last two are ``storage_problem``s)."""

    def __init__(self, code: str, **kw: Any):
        super().__init__(code)
        self.code, self.kw = code, kw


BUSY_TIMEOUT_S = 30
# SQLite's primary result codes (sqlite3.h), the low byte of an extended code
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 8, 10, 13, 14, 26
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
DISK_FULL_BELOW_BYTES = 256 * 1024     # less free space than this: an I/O error opening a count means a full disk


def disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (almost) no room left: SQLite then fails with an I/O error
    as it makes its shared-memory file, not with "disk is full"."""
    try:
        st = os.statvfs(Path(path).resolve().parent)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < DISK_FULL_BELOW_BYTES


def storage_problem(ex: BaseException) -> str | None:
    """"disk_full" or "disk_read_only" (texts keys) when an ``sqlite3.Error``, ``OSError`` or ``CountError``
    means the disk is full or cannot be written, else None. What was being written is not half-written: a
    page or a decision is stored whole or not at all, so the same command can simply be run again."""
    if isinstance(ex, CountError):
        return {"read_only": "disk_read_only", "disk_full": "disk_full"}.get(ex.code)
    if isinstance(ex, OSError):
        return ("disk_full" if ex.errno in DISK_FULL_ERRNOS else
                "disk_read_only" if ex.errno == errno.EROFS else None)
    if isinstance(ex, sqlite3.Error):
        code = getattr(ex, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary == SQLITE_FULL or "disk is full" in str(ex):
            return "disk_full"
        if primary == SQLITE_READONLY or "readonly database" in str(ex):
            return "disk_read_only"
    return None


def _uri(path: Path, **params: str) -> str:
    return f"file:{quote(os.fsencode(path.resolve()))}?" + "&".join(f"{k}={v}" for k, v in params.items())


def _connect(path: Path, readonly: bool = False, immutable: bool = False) -> sqlite3.Connection:
    params = {"mode": "ro" if readonly or immutable else "rw"} | ({"immutable": "1"} if immutable else {})
    con = sqlite3.connect(_uri(path, **params), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    con.row_factory = sqlite3.Row
    return con


def _writable(con: sqlite3.Connection) -> None:
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")


def can_write(path: Path) -> bool:
    """Whether the count and its folder (where SQLite keeps its -wal and -shm files) can be written."""
    return os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)


def _wal_left(path: Path) -> bool:
    """Whether a write-ahead log with pages in it lies beside the count."""
    try:
        return Path(str(path) + "-wal").stat().st_size > 0
    except OSError:
        return False


def _open_unwritable(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """A connection for reading a count whose disk cannot be written, and the private folder it lives in
    (None: the file itself, as immutable)."""
    if not _wal_left(path):
        return _connect(path, immutable=True), None
    tmp = tempfile.mkdtemp(prefix="kiemphieu-")
    copy = Path(tmp) / path.name
    shutil.copyfile(path, copy)
    shutil.copyfile(str(path) + "-wal", str(copy) + "-wal")
    return _connect(copy), tmp


def _in_memory(con: sqlite3.Connection) -> sqlite3.Connection:
    """A copy of the database of ``con`` in memory (which is closed)."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    mem.row_factory = sqlite3.Row
    con.backup(mem)
    con.close()
    return mem


def _remove(folder: str | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


class Count(Pages, Review, AuditLog):
    """An open count file. The SQL of pages, review and the audit log lives in their own modules."""

    def __init__(self, con: sqlite3.Connection, path: Path, private: str | None = None):
        self.con, self.path = con, path
        self._private = private        # a private copy's folder (a count read from a read-only disk)

    # --- life cycle -------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, election: Election, layout: Layout, blank_source: str, blank_sha256: str,
               frame_png: bytes) -> Count:
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
    def open(cls, path: str | Path, readonly: bool = False) -> Count:
        """Open a count; an older one is upgraded first. ``readonly`` (tally, export) never writes to a
        file that is not a count, nor changes its journal mode, and reads a count on a read-only disk.

        Raises CountError: missing, not_count, newer (found, supported), read_only (a command that
        writes, on a disk that cannot be written).
        """
        path = Path(path)
        if not path.is_file():
            raise CountError("missing")
        writable, full, private, fallback = can_write(path), False, None, False
        try:
            con = _connect(path, readonly=True)
            found = schema.version_of(con)
        except sqlite3.DatabaseError as ex:
            code = getattr(ex, "sqlite_errorcode", 0) & 0xFF
            full = disk_full(path)
            if code == SQLITE_NOTADB or (writable and not full):
                raise CountError("not_count", error=str(ex)) from None
            if full and not readonly:
                raise CountError("disk_full") from None
            try:                   # SQLite cannot make its -shm file there: a read-only or a full disk
                con, private = _open_unwritable(path)
                found, fallback = schema.version_of(con), True
            except (sqlite3.DatabaseError, OSError) as ex2:
                raise CountError("disk_full" if full else "not_count", error=str(ex2)) from None
        if found is None or found > schema.SCHEMA_VERSION:
            con.close()
            _remove(private)
            if found is None:
                raise CountError("not_count", error="")
            raise CountError("newer", found=found, supported=schema.SCHEMA_VERSION)
        if not writable and not readonly:
            con.close()
            _remove(private)
            raise CountError("read_only")
        if found < schema.SCHEMA_VERSION and (not writable or fallback):
            con = _in_memory(con)          # read, upgraded, where it can be: the file stays as it is
            _remove(private)
            private = None
            with con:
                con.execute("BEGIN")
                schema.upgrade(con, found)
        elif found < schema.SCHEMA_VERSION or not readonly:
            con.close()
            con = _connect(path)
            try:
                _writable(con)
            except sqlite3.OperationalError as ex:
                con.close()
                problem = storage_problem(ex) or ("disk_full" if disk_full(path) else None)
                if problem:
                    raise CountError("read_only" if problem == "disk_read_only" else "disk_full") from None
                raise
            if found < schema.SCHEMA_VERSION:
                with con:
                    con.execute("BEGIN IMMEDIATE")
                    again = schema.version_of(con)       # another process may have upgraded it meanwhile
                    if again is not None and again < schema.SCHEMA_VERSION:
                        schema.upgrade(con, again)
        return cls(con, path, private)

    def close(self) -> None:
        self.con.close()
        _remove(self._private)
        self._private = None

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
