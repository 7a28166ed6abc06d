"""The page log: the set of pages is tamper-evident. A page deleted, added or edited by hand with an SQLite
shell — its reading, its machine result, with or without its decisions — is named by `audit --verify`
and by `verify`; a count of an earlier version gets its log when upgraded, and says since when."""
from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiemphieu.store import Count
from kiemphieu.store.pagelog import entry_hash, verify

from conftest import kp

DATA = Path(__file__).parent / "data"


@pytest.fixture
def count(strike_count, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    dst = tmp_path / "c.kp"
    with contextlib.closing(sqlite3.connect(strike_count)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def sql(count: Path, *statements: str) -> None:
    """What someone with the file and an SQLite shell could do (triggers dropped first)."""
    with contextlib.closing(sqlite3.connect(count)) as con:
        for t in ("page_log_no_update", "page_log_no_delete", "audit_no_update", "audit_no_delete"):
            con.execute(f"DROP TRIGGER IF EXISTS {t}")
        for s in statements:
            con.execute(s)
        con.commit()


def problems(count: Path) -> str:
    res = kp("audit", count, "--verify", ok=False)
    assert res.exit_code == 1, res.output
    return res.output


def a_valid_and_a_review_page(count: Path) -> tuple[int, int]:
    c = Count.open(count, readonly=True)
    try:
        return next(c.pages("valid"))["id"], next(c.pages("review"))["id"]
    finally:
        c.close()


def test_an_untouched_count_verifies(count):
    res = kp("audit", count, "--verify")
    n = sqlite3.connect(count).execute("SELECT COUNT(*) FROM pages").fetchone()[0]
    assert f"Page log intact: {n} pages" in res.output and "starts when" not in res.output


@pytest.mark.parametrize("case", ["deleted", "deleted with its decisions", "added", "reading edited",
                                  "machine votes edited", "against edited", "last page and its entry deleted",
                                  "entry edited"])
def test_a_page_changed_by_hand_is_named(count, case):
    valid, review = a_valid_and_a_review_page(count)
    kp("resolve", count, review, "--reviewer", "Lê Thị Hoa", "--invalid", "overvote")
    last = sqlite3.connect(count).execute("SELECT MAX(id) FROM pages").fetchone()[0]
    cols = ("source, page, file_sha256, sha256, machine_status, machine_votes, machine_reasons, status, votes, "
            "reasons, reading, registration, scanned_at")
    edits = {
        "deleted": ([f"DELETE FROM pages WHERE id = {valid}"], f"ballot {valid} was deleted"),
        "deleted with its decisions": (
            [
                f"DELETE FROM resolutions WHERE page_id = {review}",
                f"DELETE FROM audit WHERE page_id = {review}",
                f"DELETE FROM pages WHERE id = {review}",
            ],
            f"ballot {review} was deleted",
        ),
        "added": (
            [f"INSERT INTO pages ({cols}) SELECT {cols.replace('page,', 'page + 1,')} FROM pages WHERE id = {valid}"],
            f"ballot {last + 1} was added to the count without being scanned",
        ),
        "reading edited": (
            [f"UPDATE pages SET reading = replace(reading, '\"struck\"', '\"kept\"') WHERE id = {valid}"],
            f"ballot {valid}: the machine's reading or the stored page was edited",
        ),
        "machine votes edited": (
            [f"UPDATE pages SET machine_votes = '[]', votes = '[]' WHERE id = {valid}"],
            f"ballot {valid}: the machine's reading or the stored page was edited",
        ),
        "against edited": (
            [f"UPDATE pages SET machine_against = '[\"X\"]', against = '[\"X\"]' WHERE id = {valid}"],
            f"ballot {valid}: the machine's reading or the stored page was edited",
        ),
        "last page and its entry deleted": (
            [f"DELETE FROM pages WHERE id = {last}", f"DELETE FROM page_log WHERE page_id = {last}"],
            "newest pages deleted or edited",
        ),
        "entry edited": (
            # its first two hex digits changed, whatever they were (a fixed 'ab' left 1 hash in 256 as it was)
            ["UPDATE page_log SET hash = (CASE WHEN substr(hash, 1, 2) = 'ab' THEN 'cd' ELSE 'ab' END)"
             " || substr(hash, 3) WHERE seq = 2"],
            "page log entry 3: does not link to the entry before",
        ),
    }
    statements, said = edits[case]
    sql(count, *statements)
    out = problems(count)
    assert said in out, out
    if case in ("deleted with its decisions", "reading edited"):    # a recount reads every page: two cases
        res = kp("verify", count, "--quiet", ok=False)
        assert res.exit_code == 1 and "Page log: " + said in res.output, res.output


def test_the_hash_covers_every_field_and_the_reading():
    page = {"id": 7, "page": 1, "file_sha256": "f" * 64, "sha256": "c" * 64, "machine_status": "valid",
            "machine_votes": '["A"]', "machine_against": "[]", "machine_reasons": "[]",
            "scanned_at": "2026-01-01T08:00:00+07:00", "reading": '{"names": []}'}
    h = entry_hash(1, "0" * 64, page)
    for key in page:
        changed = dict(page, **{key: page[key] + 1 if isinstance(page[key], int) else page[key] + " "})
        assert entry_hash(1, "0" * 64, changed) != h, key
    assert entry_hash(2, "0" * 64, page) != h and entry_hash(1, "1" * 64, page) != h
    row = {"seq": 1, "page_id": 7, "prev_hash": "0" * 64, "hash": h, **page}
    assert verify([row], (1, h), []) == []
    assert [p.what for p in verify([row], (1, h), [8])] == ["pages_bad_added"]
    assert [p.what for p in verify([], (1, h), [7])] == ["pages_bad_head", "pages_bad_added"]


def test_an_upgraded_count_gets_its_log_and_says_since_when(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    count = tmp_path / "v1.kp"
    shutil.copy(DATA / "count-v1.kp", count)
    res = kp("audit", count, "--verify")
    assert "Page log intact: 12 pages" in res.output
    assert "The page log starts when the count was upgraded" in res.output and "the 12 pages it held then" in res.output
    since = json.loads(
        sqlite3.connect(count).execute("SELECT value FROM meta WHERE key = 'page_log_since'").fetchone()[0]
    )
    assert since["pages"] == 12
    sql(count, "DELETE FROM pages WHERE id = 4")
    assert "ballot 4 was deleted" in problems(count)


def test_the_scan_stays_one_hash_a_page(count, monkeypatch):
    """Storing a page hashes it once: the chain costs no second pass over the reading."""
    import hashlib

    from kiemphieu.store import pagelog
    calls = []
    real = hashlib.sha256
    monkeypatch.setattr(pagelog.hashlib, "sha256", lambda *a: calls.append(1) or real(*a))
    c = Count.open(count)
    try:
        p = c.page(1)
        from kiemphieu.records import Verdict
        bid = c.add_page(source="x.jpg", page=1, file_sha256="e" * 64, sha256="e" * 64,
                         verdict=Verdict.from_dict({"status": p["machine_status"], "votes": p["machine_votes"]}),
                         reading=p["reading"], registration={})
    finally:
        c.close()
    assert bid is not None and len(calls) == 1
    kp("audit", count, "--verify")
