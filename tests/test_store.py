"""The count file: a count of the previous release opens and upgrades; a newer one and other files are refused
untouched."""
from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiemphieu.store import Count, CountError
from kiemphieu.store.schema import SCHEMA_VERSION

from conftest import create_count, kp

DATA = Path(__file__).parent / "data"


@pytest.fixture
def v1(tmp_path) -> Path:
    """A count written by release 0.1.0 (schema version 1): samples/demo scanned, ballot 11 decided by
    votes, ballot 10 invalid with a reviewer's own words, one reviewer added."""
    count = tmp_path / "v1.kp"
    shutil.copy(DATA / "count-v1.kp", count)
    return count


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_version_1_count_upgrades_and_reads_the_same(v1, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    before = json.loads((DATA / "count-v1.tally.json").read_text(encoding="utf-8"))
    after = json.loads(kp("tally", v1, "--format", "json").output)
    assert after["ballots"] == before["ballots"] == {"valid": 8, "invalid": 3, "review": 0, "rejected": 1}
    assert [(c["name"], c["votes"]) for c in after["candidates"]] == [
        (c["name"], c["votes"]) for c in before["candidates"]
    ]
    assert sqlite3.connect(v1).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    rows = {r["ballot"]: r for r in map(json.loads, kp("export", v1).output.splitlines())}
    assert rows[10]["reasons"] == [{"code": "other", "why": "chữ ký lạ"}]
    assert rows[5]["reasons"] == [{"code": "not_ballot", "why": "no_features"}]
    c = Count.open(v1)
    try:
        machine = c.page(11)["machine_reasons"]
    finally:
        c.close()
    assert [r.to_dict() for r in machine] == [{"code": "unclear", "why": "partial_strike", "names": ["Cao Minh Nghĩa"]}]
    assert "3 entries" in kp("audit", v1, "--verify").output      # the log written by 0.1.0 still verifies
    kp("resolve", v1, 12, "--reviewer", "Lê Thị Hoa", "--votes", "Hồ Ngọc Ánh")
    assert "4 entries" in kp("audit", v1, "--verify").output


def test_a_count_from_a_newer_release_is_refused_untouched(v1, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    con = sqlite3.connect(v1)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = sha(v1)
    for args in (("tally", v1), ("scan", v1, DATA), ("resolve", v1, 1, "--reviewer", "A", "--reject", "x")):
        res = kp(*args, ok=False)
        assert res.exit_code == 2 and "schema version 99" in res.output and f"up to {SCHEMA_VERSION}" in res.output
    assert sha(v1) == before


def test_other_files_are_not_counts_and_stay_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    empty = tmp_path / "empty.kp"
    empty.write_bytes(b"")
    for path in (other, empty):
        before = sha(path)
        for args in (("tally", path), ("export", path), ("audit", path, "--verify"), ("scan", path, DATA),
                     ("resolve", path, 1, "--reviewer", "A", "--reject", "x"), ("set", path, "issued=3")):
            res = kp(*args, ok=False)
            assert res.exit_code == 2 and "is not a kiemphieu count" in res.output, (args, res.output)
            assert sha(path) == before and not Path(str(path) + "-wal").exists()
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_tally_reads_a_count_in_use_without_writing_to_it(v1, monkeypatch):
    """A scan or the web app holds the count open with decisions not yet merged into the file (in its -wal):
    the read-only commands see them and change neither file."""
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    kp("tally", v1)                                    # upgraded once, by the first command
    writer = Count.open(v1)
    writer.con.execute("PRAGMA wal_autocheckpoint = 0")
    kp("resolve", v1, 12, "--reviewer", "Lê Thị Hoa", "--reject", "tờ giấy trắng")
    wal = Path(str(v1) + "-wal")
    before = (sha(v1), sha(wal))
    try:
        ballots = json.loads(kp("tally", v1, "--format", "json").output)["ballots"]
        assert ballots == {"valid": 8, "invalid": 2, "review": 0, "rejected": 2}     # ballot 12 was invalid
        assert any(json.loads(x)["ballot"] == 12 and json.loads(x)["status"] == "rejected"
                   for x in kp("export", v1).output.splitlines())
        kp("audit", v1, "--verify")
        assert (sha(v1), sha(wal)) == before
    finally:
        writer.close()


def test_open_says_why():
    with pytest.raises(CountError) as ex:
        Count.open(DATA / "nope.kp")
    assert ex.value.code == "missing"


def test_pages_are_found_from_any_folder(strike_set, tmp_path, monkeypatch):
    """scan is given files relative to where it runs; inspect, verify and the review pictures work from
    any other folder (the folder scan ran in is stored with each page), and scanning again from the first
    folder counts nothing twice and calls nothing a copy."""
    from kiemphieu.review.web.ballots import Pictures
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")
    work = tmp_path / "scan-here"
    shutil.copytree(strike_set / "scans", work / "scans")
    monkeypatch.chdir(work)
    count = create_count(strike_set, tmp_path / "c.kp")
    kp("scan", count, "scans", "--quiet", "--jobs", 1)
    again = kp("scan", count, "scans", "--quiet", "--jobs", 1)
    assert "0 new pages" in again.output and "copy" not in again.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert kp("inspect", count, 1, "-o", "b1.png").exit_code == 0 and (elsewhere / "b1.png").is_file()
    assert "26 match, 0 files missing" in kp("verify", count, "--quiet", "--jobs", 1).output
    assert Pictures(count).get(1)[:2] == b"\xff\xd8"
    assert json.loads(kp("export", count).output.splitlines()[0])["source"].startswith("scans/")
