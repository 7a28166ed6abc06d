"""`kiemphieu verify`: every page's file hashed again and read again (a recount from the images)."""
from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import cv2
import numpy as np
import pytest

import ballotgen

from conftest import create_count, kp

N = 6


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("verify-set")
    ballotgen.generate_set(d, kind="strike", layout="table", n=N, seed=707)
    return d


@pytest.fixture(scope="module")
def new_count(small_set, tmp_path_factory) -> Path:
    """A count with nothing scanned yet (the blank read once for the module)."""
    count = tmp_path_factory.mktemp("verify-new") / "new.kp"
    create_count(small_set, count)
    return count


def scanned(small_set: Path, new_count: Path, tmp: Path) -> tuple[Path, Path]:
    """A copy of the new count and of the scans, the copy scanned: (count, scans folder)."""
    count = tmp / "c.kp"
    with contextlib.closing(sqlite3.connect(new_count)) as a, contextlib.closing(sqlite3.connect(count)) as b:
        a.backup(b)
    scans = tmp / "scans"
    shutil.copytree(small_set / "scans", scans)
    kp("scan", count, scans, "--jobs", 1, "--quiet")
    return count, scans


def test_a_clean_count_verifies(small_set, new_count, tmp_path):
    count, _ = scanned(small_set, new_count, tmp_path)
    res = kp("verify", count, "--jobs", 2, "--quiet")          # Vietnamese by default; two worker processes
    assert f"Kiểm tra {N} trang: {N} khớp, 0 thiếu tệp, 0 tệp bị thay đổi, 0 đọc lại khác" in res.output
    assert "Mọi trang khớp" in res.output


def test_altered_deleted_and_hand_edited_are_reported(small_set, new_count, tmp_path):
    count, scans = scanned(small_set, new_count, tmp_path)
    with contextlib.closing(sqlite3.connect(count)) as con:
        rows = con.execute("SELECT id, source, machine_status, machine_votes FROM pages ORDER BY id").fetchall()
    assert len(rows) == N
    (alt_id, alt_src, *_), (del_id, del_src, *_), (edit_id, edit_src, edit_status, edit_votes) = rows[:3]

    # a file changed after counting: one more stroke drawn on the image
    g = cv2.imdecode(np.fromfile(alt_src, np.uint8), cv2.IMREAD_GRAYSCALE)
    cv2.line(g, (10, 10), (g.shape[1] // 2, 10), 0, 5)
    Path(alt_src).write_bytes(cv2.imencode(Path(alt_src).suffix, g)[1].tobytes())
    # a file deleted after counting
    Path(del_src).unlink()
    # the stored machine reading edited by hand in the count file
    forged = "invalid" if edit_status != "invalid" else "valid"
    with contextlib.closing(sqlite3.connect(count)) as con, con:
        con.execute("UPDATE pages SET machine_status = ?, status = ? WHERE id = ?", (forged, forged, edit_id))

    res = kp("--lang", "en", "verify", count, "--jobs", 1, "--quiet", ok=False)
    out = res.output
    assert res.exit_code == 1, out
    assert "Traceback" not in out
    lines = out.splitlines()
    assert any(f"Ballot {alt_id}:" in x and Path(alt_src).name in x and "altered" in x for x in lines), out
    assert any(f"Ballot {del_id}:" in x and Path(del_src).name in x and "missing" in x for x in lines), out
    edited = [x for x in lines if f"Ballot {edit_id} " in x and "reading it again gives another result" in x]
    assert edited and f"counted: {forged}" in edited[0], out
    assert (f"Checked {N} pages: {N - 3} match, 1 files missing, 1 files altered, 1 read differently, "
            "0 unreadable.") in out
    assert "There are differences" in out
    # the votes are compared too
    with contextlib.closing(sqlite3.connect(count)) as con, con:
        con.execute("UPDATE pages SET machine_status = ?, status = ? WHERE id = ?", (edit_status, edit_status, edit_id))
        votes = json.loads(edit_votes)
        con.execute("UPDATE pages SET machine_votes = ? WHERE id = ?",
                    (json.dumps(votes[:-1] if votes else ["Không Ai"], ensure_ascii=False), edit_id))
    res = kp("--lang", "en", "verify", count, "--jobs", 1, "--quiet", ok=False)
    assert res.exit_code == 1 and f"Ballot {edit_id} " in res.output and "1 read differently" in res.output
