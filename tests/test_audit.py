"""The audit log: every decision (CLI or web) is logged, hash-chained; --verify catches hand edits."""
from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest

from kiemphieu.records import Code, Reason
from kiemphieu.review.web.auth import check_password, hash_password
from kiemphieu.store import Count, StaleDecision
from kiemphieu.tally.validity import invalid_verdict, rejected_verdict

from conftest import kp


@pytest.fixture
def count(strike_count, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    dst = tmp_path / "audit.kp"
    with contextlib.closing(sqlite3.connect(strike_count)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def review_ids(count: Path) -> list[int]:
    c = Count.open(count)
    try:
        return [p["id"] for p in c.pages("review")]
    finally:
        c.close()


def decided(count: Path) -> Path:
    first, second = review_ids(count)[:2]
    kp("resolve", count, first, "--reviewer", "Trần Văn Kiểm", "--invalid", "overvote")
    kp("resolve", count, second, "--reviewer", "Lê Thị Hoa", "--reject", "tờ giấy trắng")
    kp("resolve", count, first, "--reviewer", "Trần Văn Kiểm", "--invalid", "extra_writing")
    return count


def tamper(count: Path, *sql: str) -> None:
    """What someone with the file and an SQLite shell could do."""
    with contextlib.closing(sqlite3.connect(count)) as con:
        con.execute("DROP TRIGGER IF EXISTS audit_no_update")
        con.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        for s in sql:
            con.execute(s)
        con.commit()


def test_cli_decisions_are_logged_and_verify(count):
    decided(count)
    res = kp("audit", count, "--format", "jsonl")
    entries = [json.loads(x) for x in res.output.splitlines()]
    assert [e["action"] for e in entries] == ["decide"] * 3
    assert entries[0]["actor"] == "Trần Văn Kiểm"
    assert json.loads(entries[0]["before"])["status"] == "review"
    assert json.loads(entries[2]["before"])["reasons"] == [{"code": "overvote"}]
    assert json.loads(entries[2]["after"])["reasons"] == [{"code": "extra_writing"}]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    res = kp("audit", count, "--verify")
    assert "intact: 3 entries" in res.output
    assert "Trần Văn Kiểm" in kp("audit", count).output


def test_log_refuses_update_and_delete(count):
    decided(count)
    with contextlib.closing(sqlite3.connect(count)) as con:
        for sql in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                con.execute(sql)


@pytest.mark.parametrize("sql, problem", [
    ("UPDATE audit SET actor = 'Người khác' WHERE seq = 1", "was edited"),
    ("UPDATE audit SET after = replace(after, 'not_ballot', 'x') WHERE seq = 2", "was edited"),
    ("DELETE FROM audit WHERE seq = 2", "deleted or inserted"),
    ("DELETE FROM audit WHERE seq = 3", "newest entries deleted"),
    ("UPDATE pages SET status = 'valid', reasons = '[]' WHERE id = (SELECT page_id FROM audit WHERE seq = 2)",
     "differs from the last one"),
    ("UPDATE pages SET status = 'invalid' WHERE id = (SELECT MIN(id) FROM pages WHERE status = 'valid')",
     "differs from the last one"),
])
def test_verify_catches_hand_edits(count, sql, problem):
    decided(count)
    tamper(count, sql)
    res = kp("audit", count, "--verify", ok=False)
    assert res.exit_code == 1
    assert problem in res.output
    assert "TAMPERED" in res.output


def test_deleting_the_last_entry_and_fixing_the_head_is_caught(count):
    decided(count)
    tamper(count, "DELETE FROM audit WHERE seq = 3",
           "UPDATE meta SET value = (SELECT json_array(seq, hash) FROM audit WHERE seq = 2) WHERE key = 'audit_head'")
    res = kp("audit", count, "--verify", ok=False)
    assert res.exit_code == 1 and "differs from the last one" in res.output


def test_stale_decision_refused(count):
    ballot = review_ids(count)[0]
    c = Count.open(count)
    try:
        v = c.version(ballot)
        c.resolve(ballot, "A", invalid_verdict("overvote"), expect_version=v)
        with pytest.raises(StaleDecision) as ex:
            c.resolve(ballot, "B", rejected_verdict("x"), expect_version=v)
        assert ex.value.last["reviewer"] == "A"
        assert c.page(ballot)["reasons"] == [Reason(Code.OVERVOTE)]
    finally:
        c.close()


def test_reviewer_add(count):
    res = kp("reviewer", "add", count, "Trần Văn Kiểm", "--admin")
    password = res.output.strip().rsplit(" ", 1)[1]
    c = Count.open(count)
    r = c.reviewer("Trần Văn Kiểm")
    c.close()
    assert r["role"] == "admin" and check_password(password, r["pw_hash"]) and password not in r["pw_hash"]
    again = kp("reviewer", "add", count, "Trần Văn Kiểm", ok=False)
    assert again.exit_code == 2 and "--reset" in again.output
    kp("reviewer", "add", count, "Trần Văn Kiểm", "--reset")
    assert "Trần Văn Kiểm" in kp("reviewer", "list", count).output
    kp("audit", count, "--verify")


def test_serve_needs_a_reviewer(count):
    res = kp("serve", count, ok=False)
    assert res.exit_code == 2 and "reviewer add" in res.output


def test_password_hash():
    h = hash_password("mật khẩu")
    assert check_password("mật khẩu", h) and not check_password("mat khau", h)
