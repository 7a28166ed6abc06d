"""Crash safety: kill -9 at random moments during `scan`, `resolve` and `serve`.

The real command (``.venv/bin/kiemphieu``) runs in its own process group and is killed with SIGKILL
after a random delay. After every kill the count must open and pass ``PRAGMA integrity_check``, no
decision may be half applied (the page, the decisions table and the audit log agree), and a scan run
again to its end must give exactly what one uninterrupted scan gives. The seed is printed in every
failure message; set ``KP_CRASH_SEED`` to replay it.
"""
from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

import ballotgen
from kiemphieu.records import reasons_from
from kiemphieu.store import Count
from kiemphieu.store.audit import verify as audit_verify

SCAN_KILLS = 20            # kill -9 during scan at least this many times
RESOLVE_KILLS = 10
SERVE_KILLS = 5
KILL_AFTER_S = (0.2, 3.0)
SEED = int(os.environ.get("KP_CRASH_SEED", time.time_ns() % 2**31))
ADMIN, PASSWORD = "Trần Văn Kiểm", "mat-khau-thu"


def kiemphieu_bin() -> str:
    exe = Path(sys.executable).parent / "kiemphieu"
    found = str(exe) if exe.is_file() else shutil.which("kiemphieu")
    if not found:
        pytest.skip("the kiemphieu command is not installed (pip install -e .)")
    return found


