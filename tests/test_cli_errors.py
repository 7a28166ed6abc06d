"""Messages people can act on: a full disk, a read-only disk, ballot IDs out of range, folders that do not
exist, decisions that cannot stand, election files from Windows Notepad — one clear sentence each, the
right exit code, never a traceback, and the count left whole."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

import ballotgen
from kiemphieu.cli import EXIT_BAD_INPUT, EXIT_DISK_FULL
from kiemphieu.election import ElectionError, load_election
from kiemphieu.store import Count, storage_problem

from conftest import counted, create_count, export, kp

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "samples" / "demo"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("KIEMPHIEU_LANG", "en")


def copy_of(src: Path, dst: Path) -> Path:
    with contextlib.closing(sqlite3.connect(src)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def refused(res, code: int, words: str) -> None:
    assert res.exit_code == code, res.output
    assert words in res.output and "Traceback" not in res.output, res.output
    assert len([x for x in res.output.splitlines() if x.strip()]) == 1, res.output


# --- a disk that is full or read-only (a small tmpfs: needs root and the right to mount) ------------------------

@pytest.fixture
def small_disk(tmp_path) -> Path:
    disk = tmp_path / "disk"
    disk.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3M", "tmpfs", str(disk)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here: {r.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fill(disk: Path, leave_bytes: int) -> Path:
    """Fill ``disk`` but for about ``leave_bytes``."""
    st = os.statvfs(disk)
    filler = disk / f"filler-{len(list(disk.glob('filler*')))}"
    with open(filler, "wb") as f:
        f.write(bytes(max(0, st.f_bavail * st.f_frsize - leave_bytes)))
    return filler


def pages_and_check(count: Path) -> tuple[int, str]:
    with contextlib.closing(sqlite3.connect(f"file:{count}?mode=ro", uri=True)) as con:
        return con.execute("SELECT COUNT(*) FROM pages").fetchone()[0], con.execute(
            "PRAGMA integrity_check"
        ).fetchone()[0]


def test_disk_full_during_scan_and_resolve(small_disk):
    count = create_count(DEMO, small_disk / "c.kp")
    scans = sorted((DEMO / "scans").glob("*.jpg"))
    kp("scan", count, *scans[:3], "--quiet", "--jobs", 1)
    fill(small_disk, 160 * 1024)
    res = kp("scan", count, DEMO / "scans", "--quiet", "--jobs", 2, ok=False)
    assert res.exit_code == EXIT_DISK_FULL and "Traceback" not in res.output, res.output
    assert "the disk is full — free some space and run the same command again" in res.output
    n, check = pages_and_check(count)
    assert 3 < n < len(scans) and check == "ok"
    kp("audit", count, "--verify")                       # every page stored is whole and in the page log
    for f in small_disk.glob("filler*"):
        f.unlink()
    kp("scan", count, DEMO / "scans", "--quiet", "--jobs", 1)       # the same command again finishes the job
    assert pages_and_check(count) == (len(scans), "ok")
    before = kp("tally", count, "--format", "json").output
    fill(small_disk, 0)
    res = kp("resolve", count, 1, "--reviewer", "Lê Thị Hoa", "--reject", "x", ok=False)
    assert res.exit_code == EXIT_DISK_FULL and "the disk is full" in res.output and "Traceback" not in res.output
    assert kp("tally", count, "--format", "json").output == before          # unchanged, and still read
    for f in small_disk.glob("filler*"):
        f.unlink()
    kp("resolve", count, 1, "--reviewer", "Lê Thị Hoa", "--reject", "x")
    kp("audit", count, "--verify")


def test_a_count_on_a_read_only_disk_is_read(small_disk, tmp_path):
    count = create_count(DEMO, small_disk / "c.kp")
    scans = sorted((DEMO / "scans").glob("*.jpg"))
    kp("scan", count, *scans[:3], "--quiet", "--jobs", 1)
    shutil.copy(DATA / "count-v1.kp", small_disk / "v1.kp")            # a count of the first release
    # a count copied while it was open: its latest decision is still in the write-ahead log
    live = copy_of(count, tmp_path / "live.kp")
    c = Count.open(live)
    c.con.execute("PRAGMA wal_autocheckpoint = 0")
    kp("resolve", live, 2, "--reviewer", "Lê Thị Hoa", "--reject", "x")
    shutil.copy(live, small_disk / "live.kp")
    shutil.copy(str(live) + "-wal", str(small_disk / "live.kp") + "-wal")
    c.close()
    before = {p.name: p.read_bytes() for p in small_disk.iterdir()}
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    tally = json.loads(kp("tally", count, "--format", "json").output)
    assert sum(tally["ballots"].values()) == 3
    assert len(export(count)) == 3
    kp("inspect", count, 1, "-o", tmp_path / "b1.png")
    kp("minutes", count, "-o", tmp_path / "m.html")
    kp("verify", count, "--quiet")
    kp("audit", count, "--verify")
    assert json.loads(kp("tally", small_disk / "v1.kp", "--format", "json").output)["ballots"]["valid"] == 8
    assert json.loads(kp("tally", small_disk / "live.kp", "--format", "json").output)["ballots"]["rejected"] == 1
    for args in (("resolve", count, 1, "--reviewer", "A", "--reject", "x"), ("scan", count, DEMO / "scans"),
                 ("set", count, "issued=10")):
        refused(kp(*args, ok=False), EXIT_BAD_INPUT, "is on a read-only disk")
    assert {p.name: p.read_bytes() for p in small_disk.iterdir()} == before


def test_storage_problem_for_the_web_app():
    assert storage_problem(sqlite3.OperationalError("database or disk is full")) == "disk_full"
    assert storage_problem(OSError(errno.ENOSPC, "No space left on device")) == "disk_full"
    assert storage_problem(OSError(errno.EROFS, "Read-only file system")) == "disk_read_only"
    assert storage_problem(sqlite3.OperationalError("attempt to write a readonly database")) == "disk_read_only"
    assert storage_problem(sqlite3.OperationalError("no such table: pages")) is None
    assert storage_problem(OSError(errno.ENOENT, "No such file")) is None


# --- ballot IDs, folders that do not exist ------------------------------------------------------------------------

@pytest.fixture
def count(strike_count, tmp_path) -> Path:
    return copy_of(strike_count, tmp_path / "c.kp")


@pytest.mark.parametrize("ballot", ["99999999999999999999999", "-5", "0", "abc", "1.5", "9223372036854775808"])
def test_ballot_ids_out_of_range(count, ballot):
    refused(kp("resolve", count, ballot, "--reviewer", "A", "--reject", "x", ok=False), EXIT_BAD_INPUT,
            f"A ballot ID is a whole number from 1 (1, 2, 3 …), not '{ballot}'")
    refused(kp("inspect", count, ballot, ok=False), EXIT_BAD_INPUT, "A ballot ID is a whole number")


def test_a_ballot_id_that_is_not_in_the_count(count):
    refused(kp("resolve", count, "9223372036854775807", "--reviewer", "A", "--reject", "x", ok=False),
            EXIT_BAD_INPUT, "There is no ballot 9223372036854775807")


def test_files_into_a_folder_that_does_not_exist(count, strike_set, tmp_path):
    missing = tmp_path / "không có"
    refused(kp("new", missing / "c.kp", "--election", strike_set / "election.toml", "--template",
               strike_set / "blank.png", ok=False), EXIT_BAD_INPUT, f"the folder {missing} does not exist")
    refused(kp("minutes", count, "-o", missing / "m.pdf", ok=False), EXIT_BAD_INPUT, "does not exist")
    refused(kp("inspect", count, 1, "-o", missing / "b.png", ok=False), EXIT_BAD_INPUT, "does not exist")
    assert not missing.exists()



def test_a_file_that_cannot_be_written_is_named(count, tmp_path, monkeypatch):
    """Tests run as root, who writes everywhere: the refusal is simulated where the minutes are written."""
    from kiemphieu.tally import minutes

    def write(*args, **kw):
        raise PermissionError(13, "Permission denied", args[-1])
    monkeypatch.setattr(minutes, "write", write)
    out = tmp_path / "biên bản.html"
    refused(kp("minutes", count, "-o", out, ok=False), EXIT_BAD_INPUT, f"{out}: Permission denied")


# --- decisions that cannot stand --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def approve_count(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("approve")
    ballotgen.generate_set(d, kind="approve", layout="table", n=3, seed=1401, cases=["yes-no"])
    return counted(d, tmp_path_factory.mktemp("approve-count"))


def test_resolve_refuses_a_name_both_for_and_against(approve_count, tmp_path):
    count = copy_of(approve_count, tmp_path / "c.kp")
    name = load_election(next(approve_count.parent.parent.glob("approve*/election.toml"))).labels[0]
    before = kp("tally", count, "--format", "json").output
    res = kp("resolve", count, 1, "--reviewer", "A", "--votes", name, "--against", name, ok=False)
    refused(res, EXIT_BAD_INPUT, f"A name cannot be both for and against: {name}")
    assert kp("tally", count, "--format", "json").output == before
    kp("resolve", count, 1, "--reviewer", "A", "--votes", name, "--against", "")        # none against: fine


def test_resolve_refuses_against_on_a_strike_ballot(count):
    c = Count.open(count, readonly=True)
    name = c.election().labels[0]
    c.close()
    for against in (name, ""):
        refused(kp("resolve", count, 1, "--reviewer", "A", "--votes", name, "--against", against, ok=False),
                EXIT_BAD_INPUT, "--against is only for yes/no ballots")
    assert sqlite3.connect(count).execute("SELECT COUNT(*) FROM resolutions").fetchone()[0] == 0


# --- election files -------------------------------------------------------------------------------------------

ELECTION = 'title = "Bầu Ban Chấp hành"\nseats = 1\ncandidates = ["Nguyễn Văn An", "Trần Thị Bình"]\n'


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-8"])
def test_an_election_file_from_windows_notepad_is_read(tmp_path, encoding):
    path = tmp_path / "e.toml"
    path.write_bytes(ELECTION.replace("\n", "\r\n").encode(encoding))
    e = load_election(path)
    assert e.title == "Bầu Ban Chấp hành" and e.labels == ["Nguyễn Văn An", "Trần Thị Bình"]


def test_no_candidates_is_said_as_such(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text(ELECTION.replace('["Nguyễn Văn An", "Trần Thị Bình"]', "[]"), encoding="utf-8")
    with pytest.raises(ElectionError, match="the list of candidates is empty"):
        load_election(path)
    path.write_text(ELECTION.replace('candidates = ["Nguyễn Văn An", "Trần Thị Bình"]\n', ""), encoding="utf-8")
    with pytest.raises(ElectionError, match="'candidates' is missing"):
        load_election(path)