def start(*args) -> subprocess.Popen:
    env = {**os.environ, "KIEMPHIEU_LANG": "en"}
    return subprocess.Popen([kiemphieu_bin(), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)


def kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the command and everything it started (its own process group: poppler, workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()


def finish(*args, timeout: float = 120) -> None:
    p = start(*args)
    _, err = p.communicate(timeout=timeout)
    assert p.returncode == 0, (args, err.decode("utf-8", "replace"))


def copy_count(src: Path, dst: Path) -> Path:
    with contextlib.closing(sqlite3.connect(src)) as a, contextlib.closing(sqlite3.connect(dst)) as b:
        a.backup(b)
    return dst


def intact(count: Path, why: str) -> None:
    """The count opens with kiemphieu and SQLite finds nothing wrong in it."""
    c = Count.open(count)
    try:
        assert c.integrity_check() == "ok", why
        assert not c.con.execute("PRAGMA foreign_key_check").fetchall(), why
        list(c.pages())
    finally:
        c.close()


def pages(count: Path) -> dict[tuple[str, int], tuple]:
    c = Count.open(count)
    try:
        return {(p["source"], p["page"]): (p["id"], p["status"], p["votes"], p["reasons"], p["machine_status"],
                                           p["machine_votes"], p["sha256"]) for p in c.pages()}
    finally:
        c.close()


def decisions_whole(count: Path, why: str) -> int:
    """Every decision is all there or not there at all; returns the number of decisions."""
    c = Count.open(count)
    try:
        entries = c.audit_entries()
        problems = audit_verify(entries, c.audit_head(), c.pages())
        assert not problems, (why, problems)
        decided = [e for e in entries if e["action"] in ("decide", "reopen")]
        res = c.resolutions()
        assert len(res) == len(decided), why
        for r, e in zip(res, decided):
            assert (r["page_id"], r["at"]) == (e["page_id"], e["at"]), why
        for p in c.pages():
            last = c.last_resolution(p["id"])
            if last is None:
                assert (p["status"], p["votes"], p["reasons"]) == (p["machine_status"], p["machine_votes"],
                                                                   p["machine_reasons"]), why
            else:
                assert (p["status"], p["votes"], p["reasons"]) == (
                    last["status"], json.loads(last["votes"]), reasons_from(json.loads(last["reasons"]))), why
        assert not c.con.execute("SELECT 1 FROM proposals").fetchall(), why
        return len(res)
    finally:
        c.close()


@pytest.fixture(scope="module")
def crash_set(tmp_path_factory) -> Path:
    """Seven pages: five image files and a two-page PDF, all of one election."""
    d = tmp_path_factory.mktemp("crash-set")
    ballotgen.generate_set(d, kind="strike", layout="table", n=7, seed=909)
    scans = sorted((d / "scans").iterdir())
    ims = [Image.open(p).convert("L") for p in scans[-2:]]
    ims[0].save(d / "scans" / "tổ 2.pdf", "PDF", save_all=True, append_images=ims[1:], resolution=200.0)
    for p in scans[-2:]:
        p.unlink()
    return d


@pytest.fixture(scope="module")
def fresh(crash_set, tmp_path_factory) -> Path:
    """The count before any scan (the blank read once)."""
    count = tmp_path_factory.mktemp("crash-new") / "new.kp"
    finish("new", count, "--election", crash_set / "election.toml", "--template", crash_set / "blank.png")
    return count


@pytest.fixture(scope="module")
def reference(crash_set, fresh, tmp_path_factory) -> tuple[Path, dict, float]:
    """The count one uninterrupted scan gives, its pages, and how long that scan took (s)."""
    count = copy_count(fresh, tmp_path_factory.mktemp("crash-ref") / "ref.kp")
    t = time.monotonic()
    finish("scan", count, crash_set / "scans", "--jobs", 1, "--quiet")
    took = time.monotonic() - t
    got = pages(count)
    assert len(got) == 7
    return count, got, took


def test_kill_scan_at_random_moments_then_resume(crash_set, fresh, reference, tmp_path):
    _, want, took = reference
    rng = random.Random(SEED)
    # on a loaded machine the command starts slowly: the kills spread over half an uninterrupted scan then
    kill_after = (KILL_AFTER_S[0], max(KILL_AFTER_S[1], took / 2))
    kills, partial, lineages, t0 = 0, 0, 0, time.monotonic()
    while kills < SCAN_KILLS:
        lineages += 1
        count = copy_count(fresh, tmp_path / f"c{lineages}.kp")
        while kills < SCAN_KILLS:
            p = start("scan", count, crash_set / "scans", "--jobs", 1, "--quiet")
            delay = rng.uniform(*kill_after)
            try:
                p.wait(timeout=delay)
                p.stderr.close()
                break                      # the batch ended before the kill: start a new count
            except subprocess.TimeoutExpired:
                kill9(p)
            kills += 1
            why = f"seed {SEED}, kill {kills} after {delay:.2f} s"
            intact(count, why)
            n = len(pages(count))
            partial += 0 < n < len(want)
        # resume: the same folder scanned again to its end gives what one uninterrupted scan gives
        finish("scan", count, crash_set / "scans", "--jobs", 1, "--quiet")
        intact(count, f"seed {SEED}, after resuming count {lineages}")
        assert pages(count) == want, f"seed {SEED}, count {lineages}"
        with contextlib.closing(sqlite3.connect(count)) as con:
            assert con.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0
    print(f"\n{kills} kills over {lineages} counts, {partial} left a half-scanned batch, "
          f"{time.monotonic() - t0:.0f} s, seed {SEED}")
    assert partial >= 1, f"seed {SEED}: no kill landed in the middle of a batch"


def test_kill_resolve_at_random_moments(reference, tmp_path):
    ref, want, _ = reference
    count = copy_count(ref, tmp_path / "r.kp")
    rng = random.Random(SEED + 1)
    labels = Count.open(count).election().labels
    ids = sorted(v[0] for v in want.values())
    t = time.monotonic()
    finish("resolve", count, ids[0], "--reviewer", ADMIN, "--invalid", "overvote")
    lifetime = time.monotonic() - t
    n = decisions_whole(count, "one resolve")
    assert n == 1
    applied = 0
    for k in range(RESOLVE_KILLS):
        ballot = rng.choice(ids)
        action = rng.choice([["--invalid", rng.choice(["overvote", "no_votes", "write_in"])],
                             ["--reject", "tờ giấy trắng"], ["--votes", ";".join(rng.sample(labels, 2))]])
        p = start("resolve", count, ballot, "--reviewer", ADMIN, *action)
        delay = rng.uniform(0.02, 1.2 * lifetime)
        try:
            p.wait(timeout=delay)
            p.stderr.close()
        except subprocess.TimeoutExpired:
            kill9(p)
        why = f"seed {SEED}, resolve kill {k} after {delay:.2f} s"
        intact(count, why)
        now = decisions_whole(count, why)
        assert now in (n, n + 1), why           # the decision is there once, or not at all
        applied += now - n
        n = now
    print(f"\n{RESOLVE_KILLS} resolves killed after 0.02–{1.2 * lifetime:.2f} s, {applied} had committed")


# --- serve ---------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def field(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, name
    return m.group(1)


class Poster(threading.Thread):
    """A reviewer deciding ballots as fast as the server answers: decide, reopen, decide, …"""

    def __init__(self, url: str, ids: list[int], rng: random.Random):
        super().__init__(daemon=True)
        import httpx
        self.http = httpx.Client(base_url=url, timeout=10, follow_redirects=False)
        self.ids, self.rng = ids, rng
        self.in_flight = threading.Event()     # set while a decision is being posted
        self.posted = 0
        self.error: BaseException | None = None

    def sign_in(self) -> None:
        pre = field(self.http.get("/login").text, "pre")
        r = self.http.post("/login", data={"pre": pre, "name": ADMIN, "password": PASSWORD, "next": "/"})
        assert r.status_code == 303 and "login" not in r.headers["location"], r.text

    def post(self, path: str, data: dict) -> None:
        self.in_flight.set()
        try:
            r = self.http.post(path, data=data)
        finally:
            self.in_flight.clear()
        assert r.status_code in (303, 409), (path, r.status_code, r.text[:300])
        self.posted += 1

    def run(self) -> None:
        import httpx
        try:
            while True:
                bid = self.rng.choice(self.ids)
                html = self.http.get(f"/ballot/{bid}").text
                data = {"csrf": field(html, "csrf"), "version": field(html, "version")}
                if 'id="decided"' in html:
                    self.post(f"/ballot/{bid}/reopen", {**data, "reason": "kiểm tra lại"})
                else:
                    reason = self.rng.choice(["overvote", "no_votes", "write_in", "extra_writing"])
                    self.post(f"/ballot/{bid}/decide", {**data, "action": "invalid", "invalid_reason": reason})
        except (httpx.TransportError, OSError):
            return                              # the server was killed
        except BaseException as ex:  # noqa: BLE001 - reported by the test
            self.error = ex


def wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    import httpx
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert proc.poll() is None, proc.stderr.read().decode("utf-8", "replace")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url + "/login", timeout=1)
            return
        time.sleep(0.1)
    raise AssertionError("kiemphieu serve did not start")


def test_kill_serve_while_a_decision_is_posted(reference, tmp_path):
    pytest.importorskip("httpx")
    from kiemphieu.review.web.auth import hash_password
    ref, want, _ = reference
    count = copy_count(ref, tmp_path / "s.kp")
    c = Count.open(count)
    assert c.add_reviewer(ADMIN, "admin", hash_password(PASSWORD), by="test")
    c.close()
    ids = sorted(v[0] for v in want.values())
    rng = random.Random(SEED + 2)
    n = decisions_whole(count, "before serve")
    for k in range(SERVE_KILLS):
        port = free_port()
        proc = start("serve", count, "--port", port)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for_server(url, proc)
            poster = Poster(url, ids, random.Random(rng.random()))
            poster.sign_in()
            poster.start()
            delay = rng.uniform(*KILL_AFTER_S)
            time.sleep(delay)
            assert poster.in_flight.wait(10), f"seed {SEED}: no decision posted ({poster.error!r})"
            time.sleep(rng.uniform(0, 0.02))
        finally:
            kill9(proc)
        poster.join(15)
        assert poster.error is None, (SEED, poster.error)
        why = f"seed {SEED}, serve kill {k} after {delay:.2f} s and {poster.posted} decisions"
        intact(count, why)
        now = decisions_whole(count, why)
        assert n <= now <= n + poster.posted + 1, why
        n = now
    assert n > 0
    print(f"\n{SERVE_KILLS} servers killed while deciding, {n} decisions stored in all")
